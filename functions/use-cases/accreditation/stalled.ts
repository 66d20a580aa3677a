import { createHash } from 'node:crypto';
import { tagForRetention } from '../../adapters/evidence-store.ts';
import { endApplicationStall, listStalledApplications, markApplicationStalled, type ApplicationRecord, type StalledApplication } from '../../adapters/stores/applications.ts';
import { expireDecision, listDecisionsOfApplication } from '../../adapters/stores/decisions.ts';
import { listEvidenceRecords } from '../../adapters/stores/evidence.ts';
import { accreditationExecutionName, startWorkflow } from '../../adapters/workflows.ts';
import { assertTransition, type ApplicationStatus } from '../../domain/application-lifecycle.ts';
import { ConflictError, ValidationError } from '../../domain/errors.ts';
import { applicationClosedMail } from '../../domain/mail-templates/index.ts';
import {
  RESUMABLE_STAGES,
  type CloseStalledBody,
  type RecordOutcomeInput,
  type ResumeBody,
  type StallStage,
  type StalledMark,
} from '../../../schemas/api/accreditation.schema.ts';
import { nowIso } from '../../shared/clock.ts';
import { appConfig } from '../../shared/env.ts';
import { logger } from '../../shared/logger.ts';
import { actorOf, requireGroup, type Caller } from '../../shared/identity.ts';
import { activeReviewer } from '../decisions/assignment.ts';
import { FourEyesRequiredError } from '../decisions/decision-errors.ts';
import { screeningStepResult } from './screen-application.ts';
import { applicantEmails, mailIdOf, mustGetApplication, sendMail, stepAuditKey, workflowActor } from './workflow-step.ts';

/**
 * No dead ends (issue 7): an accreditation whose review stays overdue after
 * its escalations, or whose execution failed, gets a stalled mark (stage,
 * since when, why) instead of being left in its status for ever. Admins list
 * them, and resume one from its stage (a new execution, one per stall by
 * name) or close it (policy, Art.4: the institution may apply again).
 */

type App = ApplicationRecord & { stalled?: StalledMark | null; resumeCount?: number; lastResume?: { executionName: string; at: string; stage: StallStage } };

/** The stage an application in `status` is stuck at, if the accreditation can stall there. */
export function stallStageOf(status: ApplicationStatus): StallStage | undefined {
  switch (status) {
    case 'SUBMITTED':
    case 'SCREENING':
      return 'screening';
    case 'RETURNED':
      return 'correction';
    case 'UNDER_REVIEW':
      return 'materialReview';
    case 'SITE_VISIT':
      return 'siteVisit';
    case 'DECISION':
      return 'finalDecision';
    default:
      return undefined;
  }
}

/**
 * `MarkStalled` (a decision overdue after its escalations) and
 * `HandleUnexpectedError` (a failed step): the mark and the marker with the
 * audit item, idempotent by the step. Nothing is marked on an application
 * that has already ended (a failure after the decision was recorded).
 */
export async function markStalled(input: RecordOutcomeInput, reason: StalledMark['reason'], why: string): Promise<{ stalled: StalledMark | null }> {
  const app = (await mustGetApplication(input.applicationId)) as App;
  const stage = stallStageOf(app.status);
  if (!stage) return { stalled: null };
  const key = stepAuditKey(input.audit, 'stalled');
  const mark: StalledMark = { stage, since: key.at, reason, why: why.slice(0, 500), executionName: input.audit.executionName };
  const { replayed } = await markApplicationStalled({
    app,
    mark,
    audit: { key, event: { actor: workflowActor(input.audit), action: 'accreditation-stalled', article: 'Art.4', reason: `${stage}: ${mark.why}`, details: { stage, reason } } },
  });
  if (!replayed) logger.warn('accreditation stalled', { applicationId: app.id, stage, reason });
  return { stalled: replayed ? (app.stalled ?? mark) : mark };
}

/** `GET /v1/admin/stalled-applications` (admin). */
export async function listStalled(caller: Caller): Promise<{ items: StalledApplication[] }> {
  requireGroup(caller, 'admin');
  return { items: await listStalledApplications() };
}

/** 409 `NOT_STALLED`: nothing to resume or close. */
export class NotStalledError extends ConflictError {
  constructor() {
    super('NOT_STALLED', '该申请的审核流程未停滞，无需恢复或关闭。', 'This accreditation is not stalled; there is nothing to resume or close.');
  }
}

/** 409 `NOT_RESUMABLE`: stalled where no review can be reopened (screening, correction): close it instead. */
export class NotResumableError extends ConflictError {
  constructor(stage: string) {
    super('NOT_RESUMABLE', `该申请停滞于“${stage}”阶段，无法恢复审核，只能关闭。`, `This accreditation stalled at ${stage}, where no review can be reopened; close it instead.`);
  }
}

async function expirePendingDecisions(applicationId: string): Promise<void> {
  const at = nowIso();
  for (const d of await listDecisionsOfApplication(applicationId)) {
    if (d.status === 'pending' || (d.status === 'decided' && d.delivered === false)) await expireDecision(d, at);
  }
}

/** The state the accreditation workflow had at `stage`, so a resumed execution starts there (`RouteStartStage`). */
async function resumeInput(app: App, stage: StallStage, assigneeSub: string | undefined) {
  const decisions = await listDecisionsOfApplication(app.id);
  const latest = (kind: string) => decisions.filter((d) => d.kind === kind && d.status === 'decided').at(-1);
  const review = latest('material-review');
  const visit = latest('site-visit');
  const visitorSub = typeof review?.output?.visitorSub === 'string' ? review.output.visitorSub : null;
  return {
    applicationId: app.id,
    institutionId: app.creditCode,
    startAt: stage,
    resumeAssignee: assigneeSub ?? null,
    screening: screeningStepResult(app),
    task: { decision: { outcome: 'approve-for-visit', visitorSub: stage === 'siteVisit' && assigneeSub ? assigneeSub : visitorSub } },
    visit: { decision: { outcome: visit?.outcome ?? null, decidedBy: visit?.decidedBy ?? null } },
  };
}

