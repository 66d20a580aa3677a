import { ConflictError, DomainError } from './errors.ts';

/** A status change the lifecycle table does not allow (409). */
export class InvalidTransitionError extends ConflictError {
  constructor(
    readonly entity: string,
    readonly from: string,
    readonly to: string,
    article?: string,
  ) {
    super(
      'INVALID_TRANSITION',
      `${entity === 'site' ? '考核站点' : entity === 'session' ? '考试场次' : '申请'}状态不能从 ${from} 变为 ${to}`,
      `The ${entity} cannot go from ${from} to ${to}`,
      article,
    );
  }
}

/** Screening asked for a version of the standard the system does not know (a configuration fault: 500). */
export class UnknownStandardVersionError extends DomainError {
  constructor(readonly version: string) {
    super('UNKNOWN_STANDARD_VERSION', 'internal', `未知的考核站点建设标准版本：${version}`, `Unknown standard version: ${version}`, 'Art.7');
  }
}
