import { ulid } from 'ulid';
import type * as z from 'zod/mini';
import type { campaignViewSchema, evaluationViewSchema, EvaluationReportBody, OpenCampaignBody } from '../../../schemas/api/supervision.schema.ts';
import {
  addEvaluation,
  addSanctionMark,
  closeCampaign,
  createCampaign,
  getCampaign,
  getEvaluation,
  listCampaigns,
  listEvaluations,
  listEvaluationsOfSite,
  moveEvaluation,
  setCampaignSiteCount,
  type CampaignRecord,
  type EvaluationRecord,
} from '../../adapters/stores/evaluations.ts';
import { getSite, listSitesByStatus, type SiteRecord } from '../../adapters/stores/sites.ts';
import { type Page } from '../../adapters/stores/table.ts';
import { startWorkflow } from '../../adapters/workflows.ts';
import { DomainError, ConflictError, NotFoundError } from '../../domain/errors.ts';
import { evaluationMissedMail, evaluationNoticeMail, evaluationReminderMail } from '../../domain/mail-templates/supervision.ts';
import { refuseDeadline, reminderAt, selectSites, type SiteForSelection } from '../../domain/supervision/campaign.ts';
import { nowIso } from '../../shared/clock.ts';
import { actorOf, requireGroup, type Caller } from '../../shared/identity.ts';
import { logger } from '../../shared/logger.ts';
import { isStaff } from '../applications/access.ts';
import { applicantEmails, mailIdOf, portalLink, sendMail } from '../accreditation/workflow-step.ts';
import { requireMembership } from '../registry/membership.ts';
import { startAssessment } from './assessment.ts';

export type CampaignView = z.infer<typeof campaignViewSchema>;
export type EvaluationView = z.infer<typeof evaluationViewSchema>;

/** The workflow that carries a campaign: selection, notices, reminder, deadline. */
export const CAMPAIGN_WORKFLOW = 'evaluation-campaign';
export const campaignExecutionName = (campaignId: string) => `campaign-${campaignId}`;

class CampaignDeadlineError extends DomainError {
  constructor(refusal: { code: string; zh: string; en: string; article: string }) {
    super(refusal.code, 'invalid', refusal.zh, refusal.en, refusal.article);
  }
}

class EvaluationDeadlinePassedError extends ConflictError {
  constructor(deadline: string) {
    super(
      'EVALUATION_DEADLINE_PASSED',
      `提交截止时间 ${deadline} 已过，按第二十条记为评估不合格。`,
      `The deadline (${deadline}) has passed; under Art.20 the evaluation counts as failed.`,
      'Art.20',
    );
  }
}

export function campaignView(c: CampaignRecord): CampaignView {
  return {
    campaignId: c.campaignId,
    title: c.title,
    deadline: c.deadline,
    ...(c.reminderAt ? { reminderAt: c.reminderAt } : {}),
    status: c.status,
    selection: c.selection as CampaignView['selection'],
    siteCount: c.siteCount,
    notified: c.notified,
    submitted: c.submitted,
    missed: c.missed,
    // Art.21: assessments decided, by applied outcome (counted with each assessment).
    decided: typeof c.decided === 'number' ? c.decided : 0,
    outcomes: Object.fromEntries(Object.entries(c).filter(([k, v]) => k.startsWith('outcome_') && typeof v === 'number').map(([k, v]) => [k.slice('outcome_'.length), v as number])),
    createdAt: c.createdAt,
    createdBy: c.createdBy,
  };
}

function evaluationView(e: EvaluationRecord, campaignTitle: string): EvaluationView {
  return {
    campaignId: e.campaignId,
    campaignTitle,
    siteId: e.siteId,
    institutionName: e.institutionName,
    provinceCode: e.provinceCode,
    cityCode: e.cityCode,
    deadline: e.deadline,
    status: e.status,
    ...(e.notifiedAt ? { notifiedAt: e.notifiedAt } : {}),
    ...(e.submittedAt ? { submittedAt: e.submittedAt } : {}),
    ...(e.missedAt ? { missedAt: e.missedAt } : {}),
    ...(e.report ? { report: e.report } : {}),
  };
}

