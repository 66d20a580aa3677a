import { TransientError } from '../../domain/errors.ts';
import { tagForRetention } from '../../adapters/evidence-store.ts';
import { expireDecision, listDecisionsOfApplication } from '../../adapters/stores/decisions.ts';
import { listEvidenceRecords } from '../../adapters/stores/evidence.ts';
import { appendApplicationAudit, transitionApplication, type ApplicationRecord } from '../../adapters/stores/applications.ts';
import { isRefusal } from '../../domain/screening/finding-codes.ts';
import {
  applicationClosedMail,
  applicationRefusedMail,
  applicationRejectedMail,
} from '../../domain/mail-templates/index.ts';
import type { RecordOutcomeInput, ReviewerFinding, StalledMark } from '../../../schemas/api/accreditation.schema.ts';
import type { ApplicationDecided } from '../../../schemas/events/application-decided.schema.ts';
import type { Finding } from '../../../schemas/findings.schema.ts';
import { nowIso } from '../../shared/clock.ts';
import { appConfig } from '../../shared/env.ts';
import { logger } from '../../shared/logger.ts';
import {
  applicantEmails,
  findingLines,
  mailIdOf,
  mustGetApplication,
  sendMail,
  stepAuditKey,
  stepKeyOf,
  workflowActor,
} from './workflow-step.ts';
import { markStalled, tagEndedApplicationEvidence } from './stalled.ts';

type App = ApplicationRecord;

/** A reviewer's finding in the stored finding shape. */
export function reviewerFinding(f: ReviewerFinding): Finding {
  return { code: 'REVIEWER_FINDING', article: f.article, severity: f.severity, path: f.path, zh: f.zh, en: f.en || f.zh };
}

function decidedEvent(input: RecordOutcomeInput, app: App, status: ApplicationDecided['status'], outcome: ApplicationDecided['outcome'], article: string): ApplicationDecided {
  return {
    version: 1,
    eventId: `${input.audit.executionName}#${input.audit.stateName}`,
    applicationId: app.id,
    institutionId: app.creditCode,
    status,
    outcome,
    article,
    decidedAt: new Date(input.audit.enteredTime).toISOString(),
  };
}

/** What the outcome steps return: the `ApplicationDecided` detail for the terminal ones. */
export interface OutcomeResult {
  readonly applicationDecided?: ApplicationDecided;
  /** `MarkStalled`: the mark written (null when the application had already ended). */
  readonly stalled?: StalledMark | null;
}

/**
 * The outcome steps of the workflow (`RefuseApplication`, `ReturnToApplicant`,
 * `CloseApplication`, `RejectApplication`, `HandleUnexpectedError`), each a
 * guarded transition with its audit item, idempotent by the step's audit key.
 */
export async function recordOutcome(input: RecordOutcomeInput): Promise<OutcomeResult> {
  switch (input.outcome) {
    case 'refuse':
      return ended(input, await refuse(input));
    case 'return':
      return returnToApplicant(input);
    case 'close':
      return ended(input, await close(input));
    case 'reject':
      return ended(input, await reject(input));
    case 'error':
      return recordError(input);
    case 'stall':
      return markStalled(input, 'decision-overdue', 'the review stayed overdue after its escalations (Art.4)');
  }
}

/**
 * An application that ended without a site keeps its evidence (ID-card copies
 * among it) only for `evidenceRetentionDays`: its files are tagged for the
 * bucket's expiry rule. Retried with the step, re-tagging is harmless.
 */
async function ended(input: RecordOutcomeInput, result: OutcomeResult): Promise<OutcomeResult> {
  await tagEndedApplicationEvidence(input.applicationId);
  return result;
}

