/**
 * Errors that reach an API caller. Each has a stable machine code, a zh-CN
 * and an English message and, where a rule comes from the regulation, the
 * article it cites (e.g. `Art.9(2)`). Never a stack trace.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    readonly zh: string,
    readonly en: string,
    readonly article?: string,
    readonly details?: unknown,
  ) {
    super(en);
    this.name = new.target.name;
  }

  toBody(): { code: string; message: { zh: string; en: string }; article?: string; details?: unknown } {
    return {
      code: this.code,
      message: { zh: this.zh, en: this.en },
      ...(this.article ? { article: this.article } : {}),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export class ValidationError extends DomainError {
  constructor(details: unknown, en = 'The request is not valid.', zh = '请求内容不符合要求。') {
    super('VALIDATION_FAILED', 400, zh, en, undefined, details);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor() {
    super('UNAUTHENTICATED', 401, '请先登录。', 'Sign-in required.');
  }
}

export class ForbiddenError extends DomainError {
  constructor(en = 'You may not do this.', zh = '您无权执行此操作。') {
    super('FORBIDDEN', 403, zh, en);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, zhWhat: string) {
    super('NOT_FOUND', 404, `未找到${zhWhat}。`, `${what} not found.`);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, zh: string, en: string, article?: string) {
    super(code, 409, zh, en, article);
  }
}

export class GoneError extends DomainError {
  constructor(code: string, zh: string, en: string) {
    super(code, 410, zh, en);
  }
}

/** A failure worth retrying (throttling, a lost race); Step Functions retries `TransientError`. */
export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}
