import type * as z from 'zod/mini';
import type { RectificationReportBody, RectificationStepInput, rectificationViewSchema } from '../../../schemas/api/rectification.schema.ts';
import { listSanctionMarks, listEvaluationsOfSite, getCampaign, addSanctionMark, type EvaluationRecord } from '../../adapters/stores/evaluations.ts';
import {
  createRectification,
  endRectification,
  endRectificationOps,
  getRectification,
  listRectificationsOfSite,
  rectificationCreationOps,
  takeRectificationReport,
  updateOpenRectification,
  type RectificationRecord,
} from '../../adapters/stores/rectifications.ts';
import { cancelOpenSessions } from '../../adapters/stores/sessions.ts';
import { transitionSite, type SiteRecord } from '../../adapters/stores/sites.ts';
import type { Actor } from '../../adapters/stores/table.ts';
import { sendTaskSuccess, startWorkflow } from '../../adapters/workflows.ts';
import { DomainError, NotFoundError } from '../../domain/errors.ts';
import { rectificationOpenedMail, rectificationOutcomeMail } from '../../domain/mail-templates/rectification.ts';
import { afterRestored } from '../../domain/site-operations/inactivity.ts';
import { rectificationDeadline } from '../../domain/supervision/assessment.ts';
import { DEFAULT_SANCTION_LADDER } from '../../domain/supervision/sanction-ladder.ts';
import { nowIso } from '../../shared/clock.ts';
import { actorOf, requireGroup, type Caller } from '../../shared/identity.ts';
import { logger } from '../../shared/logger.ts';
import { mailIdOf, portalLink, sendMail, stepAuditKey, stepKeyOf, workflowDeadlines } from '../accreditation/workflow-step.ts';
import { armInactivityTimer, inactivityStateOf } from '../site-operations/inactivity-timer.ts';
import { startRevocation } from '../site-operations/revocation.ts';
import { CITABLE_KINDS, checkCitedEvidence } from '../evidence/cite-evidence.ts';
import { mustGetSite, siteEmails, siteForCaller } from '../site-operations/site-exit-shared.ts';

export type RectificationView = z.infer<typeof rectificationViewSchema>;

/** The workflow that carries a rectification (Art.21 "限期整改"). */
export const RECTIFICATION_WORKFLOW = 'site-rectification';
/** One per campaign and site (≤ 80 characters). */
export const rectificationExecutionName = (campaignId: string, siteId: string) => `rectify-${campaignId}-${siteId}`;

/** The deadline passed or the report was already given (409, Art.21). */
export class RectificationClosedError extends DomainError {
  constructor() {
    super('RECTIFICATION_CLOSED', 'conflict', '整改报告提交期限已过或已提交，不能再提交。', 'The rectification deadline has passed or the report was already submitted.', 'Art.21');
  }
}

/** A rectification as its site and staff read it: never the task token, never who decided. */
export function rectificationView(r: RectificationRecord): RectificationView {
  return {
    rectificationId: r.rectificationId,
    siteId: r.siteId,
    campaignId: r.campaignId,
    suspended: r.suspended,
    outcome: r.outcome,
    reason: r.reason,
    deadline: r.deadline,
    openedAt: r.openedAt,
    status: r.status,
    ...(r.report ? { report: { text: r.report.text, evidenceIds: r.report.evidenceIds, submittedAt: r.report.submittedAt } } : {}),
    ...(r.decidedAt ? { decidedAt: r.decidedAt } : {}),
    ...(r.decisionReason ? { decisionReason: r.decisionReason } : {}),
    ...(r.revocationId ? { revocationId: r.revocationId } : {}),
  };
}

const siteRef = (site: SiteRecord) => ({ institutionName: site.institutionName, certificateNumber: site.certificateNumber });
const supervisionLink = (siteId: string) => portalLink(`/sites/${siteId}/supervision`);

/**
 * Opens a site's rectification after an assessment (Art.21): with an exam
 * suspension (ACTIVE → SUSPENDED by its lifecycle row, in the same
 * transaction; open sessions cancelled; the two-year timer paused, Art.23(1)
 * does not run while suspended) or without; mails the site its deadline and
 * starts `workflows/site-rectification`. Idempotent: a retried step finds
 * the rectification and the execution.
 */