/**
 * `POST /v1/admin/applications/{id}/resume` (admin): a new execution of the
 * accreditation, named after the application and its resume count, starts at
 * the stalled stage and reopens the decision (for `assigneeSub` when given);
 * then the mark is cleared with its audit item. The same request again, or a
 * second admin racing, starts nothing more: the name is the same while the
 * mark stands, and once it is cleared the answer names the execution started.
 */
export async function resumeStalled(caller: Caller, applicationId: string, body: ResumeBody) {
  requireGroup(caller, 'admin');
  const app = (await mustGetApplication(applicationId)) as App;
  if (!app.stalled) {
    if (app.lastResume && stallStageOf(app.status)) return { applicationId, stage: app.lastResume.stage, executionName: app.lastResume.executionName, replayed: true };
    throw new NotStalledError();
  }
  const { stage } = app.stalled;
  if (!RESUMABLE_STAGES.includes(stage)) throw new NotResumableError(stage);
  if (body.assigneeSub) {
    if (!(await activeReviewer(body.assigneeSub))) throw new ValidationError([{ path: 'assigneeSub', message: 'not an active reviewer' }]);
    if (stage === 'finalDecision') {
      const visit = (await listDecisionsOfApplication(app.id)).filter((d) => d.kind === 'site-visit' && d.status === 'decided').at(-1);
      if (visit?.decidedBy === body.assigneeSub) throw new FourEyesRequiredError();
    }
  }
  const count = (app.resumeCount ?? 0) + 1;
  const executionName = `${accreditationExecutionName(app.id)}-resume-${count}`;
  await expirePendingDecisions(app.id);
  try {
    await startWorkflow('accreditation', executionName, await resumeInput(app, stage, body.assigneeSub));
  } catch (error) {
    // Started by an earlier try of this very resume (its mark not cleared yet): go on and clear it.
    if (!(error instanceof Error && error.name === 'ExecutionAlreadyExists')) throw error;
  }
  const at = nowIso();
  const outcome = await endApplicationStall({
    app,
    set: { resumeCount: count, lastResume: { executionName, at, stage } },
    audit: {
      key: { at: app.stalled.since, key: `resume#${executionName}` },
      event: { actor: actorOf(caller, 'admin'), action: 'accreditation-resumed', article: 'Art.4', reason: body.reason, details: { stage, executionName, assigneeSub: body.assigneeSub ?? null } },
    },
  });
  if (outcome === 'changed') {
    const latest = (await mustGetApplication(applicationId)) as App;
    if (latest.lastResume?.executionName === executionName) return { applicationId, stage, executionName, replayed: true };
    throw new NotStalledError();
  }
  return { applicationId, stage, executionName, replayed: outcome === 'replayed' };
}

/** Tags the evidence of an application that ended without a site for the bucket's expiry rule (retention policy). */
export async function tagEndedApplicationEvidence(applicationId: string): Promise<void> {
  const records = await listEvidenceRecords(applicationId);
  await tagForRetention(records.filter((r) => r.status !== 'withdrawn').map((r) => r.objectKey));
}

/**
 * `POST /v1/admin/applications/{id}/close` (admin): the stalled or failed
 * accreditation becomes CLOSED (`stalled-closed`, policy, Art.4), which frees
 * the institution's open-application lock (a new application may follow);
 * pending decisions expire, the evidence is tagged for expiry, the applicant
 * is told by e-mail. Audited; the same request again changes nothing more.
 */
export async function closeStalled(caller: Caller, applicationId: string, body: CloseStalledBody) {
  requireGroup(caller, 'admin');
  const app = (await mustGetApplication(applicationId)) as App & { closedFor?: string };
  if (app.status === 'CLOSED' && app.closedFor === 'stalled-closed') return { applicationId, status: 'CLOSED' as const, replayed: true };
  if (!app.stalled) throw new NotStalledError();
  const transition = assertTransition(app.status, 'CLOSED', 'stalled-closed');
  const at = nowIso();
  const outcome = await endApplicationStall({
    app,
    set: { closedFor: 'stalled-closed', decidedAt: at, decision: { outcome: 'close', reason: body.reason, article: transition.article, findings: [] } },
    close: { trigger: transition.trigger, at },
    audit: {
      key: { at: app.stalled.since, key: `close#${app.id}` },
      event: {
        actor: actorOf(caller, 'admin'),
        action: transition.trigger,
        reason: `policy: ${body.reason}`,
        details: { stage: app.stalled.stage, stalledFor: app.stalled.reason },
      },
    },
  });
  if (outcome === 'changed') throw new NotStalledError();
  await expirePendingDecisions(app.id);
  await tagEndedApplicationEvidence(app.id);
  const mailKey = createHash('sha256').update(`${app.id}#stalled-closed`).digest('hex').slice(0, 40);
  await sendMail(
    await applicantEmails(app.creditCode),
    applicationClosedMail({ applicationId: app.id, institutionName: app.institutionName, why: 'stalled', reason: body.reason, maxRounds: appConfig().deadlines.maxReturnRounds, findings: [] }),
    mailIdOf('application-closed', mailKey),
    'application-closed',
  );
  return { applicationId, status: 'CLOSED' as const, replayed: outcome === 'replayed' };
}