/**
 * `POST /v1/admin/campaigns` (admin): records the campaign and starts its
 * workflow (Art.19 "不定期": at any time). The sites are selected by the
 * workflow's first step, page by page, so a national campaign is not bound
 * by one request's time.
 */
export async function openCampaign(caller: Caller, body: OpenCampaignBody): Promise<CampaignView> {
  requireGroup(caller, 'admin');
  const now = nowIso();
  const refusal = refuseDeadline(body.deadline, now);
  if (refusal) throw new CampaignDeadlineError(refusal);
  const deadline = new Date(body.deadline).toISOString();
  const remindAt = reminderAt(deadline, now);
  const record: CampaignRecord = {
    campaignId: ulid(Date.parse(now)),
    title: body.title,
    selection: body.selection,
    deadline,
    ...(remindAt ? { reminderAt: remindAt } : {}),
    status: 'OPEN',
    siteCount: 0,
    notified: 0,
    submitted: 0,
    missed: 0,
    createdAt: now,
    createdBy: caller.sub,
  };
  await createCampaign(record, {
    key: { at: now, key: `campaign-opened#${caller.requestId}` },
    event: { actor: actorOf(caller, 'admin'), action: 'campaign-opened', article: 'Art.19', reason: body.title, details: { deadline, selection: body.selection.kind } },
  });
  await startWorkflow(CAMPAIGN_WORKFLOW, campaignExecutionName(record.campaignId), { campaignId: record.campaignId, deadline, reminderAt: remindAt ?? null });
  logger.info('evaluation campaign opened', { campaignId: record.campaignId, selection: body.selection.kind });
  return campaignView(record);
}

export async function listCampaignViews(caller: Caller, page: { cursor?: string; limit?: number }): Promise<Page<CampaignView>> {
  requireGroup(caller, 'reviewer', 'admin');
  const out = await listCampaigns(page);
  return { items: out.items.map(campaignView), cursor: out.cursor };
}

async function mustGetCampaign(campaignId: string): Promise<CampaignRecord> {
  const campaign = await getCampaign(campaignId);
  if (!campaign) throw new NotFoundError('Campaign', '检查评估');
  return campaign;
}

/** One campaign with its progress and a page of its evaluations (staff). */
export async function getCampaignDetail(caller: Caller, campaignId: string, page: { cursor?: string; limit?: number }) {
  requireGroup(caller, 'reviewer', 'admin');
  const campaign = await mustGetCampaign(campaignId);
  const evaluations = await listEvaluations(campaignId, page);
  return { ...campaignView(campaign), evaluations: evaluations.items.map((e) => evaluationView(e, campaign.title)), ...(evaluations.cursor ? { cursor: evaluations.cursor } : {}) };
}

/** A site readable by the caller: staff, or a member of its institution (another institution's answers 404). */
async function readableSite(caller: Caller, siteId: string): Promise<SiteRecord> {
  const site = await getSite(siteId);
  if (!site) throw new NotFoundError('Site', '考核站点');
  if (!isStaff(caller)) {
    const membership = await requireMembership(caller);
    if (membership.creditCode !== site.institutionId) throw new NotFoundError('Site', '考核站点');
  }
  return site;
}

/** `GET /v1/sites/{siteId}/evaluations`. */
export async function listSiteEvaluations(caller: Caller, siteId: string): Promise<{ items: EvaluationView[] }> {
  await readableSite(caller, siteId);
  const evaluations = await listEvaluationsOfSite(siteId);
  const titles = new Map<string, string>();
  for (const id of new Set(evaluations.map((e) => e.campaignId))) titles.set(id, (await getCampaign(id))?.title ?? id);
  return { items: evaluations.map((e) => evaluationView(e, titles.get(e.campaignId) ?? e.campaignId)) };
}

/**
 * `PUT /v1/sites/{siteId}/evaluations/{campaignId}/report` (the site's
 * members): the report and work plan of Art.20, by the deadline; before it,
 * a new version replaces the last one. Staff may not write for a site.
 */