export async function openRectification(input: {
  evaluation: EvaluationRecord;
  site: SiteRecord;
  suspended: boolean;
  outcome: string;
  reason: string;
  at: string;
  auditKey: string;
  actor: Actor;
}): Promise<RectificationRecord> {
  const { evaluation, site, at } = input;
  const executionName = rectificationExecutionName(evaluation.campaignId, site.siteId);
  const record: RectificationRecord = {
    rectificationId: evaluation.campaignId,
    siteId: site.siteId,
    campaignId: evaluation.campaignId,
    institutionId: site.institutionId,
    suspended: input.suspended,
    outcome: input.outcome,
    reason: input.reason,
    deadline: rectificationDeadline(at),
    openedAt: at,
    status: 'awaiting-report',
    executionName,
    version: 1,
  };
  let stored = record;
  if (input.suspended) {
    const existing = await getRectification(site.siteId, record.rectificationId);
    if (!existing) {
      await transitionSite({
        siteId: site.siteId,
        trigger: 'suspend',
        set: { suspendedSince: at, nextMilestoneKind: 'paused' },
        extra: rectificationCreationOps(record),
        audit: { key: { at, key: input.auditKey }, event: { actor: input.actor, reason: input.reason, details: { rectificationId: record.rectificationId, deadline: record.deadline } } },
      });
    } else stored = existing;
    // Art.21 "暂停考试": scheduled sessions end; the timer pauses (its schedule is removed while not ACTIVE).
    await cancelOpenSessions(site.siteId, { reason: `suspended from exams (Art.21), rectification ${record.rectificationId}`, actor: input.actor });
    await armInactivityTimer(site.siteId);
  } else {
    stored = (
      await createRectification(record, {
        key: { at, key: input.auditKey },
        event: { actor: input.actor, action: 'rectification-opened', article: 'Art.21', reason: input.reason, details: { rectificationId: record.rectificationId, deadline: record.deadline } },
      })
    ).record;
  }
  await sendMail(
    await siteEmails(site),
    rectificationOpenedMail({ ...siteRef(site), suspended: stored.suspended, deadline: stored.deadline, reason: stored.reason, link: supervisionLink(site.siteId) }),
    mailIdOf('rectification-opened', `${executionName}#opened`),
    'rectification-opened',
  );
  const d = workflowDeadlines();
  await startWorkflow(RECTIFICATION_WORKFLOW, executionName, {
    rectificationId: stored.rectificationId,
    siteId: site.siteId,
    applicationId: site.applicationId,
    institutionId: site.institutionId,
    reportSeconds: Math.max(1, Math.ceil((Date.parse(stored.deadline) - Date.parse(at)) / 1000)),
    deadlines: { decisionSeconds: d.reviewSeconds, reminderSeconds: d.reminderSeconds },
  }).catch((error: unknown) => {
    if (!(error instanceof Error && error.name === 'ExecutionAlreadyExists')) throw error;
  });
  logger.info('rectification opened', { siteId: site.siteId, rectificationId: stored.rectificationId, suspended: stored.suspended });
  return stored;
}

/**
 * `PUT /v1/sites/{siteId}/rectifications/{rectificationId}/report` by a
 * member of the site: once, by the deadline, with files the evidence
 * pipeline validated; the waiting workflow goes on to the review.
 */
export async function submitRectificationReport(caller: Caller, siteId: string, rectificationId: string, body: RectificationReportBody): Promise<RectificationView> {
  requireGroup(caller, 'applicant');
  const site = await siteForCaller(caller, siteId, { staff: false, member: true });
  const record = await getRectification(siteId, rectificationId);
  if (!record) throw new NotFoundError('Rectification', '整改');
  const now = nowIso();
  if (record.status !== 'awaiting-report' || record.deadline <= now) throw new RectificationClosedError();
  await checkCitedEvidence(site.applicationId, body.evidenceIds ?? [], CITABLE_KINDS.site, 'Art.21');
  const report = { text: body.text, evidenceIds: body.evidenceIds ?? [], submittedAt: now, submittedBy: caller.sub };
  const token = await takeRectificationReport(record, report, now, {
    key: { at: now, key: caller.requestId },
    event: { actor: actorOf(caller, 'applicant'), action: 'rectification-report-submitted', article: 'Art.21', reason: 'rectification report by the deadline', details: { rectificationId, files: report.evidenceIds.length } },
  });
  if (!token) throw new RectificationClosedError();
  await sendTaskSuccess(token, { submittedAt: now });
  logger.info('rectification report submitted', { siteId, rectificationId });
  return rectificationView({ ...record, report, status: 'under-review' });
}