/** Art.3(2): not an active pilot college → REJECTED at screening. */
async function refuse(input: RecordOutcomeInput): Promise<OutcomeResult> {
  const app = (await mustGetApplication(input.applicationId)) as App;
  const key = stepAuditKey(input.audit);
  const findings = app.screening?.findings ?? [];
  const refusals = findings.filter(isRefusal);
  const shown = refusals.length > 0 ? refusals : findings;
  await transitionApplication({
    id: app.id,
    triggers: ['screening-refused'],
    set: { decision: { outcome: 'refuse', article: 'Art.3(2)', findings: shown }, decidedAt: key.at },
    audit: { key, event: { actor: workflowActor(input.audit), reason: shown.map((f) => f.code).join(', ') || 'not eligible' } },
  });
  // Sent again on a replay under the same mail id: the queue's consumer dedupes, a lost mail is worse.
  await sendMail(await applicantEmails(app.creditCode), applicationRefusedMail({ applicationId: app.id, institutionName: app.institutionName, findings: findingLines(shown) }), mailIdOf('application-refused', stepKeyOf(input.audit)), 'application-refused');
  return { applicationDecided: decidedEvent(input, app, 'REJECTED', 'refuse', 'Art.3(2)') };
}

/** What is returned to the applicant: the reviewer's findings and note, or the screening findings. */
function returnContent(input: RecordOutcomeInput, app: App): { findings: Finding[]; reason?: string; source: 'review' | 'screening' } {
  if (input.decision && app.status === 'UNDER_REVIEW') {
    return { findings: input.decision.findings.map(reviewerFinding), reason: input.decision.reason, source: 'review' };
  }
  return { findings: (app.screening?.findings ?? []).filter((f) => f.severity === 'blocking'), source: 'screening' };
}

/**
 * SCREENING | UNDER_REVIEW → RETURNED with the findings and the deadline.
 * The mail goes with the correction task (`open-decision-task`), which knows
 * the exact deadline of the wait.
 */
async function returnToApplicant(input: RecordOutcomeInput): Promise<OutcomeResult> {
  const app = (await mustGetApplication(input.applicationId)) as App;
  const key = stepAuditKey(input.audit);
  const content = returnContent(input, app);
  const deadline = new Date(Date.parse(key.at) + (input.returnSeconds ?? appConfig().deadlines.returnDays * 86_400) * 1000).toISOString();
  await transitionApplication({
    id: app.id,
    triggers: [content.source === 'review' ? 'review-returned' : 'screening-returned'],
    expectedVersion: app.version,
    set: { returnCount: (app.returnCount ?? 0) + 1, returnDeadline: deadline, lastReturn: { ...content, at: key.at } },
    audit: {
      key,
      event: {
        actor: workflowActor(input.audit),
        reason: content.reason ?? `${content.findings.length} findings to correct`,
        details: { findings: content.findings.length, deadline, round: (app.returnCount ?? 0) + 1 },
      },
    },
  });
  return {};
}

/**
 * → CLOSED (policy): from RETURNED when the correction deadline passed; from
 * SCREENING | UNDER_REVIEW when the last return round is used up, through
 * RETURNED so the trail shows the return and the closing (the lifecycle
 * table allows CLOSED only from RETURNED).
 */