export async function submitEvaluationReport(caller: Caller, siteId: string, campaignId: string, body: EvaluationReportBody): Promise<EvaluationView> {
  const site = await readableSite(caller, siteId);
  if (isStaff(caller)) throw new DomainError('SITE_MEMBERS_ONLY', 'forbidden', '只有考核站点所属单位的人员可以提交汇报。', "Only the site's own members submit its report.");
  const campaign = await mustGetCampaign(campaignId);
  const evaluation = await getEvaluation(campaignId, site.siteId);
  if (!evaluation) throw new NotFoundError('Evaluation', '检查评估');
  const now = nowIso();
  if (now > evaluation.deadline || evaluation.status === 'MISSED') throw new EvaluationDeadlinePassedError(evaluation.deadline);
  const first = evaluation.status !== 'SUBMITTED';
  const moved = await moveEvaluation(
    evaluation,
    { from: ['NOTICE_PENDING', 'NOTIFIED', 'SUBMITTED'], to: 'SUBMITTED', set: { report: body, submittedAt: now, submittedBy: caller.sub }, ...(first ? { counts: { submitted: 1 } } : {}) },
    {
      key: { at: now, key: `evaluation-report#${campaignId}#${caller.requestId}` },
      event: { actor: actorOf(caller, 'applicant'), action: first ? 'evaluation-report-submitted' : 'evaluation-report-replaced', article: 'Art.20', reason: campaign.title, details: { campaignId } },
    },
  );
  if (!moved) {
    const latest = await getEvaluation(campaignId, site.siteId);
    if (latest?.status === 'MISSED') throw new EvaluationDeadlinePassedError(evaluation.deadline);
    throw new ConflictError('CONCURRENT_UPDATE', '汇报已被同时修改，请刷新后重试。', 'The report was changed at the same time; reload and try again.');
  }
  return evaluationView({ ...evaluation, status: 'SUBMITTED', report: body, submittedAt: now }, campaign.title);
}

// ─── the campaign workflow's steps ──────────────────────────────────────────

const PAGE = 100;

async function allEvaluableSites(withLastEvaluation: boolean): Promise<Array<SiteForSelection & { site: SiteRecord }>> {
  const out: Array<SiteForSelection & { site: SiteRecord }> = [];
  for (const status of ['ACTIVE', 'SUSPENDED'] as const) {
    let cursor: string | undefined;
    do {
      const page = await listSitesByStatus(status, { cursor, limit: 200 });
      for (const site of page.items) {
        const last = withLastEvaluation ? (await listEvaluationsOfSite(site.siteId)).find((e) => e.submittedAt)?.submittedAt : undefined;
        out.push({ siteId: site.siteId, provinceCode: site.provinceCode, cityCode: site.cityCode, status: site.status, ...(last ? { lastEvaluatedAt: last } : {}), site });
      }
      cursor = page.cursor;
    } while (cursor);
  }
  return out;
}

function mailRef(campaign: CampaignRecord, evaluation: EvaluationRecord, path: string) {
  return { institutionName: evaluation.institutionName, campaignTitle: campaign.title, deadline: evaluation.deadline, link: portalLink(path) };
}

export interface CampaignStepResult {
  readonly campaignId: string;
  /** Where the next call of the same action starts; null when the action is done. */
  readonly cursor: string | null;
  readonly handled: number;
}

/**
 * One step of the campaign workflow. Every step can run twice (a retry, a
 * resumed execution): evaluations are added once, each notice, reminder and
 * deadline mail has a stable id, and each evaluation moves only from the
 * status the step expects.
 */
