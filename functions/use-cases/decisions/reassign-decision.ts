import { getDecision, reassignDecision as reassignDecisionRecord, type DecisionRecord } from '../../adapters/stores/decisions.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import type { ReassignBody } from '../../../schemas/api/accreditation.schema.ts';
import { nowIso, nowMs } from '../../shared/clock.ts';
import { actorOf, type Principal, requireGroup } from '../../shared/identity.ts';
import { mailIdOf, sendMail } from '../accreditation/workflow-step.ts';
import { activeDecider } from './assignment.ts';
import { isSiteDecisionKind } from '../../../schemas/api/accreditation.schema.ts';
import { DecisionAlreadyMadeError, DecisionExpiredError, DecisionReassignedError, FourEyesRequiredError, fourEyesKind } from './decision-errors.ts';
import { decisionRequestMailFor, newDecisionId } from './open-decision-task.ts';
import { scheduleReminder } from './reminders.ts';

/**
 * `POST /v1/decisions/{decisionId}/reassign` (admin): the pending task moves
 * to a new decision id for the new assignee (the old link then says
 * `reassigned`), with the same task token and deadline; audited, mailed.
 */
export async function reassignDecision(principal: Principal, decisionId: string, body: ReassignBody, requestId: string) {
  requireGroup(principal, 'admin');
  const old = await getDecision(decisionId);
  if (!old) throw new NotFoundError('Decision', '待办事项');
  if (old.kind === 'applicant-correction') {
    throw new ConflictError('NOT_REASSIGNABLE', '补正任务属于申请单位，不能改派。', 'A correction belongs to the applicant and cannot be reassigned.');
  }
  if (old.status === 'decided') throw new DecisionAlreadyMadeError();
  if (old.status === 'reassigned') throw new DecisionReassignedError();
  if (old.status === 'expired' || old.deadlineMs <= nowMs()) throw new DecisionExpiredError();
  const fourEyes = fourEyesKind(old.kind);
  if (fourEyes && old.excludedSub === body.assigneeSub) throw new FourEyesRequiredError(fourEyes);
  if (old.assigneeSub === body.assigneeSub) throw new ValidationError([{ path: 'assigneeSub', message: 'is already the assignee' }]);
  const reviewer = await activeDecider(body.assigneeSub, old.kind);
  if (!reviewer) throw new ValidationError([{ path: 'assigneeSub', message: isSiteDecisionKind(old.kind) ? 'not an active admin' : 'not an active reviewer' }]);

  const at = nowIso();
  const replacement: DecisionRecord & { reminderSeconds?: number } = {
    ...(old as DecisionRecord & { reminderSeconds?: number }),
    decisionId: newDecisionId(),
    assigneeSub: reviewer.sub,
    status: 'pending',
    createdAt: at,
    reassignedFrom: old.decisionId,
  };
  const ok = await reassignDecisionRecord(old, replacement, {
    key: { at, key: requestId },
    event: {
      actor: actorOf(principal, 'admin'),
      action: 'decision-reassigned',
      reason: body.reason,
      details: { kind: old.kind, from: old.assigneeSub, to: reviewer.sub },
    },
  });
  if (!ok) {
    const latest = await getDecision(decisionId);
    if (latest?.status === 'decided') throw new DecisionAlreadyMadeError();
    if (latest?.status === 'reassigned') throw new DecisionReassignedError();
    throw new DecisionExpiredError();
  }
  await sendMail(
    [reviewer.email],
    decisionRequestMailFor({ ...old, decisionId: replacement.decisionId }),
    mailIdOf('decision-reassigned', `${requestId}#${replacement.decisionId}`),
    'decision-request',
  );
  await scheduleReminder(replacement.decisionId, replacement.deadlineMs, replacement.reminderSeconds);
  return { decisionId: replacement.decisionId, kind: old.kind, assigneeSub: reviewer.sub, deadline: old.deadline, status: 'pending' as const };
}
