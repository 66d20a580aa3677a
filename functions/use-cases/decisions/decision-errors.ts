import { ConflictError, DomainError, ForbiddenError, GoneError } from '../../domain/errors.ts';

/**
 * Four-eyes (policy of the organisation): the visitor may not take the final
 * decision (Art.4 asks for review and site visit); the admin who opened a
 * revocation case may not decide it.
 */
export class FourEyesRequiredError extends DomainError {
  constructor(kind: 'final-decision' | 'revocation' | 'sanction-confirmation' = 'final-decision') {
    if (kind === 'sanction-confirmation') {
      super('FOUR_EYES_REQUIRED', 'forbidden', '提出暂停考试的评估人员不能确认同一暂停，须由第二人确认。', 'The reviewer who proposed the suspension may not confirm it; a second person must.', 'Art.21');
      return;
    }
    if (kind === 'revocation') {
      super('FOUR_EYES_REQUIRED', 'forbidden', '立案的管理员不能决定同一撤销案件，须由另一名管理员决定。', 'The admin who opened this revocation case may not decide it; another admin must.');
      return;
    }
    super(
      'FOUR_EYES_REQUIRED',
      'forbidden',
      '实地考察人不能作出终审决定，须由另一名审核人员决定。',
      'The reviewer who visited the site may not take the final decision; another reviewer must.',
      'Art.4',
    );
  }
}

/** The decision kinds whose `excludedSub` may never decide (four-eyes). */
export function fourEyesKind(kind: string): 'final-decision' | 'revocation' | 'sanction-confirmation' | undefined {
  return kind === 'final-decision' || kind === 'revocation' || kind === 'sanction-confirmation' ? kind : undefined;
}

export class NotAssigneeError extends ForbiddenError {
  constructor() {
    super('Only the assigned person may decide this task.', '只有被分派的人员可以处理此待办。');
  }
}

export class DecisionAlreadyMadeError extends ConflictError {
  constructor() {
    super('DECISION_ALREADY_MADE', '此事项已作出决定，不能再次决定。', 'This decision has already been made.');
  }
}

export class DecisionExpiredError extends GoneError {
  constructor() {
    super('DECISION_EXPIRED', '此待办已过期，已升级给管理员处理。', 'This task has expired and was escalated to the administrators.');
  }
}

export class DecisionReassignedError extends GoneError {
  constructor() {
    super('DECISION_REASSIGNED', '此待办已改派给其他人员。', 'This task was reassigned to someone else.');
  }
}

export class ReturnDeadlinePassedError extends GoneError {
  constructor() {
    super('RETURN_DEADLINE_PASSED', '补正期限已过，申请不能再提交。', 'The correction deadline has passed; the application can no longer be resubmitted.');
  }
}

/** The decision is saved but the workflow could not be told yet; the same POST again delivers it. */
export class DeliveryPendingError extends DomainError {
  constructor() {
    super('TRY_AGAIN_LATER', 'unavailable', '决定已保存，但流程暂时无法继续，请稍后再次提交。', 'Your decision is saved but the workflow could not be resumed; please submit again shortly.');
  }
}

/** No active reviewer can take a task: a configuration gap, not retried (the workflow's error path tells the admins). */
export class NoReviewerAvailableError extends Error {
  constructor(kind: string) {
    super(`no active reviewer can take a ${kind} task`);
    this.name = 'NoReviewerAvailable';
  }
}