/**
 * The steps of `workflows/site-rectification`, each idempotent.
 * - `await-report`: keeps the task token with the rectification (it never
 *   leaves the server); a report already taken resumes the new token at once.
 * - `missed`: the deadline passed without a report: a failure (Art.21),
 *   handed to the revocation workflow (cause `failed-rectification`).
 * - `review`: the reviewer's re-assessment: passed → restored (SUSPENDED →
 *   ACTIVE, the timer resumes with the paused time added); failed → the
 *   revocation workflow; no decision after the escalations → `review-overdue`.
 */
export async function rectificationStep(input: RectificationStepInput): Promise<Record<string, unknown>> {
  const record = await getRectification(input.siteId, input.rectificationId);
  if (!record) throw new NotFoundError('Rectification', '整改');
  const key = stepAuditKey(input.audit);
  const at = key.at;
  const system: Actor = { kind: 'system', id: 'workflow:site-rectification', role: input.audit.stateName };
  const answer = (extra: Record<string, unknown> = {}) => ({ rectificationId: record.rectificationId, ...extra });
  const mailId = (tag: string) => mailIdOf(tag, stepKeyOf(input.audit));

  switch (input.action) {
    case 'error':
      logger.error('rectification step failed', { siteId: input.siteId, rectificationId: input.rectificationId, error: input.failure?.Error ?? 'error' });
      return answer({ status: record.status });

    case 'await-report': {
      if (record.status === 'under-review' && input.taskToken) {
        // The report was taken under an earlier token (a retried step): go on at once.
        await sendTaskSuccess(input.taskToken, { submittedAt: record.report?.submittedAt ?? at });
        return answer({ status: record.status });
      }
      await updateOpenRectification(record, { set: { taskToken: input.taskToken } }, {
        key: { at, key: `${key.key}#${(input.taskToken ?? '').slice(-12)}` },
        event: { actor: system, action: 'rectification-awaiting-report', article: 'Art.21', reason: `report due ${record.deadline}`, details: { rectificationId: record.rectificationId } },
      });
      return answer({ status: 'awaiting-report' });
    }

    case 'missed':
    case 'review': {
      const site = await mustGetSite(input.siteId);
      if (record.status !== 'awaiting-report' && record.status !== 'under-review') return answer({ status: record.status });
      const decision = input.decision ?? undefined;
      const outcome = input.action === 'missed' ? 'missed' : decision?.outcome === 'pass' ? 'passed' : decision?.outcome === 'fail' ? 'failed' : 'review-overdue';
      const actor: Actor = decision?.decidedBy ? { kind: 'user', id: decision.decidedBy, role: 'reviewer' } : system;
      const decided = { decidedAt: at, ...(decision?.decidedBy ? { decidedBy: decision.decidedBy } : {}), ...(decision?.reason ? { decisionReason: decision.reason } : {}) };

      if (outcome === 'review-overdue') {
        await endRectification(record, 'review-overdue', decided, { key, event: { actor, action: 'rectification-review-overdue', article: 'Art.21', reason: 'no review after the escalations', details: { rectificationId: record.rectificationId } } });
        return answer({ status: 'review-overdue' });
      }

      if (outcome === 'passed') {
        if (record.suspended && site.status === 'SUSPENDED') {
          const restored = afterRestored(inactivityStateOf(site), at);
          await transitionSite({
            siteId: site.siteId,
            trigger: 'rectification-passed',
            set: { suspendedMs: restored.suspendedMs },
            remove: ['suspendedSince'],
            extra: endRectificationOps(record, 'passed', decided),
            audit: { key, event: { actor, reason: decision?.reason ?? 'rectification passed', details: { rectificationId: record.rectificationId } } },
          });
          // The timer resumes: armed again for the milestone, the time suspended added (Art.23(1)).
          await armInactivityTimer(site.siteId);
        } else {
          await endRectification(record, 'passed', decided, { key, event: { actor, action: 'rectification-passed', article: 'Art.21', reason: decision?.reason ?? '', details: { rectificationId: record.rectificationId } } });
        }
        await addSanctionMark({ siteId: site.siteId, kind: 'rectification-passed', at, article: 'Art.21', campaignId: record.campaignId, reason: decision?.reason ?? '整改通过 / rectification passed' });
        await sendMail(await siteEmails(site), rectificationOutcomeMail({ ...siteRef(site), outcome: 'passed', restored: record.suspended, reason: decision?.reason, link: supervisionLink(site.siteId) }), mailId('rectification-passed'), 'rectification-passed');
        return answer({ status: 'passed' });
      }

      // Art.21 "整改后仍不符合要求的，取消其考核站点认证资质": the revocation workflow, with its due process.
      const { revocationId } = await startRevocation({
        siteId: site.siteId,
        cause: 'failed-rectification',
        reason: outcome === 'missed' ? `rectification report not submitted by ${record.deadline}` : `rectification failed: ${decision?.reason ?? ''}`,
        openedBy: actor,
        auditKey: { at, key: `${key.key}#revocation` },
      });
      await endRectification(record, outcome, { ...decided, revocationId }, {
        key,
        event: { actor, action: `rectification-${outcome}`, article: 'Art.21', reason: decision?.reason ?? `no report by ${record.deadline}`, details: { rectificationId: record.rectificationId, revocationId } },
      });
      await addSanctionMark({ siteId: site.siteId, kind: 'rectification-failed', at, article: 'Art.21', campaignId: record.campaignId, reason: outcome === 'missed' ? '整改报告逾期未提交 / rectification report not submitted' : '整改未通过 / rectification failed' });
      await sendMail(await siteEmails(site), rectificationOutcomeMail({ ...siteRef(site), outcome, restored: false, reason: decision?.reason, link: supervisionLink(site.siteId) }), mailId(`rectification-${outcome}`), `rectification-${outcome}`);
      return answer({ status: outcome, revocationId });
    }
  }
}