async function close(input: RecordOutcomeInput): Promise<OutcomeResult> {
  let app = (await mustGetApplication(input.applicationId)) as App;
  if (app.status === 'SUBMITTED') {
    // A resubmission won the race against the correction deadline but never reached the workflow; the
    // submit request undoes it (SUBMITTED → RETURNED) right after it learns so. Retried, this step then closes.
    throw new TransientError('a late resubmission is being undone');
  }
  const key = stepAuditKey(input.audit);
  const actor = workflowActor(input.audit);
  // Entered from the correction timeout (deadline) or from CheckReturnRounds (rounds). A retry of the
  // rounds case finds the application RETURNED by this very step (lastReturn.at is this step's time).
  const closedFor = (app as { closedFor?: string }).closedFor;
  const why: 'deadline' | 'rounds' =
    app.status === 'CLOSED'
      ? closedFor === 'return-rounds-exhausted'
        ? 'rounds'
        : 'deadline'
      : app.status === 'RETURNED'
        ? (app.lastReturn as { at?: string } | undefined)?.at === key.at
          ? 'rounds'
          : 'deadline'
        : 'rounds';
  let findings: Finding[] = app.lastReturn?.findings ?? [];
  if (why === 'rounds' && app.status !== 'RETURNED' && app.status !== 'CLOSED') {
    const content = returnContent(input, app);
    findings = content.findings;
    // Audited as the lifecycle table's return from where the application is (its trigger and article).
    const returned = await transitionApplication({
      id: app.id,
      triggers: ['screening-returned', 'review-returned'],
      set: { lastReturn: { ...content, at: key.at } },
      audit: {
        key: stepAuditKey(input.audit, 'returned'),
        event: { actor, reason: `last return round used: ${content.reason ?? `${findings.length} findings`}` },
      },
    });
    app = returned.record;
  }
  const trigger = why === 'deadline' ? 'return-deadline-expired' : 'return-rounds-exhausted';
  await transitionApplication({
    id: app.id,
    triggers: [trigger],
    set: { closedFor: trigger, decidedAt: key.at },
    // Both audit items of the rounds case share the entered time: the closing key sorts after `…#returned`,
    // so the trail (sort-key order) shows the return first.
    audit: { key: why === 'rounds' ? stepAuditKey(input.audit, 'then-closed') : key, event: { actor, reason: `policy: ${trigger}` } },
  });
  if (why === 'deadline') {
    const open = (await listDecisionsOfApplication(app.id)).filter((d) => d.kind === 'applicant-correction' && d.status === 'pending');
    for (const d of open) await expireDecision(d, nowIso());
  }
  await sendMail(
    await applicantEmails(app.creditCode),
    applicationClosedMail({ applicationId: app.id, institutionName: app.institutionName, why, maxRounds: appConfig().deadlines.maxReturnRounds, findings: findingLines(findings) }),
    mailIdOf('application-closed', stepKeyOf(input.audit)),
    'application-closed',
  );
  return { applicationDecided: decidedEvent(input, app, 'CLOSED', 'close', 'Art.4') };
}

/** UNDER_REVIEW | DECISION → REJECTED with the reviewer's reason; a new application may follow. */
async function reject(input: RecordOutcomeInput): Promise<OutcomeResult> {
  const app = (await mustGetApplication(input.applicationId)) as App;
  const key = stepAuditKey(input.audit);
  const reason = input.decision?.reason ?? 'rejected';
  const article = 'Art.7';
  await transitionApplication({
    id: app.id,
    triggers: ['review-rejected', 'reject'],
    set: { decision: { outcome: 'reject', reason, article, findings: (input.decision?.findings ?? []).map(reviewerFinding), decidedBy: input.decision?.decidedBy ?? null }, decidedAt: key.at },
    audit: { key, event: { actor: workflowActor(input.audit), reason, details: { decidedBy: input.decision?.decidedBy ?? null } } },
  });
  await sendMail(
    await applicantEmails(app.creditCode),
    applicationRejectedMail({ applicationId: app.id, institutionName: app.institutionName, reason, article }),
    mailIdOf('application-rejected', stepKeyOf(input.audit)),
    'application-rejected',
  );
  return { applicationDecided: decidedEvent(input, app, 'REJECTED', 'reject', article) };
}

/**
 * `HandleUnexpectedError`: an audit note on the application and an error log;
 * the application keeps its status with a stalled mark (`workflow-error`), so
 * admins find it in the list and resume or close it; the workflow then fails
 * so the failed-executions alarm fires.
 */
async function recordError(input: RecordOutcomeInput): Promise<OutcomeResult> {
  const error = input.failure?.Error ?? 'Unknown';
  const cause = (input.failure?.Cause ?? '').slice(0, 500);
  logger.error('accreditation workflow failed', { applicationId: input.applicationId, error });
  await appendApplicationAudit(input.applicationId, {
    key: stepAuditKey(input.audit),
    event: { actor: workflowActor(input.audit), action: 'workflow-error', reason: `${error}: ${cause}`, details: { error } },
  });
  await markStalled(input, 'workflow-error', `${error}: ${cause}`.slice(0, 300));
  return {};
}
