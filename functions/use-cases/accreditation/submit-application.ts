import { getApplication, transitionApplication, type ApplicationRecord } from '../../adapters/stores/applications.ts';
import { expireDecision, listDecisionsOfApplication, markDecisionDelivered, resubmit, type DecisionRecord } from '../../adapters/stores/decisions.ts';
import { type MembershipRecord } from '../../adapters/stores/staff.ts';
import { accreditationExecutionName, sendTaskSuccess, startWorkflow } from '../../adapters/workflows.ts';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { applicationFormSchema, pruneEmpty, upgradeStoredForm } from '../../../schemas/application-form.schema.ts';
import { nowIso, nowMs } from '../../shared/clock.ts';
import { parseWith } from '../../shared/validation.ts';
import { actorOf, type Principal } from '../../shared/identity.ts';
import { logger } from '../../shared/logger.ts';
import { businessMetrics } from '../../shared/metrics.ts';
import { ReturnDeadlinePassedError } from '../decisions/decision-errors.ts';

/** What the submit route answers. */
export interface SubmitResult {
  readonly applicationId: string;
  readonly status: 'SUBMITTED';
  readonly round: number;
  /** `started`: a new accreditation; `resumed`: a correction handed to the waiting workflow. */
  readonly workflow: 'started' | 'resumed';
}

/** The correction task of the latest return, if it waits or was claimed but not delivered. */
async function correctionTask(applicationId: string): Promise<DecisionRecord | undefined> {
  return (await listDecisionsOfApplication(applicationId))
    .filter((d) => d.kind === 'applicant-correction')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .at(-1);
}

async function start(app: Pick<ApplicationRecord, 'id' | 'creditCode'>): Promise<void> {
  try {
    await startWorkflow('accreditation', accreditationExecutionName(app.id), { applicationId: app.id, institutionId: app.creditCode });
  } catch (error) {
    // The one execution of this application already ended (it failed before screening): an admin must look.
    if (error instanceof Error && error.name === 'ExecutionAlreadyExists') {
      throw new ConflictError('WORKFLOW_ALREADY_RAN', '此申请的审核流程已结束，请联系管理员。', "This application's accreditation workflow has already ended; contact an administrator.");
    }
    throw error;
  }
}

async function resume(decision: DecisionRecord, round: number, requestId: string): Promise<void> {
  if (!decision.taskToken) return;
  const answer = await sendTaskSuccess(decision.taskToken, { outcome: 'resubmitted', round, decisionId: decision.decisionId });
  if (answer === 'closed') {
    // The correction wait timed out in the instant between the claim and now: undo the resubmission so the
    // workflow's CloseApplication (which retries while it finds SUBMITTED) closes a RETURNED application.
    logger.warn('resubmission reached a closed correction task; undoing it', { applicationId: decision.applicationId });
    await undoLateResubmission(decision, requestId);
    throw new ReturnDeadlinePassedError();
  }
  await markDecisionDelivered(decision);
}

async function undoLateResubmission(decision: DecisionRecord, requestId: string): Promise<void> {
  const at = nowIso();
  await expireDecision(decision, at);
  await transitionApplication({
    id: decision.applicationId,
    triggers: ['resubmission-too-late'],
    audit: {
      key: { at, key: `${requestId}#undo` },
      event: { actor: { kind: 'system', id: 'submit-application' }, reason: 'the correction deadline passed before the resubmission reached the workflow' },
    },
  });
}

/**
 * `POST /v1/applications/{applicationId}/submit` by a member of the applicant institution.
 * - DRAFT: the complete form is validated (400 with the field issues), then
 *   DRAFT → SUBMITTED (audited, Art.4), then the workflow is started under
 *   the name `accreditation-<id>`.
 * - RETURNED: RETURNED → SUBMITTED and the pending correction task claimed in
 *   one transaction (410 after the correction deadline), then the waiting
 *   workflow is resumed.
 * - SUBMITTED: a repeat after a failed start or resume: it is done again
 *   (StartExecution is idempotent by name and input).
 */
export async function submitApplication(principal: Principal, membership: MembershipRecord, applicationId: string, requestId: string): Promise<SubmitResult> {
  const app: ApplicationRecord | undefined = await getApplication(applicationId);
  // Another institution's application is not revealed (404, not 403).
  if (!app || app.creditCode !== membership.creditCode) throw new NotFoundError('Application', '申请');
  const at = nowIso();
  const round = app.round ?? 1;

  if (app.status === 'DRAFT') {
    parseWith(applicationFormSchema, pruneEmpty(upgradeStoredForm(app.form)));
    await transitionApplication({
      id: app.id,
      triggers: ['submit'],
      expectedVersion: app.version,
      set: { submittedAt: at, submittedBy: principal.sub },
      audit: { key: { at, key: requestId }, event: { actor: actorOf(principal, 'applicant'), reason: 'submitted by the applicant' } },
    });
    await start(app);
    businessMetrics.applicationSubmitted('first');
    return { applicationId: app.id, status: 'SUBMITTED', round, workflow: 'started' };
  }

  if (app.status === 'RETURNED') {
    parseWith(applicationFormSchema, pruneEmpty(upgradeStoredForm(app.form)));
    const task = await correctionTask(app.id);
    if (!task || task.status !== 'pending' || task.deadlineMs <= nowMs()) throw new ReturnDeadlinePassedError();
    const output = { outcome: 'resubmitted', round: round + 1, decisionId: task.decisionId };
    const outcome = await resubmit({
      application: app,
      decision: task,
      at,
      nowMs: nowMs(),
      decidedBy: principal.sub,
      output,
      audit: { key: { at, key: requestId }, event: { actor: actorOf(principal, 'applicant'), action: 'resubmit', reason: `resubmitted (round ${round + 1})` } },
    });
    if (outcome === 'decision-closed') throw new ReturnDeadlinePassedError();
    if (outcome === 'application-changed') {
      throw new ConflictError('APPLICATION_CHANGED', '申请已被修改，请刷新后重试。', 'The application changed meanwhile; reload and try again.');
    }
    await resume(task, round + 1, requestId);
    businessMetrics.applicationSubmitted('resubmission');
    return { applicationId: app.id, status: 'SUBMITTED', round: round + 1, workflow: 'resumed' };
  }

  if (app.status === 'SUBMITTED') {
    const task = round > 1 ? await correctionTask(app.id) : undefined;
    if (task && task.status === 'decided' && task.delivered === false) {
      await resume(task, round, requestId);
      return { applicationId: app.id, status: 'SUBMITTED', round, workflow: 'resumed' };
    }
    await start(app);
    return { applicationId: app.id, status: 'SUBMITTED', round, workflow: 'started' };
  }

  throw new ConflictError(
    'INVALID_TRANSITION',
    `申请当前状态为 ${app.status}，不能提交。`,
    `The application is ${app.status}; it cannot be submitted.`,
    'Art.4',
  );
}