/**
 * `GET /v1/sites/{siteId}/supervision` (its members and staff): the
 * assessments with their scores and escalations, the dated marks, the
 * rectifications. Never who assessed, confirmed or reviewed.
 */
export async function getSiteSupervision(caller: Caller, siteId: string) {
  const site = await siteForCaller(caller, siteId, { staff: true, member: true });
  const [evaluations, marks, rectifications] = await Promise.all([listEvaluationsOfSite(siteId), listSanctionMarks(siteId), listRectificationsOfSite(siteId)]);
  const titles = new Map<string, string>();
  for (const id of new Set(evaluations.map((e) => e.campaignId))) titles.set(id, (await getCampaign(id))?.title ?? id);
  const assessments = evaluations
    .filter((e) => e.assessment)
    .map((e) => {
      const a = e.assessment!;
      return {
        campaignId: e.campaignId,
        campaignTitle: titles.get(e.campaignId) ?? e.campaignId,
        status: e.status,
        deadline: e.deadline,
        rubricVersion: a.rubricVersion,
        scores: a.scores,
        total: a.total,
        max: a.max,
        verdict: a.verdict,
        // No report by the deadline: failed whatever the scores (Art.20).
        ...(e.missedAt ? { missedDeadline: true } : {}),
        decided: a.decided,
        outcome: a.outcome,
        steps: a.steps,
        reason: a.reason,
        decidedAt: a.decidedAt,
        ...(a.confirmation ? { confirmation: { outcome: a.confirmation.outcome, at: a.confirmation.at } } : {}),
      };
    });
  const views = rectifications.map(rectificationView);
  return {
    siteId,
    status: site.status,
    assessments,
    marks: marks.map((m) => ({ kind: m.kind, at: m.at, article: m.article, reason: m.reason, ...(m.campaignId ? { campaignId: m.campaignId } : {}) })),
    rectifications: views,
    openRectification: views.find((r) => r.status === 'awaiting-report' || r.status === 'under-review') ?? null,
    ladder: { version: DEFAULT_SANCTION_LADDER.version, windowMonths: DEFAULT_SANCTION_LADDER.windowMonths },
  };
}