export async function campaignStep(input: { action: 'populate' | 'notify' | 'remind' | 'close' | 'finish'; campaignId: string; cursor?: string | null }): Promise<CampaignStepResult> {
  const campaign = await mustGetCampaign(input.campaignId);
  const now = nowIso();
  const system = { kind: 'system' as const, id: `workflow:${campaignExecutionName(campaign.campaignId)}` };

  if (input.action === 'populate') {
    const selection = campaign.selection as OpenCampaignBody['selection'];
    const sites = await allEvaluableSites(selection.kind === 'filter' && selection.notEvaluatedForMonths !== undefined);
    const chosen = selectSites(sites, selection, campaign.createdAt);
    const byId = new Map(sites.map((s) => [s.siteId, s.site]));
    let added = 0;
    for (const siteId of chosen.siteIds) {
      const site = byId.get(siteId)!;
      const created = await addEvaluation({
        campaignId: campaign.campaignId,
        siteId,
        institutionId: site.institutionId,
        institutionName: site.institutionName,
        provinceCode: site.provinceCode,
        cityCode: site.cityCode,
        deadline: campaign.deadline,
        status: 'NOTICE_PENDING',
        version: 0,
        createdAt: now,
      });
      if (created) added++;
    }
    // The count is the selection's size, whatever a retry found already added.
    await setCampaignSiteCount(campaign.campaignId, chosen.siteIds.length);
    logger.info('campaign populated', { campaignId: campaign.campaignId, sites: chosen.siteIds.length, added, skipped: chosen.skipped.length });
    return { campaignId: campaign.campaignId, cursor: null, handled: chosen.siteIds.length };
  }

  if (input.action === 'finish') {
    await closeCampaign(campaign.campaignId, now);
    return { campaignId: campaign.campaignId, cursor: null, handled: 0 };
  }

  const page = await listEvaluations(campaign.campaignId, { cursor: input.cursor ?? undefined, limit: PAGE });
  let handled = 0;
  for (const evaluation of page.items) {
    const path = `/sites/${evaluation.siteId}`;
    if (input.action === 'notify' && evaluation.status === 'NOTICE_PENDING') {
      await sendMail(await applicantEmails(evaluation.institutionId), evaluationNoticeMail(mailRef(campaign, evaluation, path)), mailIdOf('evaluation-notice', `${campaign.campaignId}#${evaluation.siteId}`), 'evaluation-notice');
      const moved = await moveEvaluation(
        evaluation,
        { from: ['NOTICE_PENDING'], to: 'NOTIFIED', set: { notifiedAt: now }, counts: { notified: 1 } },
        { key: { at: now, key: `evaluation-notified#${campaign.campaignId}` }, event: { actor: system, action: 'evaluation-notified', article: 'Art.19', reason: campaign.title, details: { campaignId: campaign.campaignId, deadline: campaign.deadline } } },
      );
      if (moved) handled++;
    } else if (input.action === 'remind' && (evaluation.status === 'NOTIFIED' || evaluation.status === 'NOTICE_PENDING')) {
      await sendMail(await applicantEmails(evaluation.institutionId), evaluationReminderMail(mailRef(campaign, evaluation, path)), mailIdOf('evaluation-reminder', `${campaign.campaignId}#${evaluation.siteId}`), 'evaluation-reminder');
      handled++;
    } else if (input.action === 'close' && (evaluation.status === 'NOTIFIED' || evaluation.status === 'NOTICE_PENDING')) {
      // Art.20 "在规定的时间内": no report by the deadline is a failed evaluation, recorded as such.
      const moved = await moveEvaluation(
        evaluation,
        { from: ['NOTICE_PENDING', 'NOTIFIED'], to: 'MISSED', set: { missedAt: now }, counts: { missed: 1 } },
        {
          key: { at: now, key: `evaluation-missed#${campaign.campaignId}` },
          event: { actor: system, action: 'evaluation-missed', article: 'Art.20', reason: `${campaign.title}: no report by ${campaign.deadline}`, details: { campaignId: campaign.campaignId } },
        },
      );
      if (moved) {
        await addSanctionMark({ siteId: evaluation.siteId, kind: 'missed-deadline', at: campaign.deadline, article: 'Art.20', campaignId: campaign.campaignId, reason: `${campaign.title}: no report by the deadline` });
        await sendMail(await applicantEmails(evaluation.institutionId), evaluationMissedMail(mailRef(campaign, evaluation, path)), mailIdOf('evaluation-missed', `${campaign.campaignId}#${evaluation.siteId}`), 'evaluation-missed');
        handled++;
      }
    } else if (input.action === 'close' && evaluation.status === 'SUBMITTED') {
      // Art.21: the report as it stood at the deadline is assessed (one execution per campaign and site).
      await startAssessment(evaluation);
      handled++;
    }
  }
  return { campaignId: campaign.campaignId, cursor: page.cursor ?? null, handled };
}
