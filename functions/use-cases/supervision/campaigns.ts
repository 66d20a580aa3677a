import { ulid } from 'ulid';
import { CITABLE_KINDS, checkCitedEvidence } from '../evidence/cite-evidence.ts';
import type * as z from 'zod/mini';
import type { campaignViewSchema, evaluationViewSchema, EvaluationReportBody, ExtendCampaignDeadlineBody, OpenCampaignBody } from '../../../schemas/api/supervision.schema.ts';
import {
  addEvaluations as addEvaluationsOnce,
  closeCampaign,
  countEvaluations,
  createCampaign,
  extendCampaignDeadline,
  extendEvaluationDeadline,
  nextReminderRound,
  getCampaign,
  getEvaluation,
  listCampaigns,
  listEvaluations,
  listEvaluationsOfSite,
  listSampleCandidates,
  moveEvaluation,
  moveEvaluations,
  readProgress,
  setCampaignSiteCount,
  stageSampleCandidate,
  type CampaignRecord,
  type EvaluationRecord,
} from '../../adapters/stores/evaluations.ts';
import { countSitesInStatus, getSite, getSites, pageStatusShard, type SiteIndexEntry, type SiteRecord } from '../../adapters/stores/sites.ts';
import { listSessions } from '../../adapters/stores/sessions.ts';
import { decodeCursor, encodeCursor, SHARDS, type Page } from '../../adapters/stores/table.ts';
import { startWorkflow } from '../../adapters/workflows.ts';
import { DomainError, ConflictError, NotFoundError } from '../../domain/errors.ts';
import { evaluationMissedMail, evaluationNoticeMail, evaluationReminderMail } from '../../domain/mail-templates/supervision.ts';
import {
  EVALUABLE_STATUSES,
  effectiveDeadline,
  filterStatuses,
  matchesFilter,
  notEvaluatedCutoff,
  refuseDeadline,
  refuseExtension,
  reminderAt,
  sampleRank,
} from '../../domain/supervision/campaign.ts';
import { prefillReport, type ReportPrefill } from '../../domain/supervision/report-prefill.ts';
import { nowIso } from '../../shared/clock.ts';
import { actorOf, requireGroup, type Caller } from '../../shared/identity.ts';
import { csvLine } from '../../shared/csv.ts';
import { logger } from '../../shared/logger.ts';
import { isStaff } from '../applications/access.ts';
import { applicantEmailsOf, mailIdOf, portalLink, sendMails, type OutgoingMail } from '../accreditation/workflow-step.ts';
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

/** The progress counters every view shows, whatever the shards hold yet. */
const BASE_COUNTERS = ['notified', 'submitted', 'missed'] as const;

/**
 * A campaign with its progress read from its counter shards (one Query);
 * a campaign opened before the shards keeps the counts of its own item.
 */
export async function campaignWithProgress(c: CampaignRecord): Promise<CampaignView> {
  const shards = await readProgress(c.campaignId);
  const progress: Record<string, number> = {};
  for (const name of BASE_COUNTERS) progress[name] = (shards[name] ?? 0) + (c[name] ?? 0);
  for (const [name, value] of Object.entries(shards)) if (!(name in progress)) progress[name] = value;
  return campaignView(c, progress);
}

export function campaignView(c: CampaignRecord, progress: Record<string, number> = {}): CampaignView {
  return {
    campaignId: c.campaignId,
    title: c.title,
    deadline: c.deadline,
    ...(c.reminderAt ? { reminderAt: c.reminderAt } : {}),
    status: c.status,
    selection: c.selection as CampaignView['selection'],
    siteCount: c.siteCount,
    notified: progress.notified ?? 0,
    submitted: progress.submitted ?? 0,
    missed: progress.missed ?? 0,
    // Art.21: assessments decided, by applied outcome (counted with each assessment).
    decided: progress.decided ?? 0,
    outcomes: Object.fromEntries(Object.entries(progress).filter(([k]) => k.startsWith('outcome_')).map(([k, v]) => [k.slice('outcome_'.length), v])),
    progress,
    ...(c.reminderRound ? { reminderRound: c.reminderRound } : {}),
    createdAt: c.createdAt,
    createdBy: c.createdBy,
  };
}

function evaluationView(e: EvaluationRecord, campaign: Pick<CampaignRecord, 'title' | 'deadline'>): EvaluationView {
  return {
    campaignId: e.campaignId,
    campaignTitle: campaign.title,
    siteId: e.siteId,
    institutionName: e.institutionName,
    provinceCode: e.provinceCode,
    cityCode: e.cityCode,
    deadline: effectiveDeadline(e.deadline, campaign.deadline),
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
  return { items: await Promise.all(out.items.map(campaignWithProgress)), cursor: out.cursor };
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
  return { ...(await campaignWithProgress(campaign)), evaluations: evaluations.items.map((e) => evaluationView(e, campaign)), ...(evaluations.cursor ? { cursor: evaluations.cursor } : {}) };
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
  const campaigns = new Map<string, Pick<CampaignRecord, 'title' | 'deadline'>>();
  for (const id of new Set(evaluations.map((e) => e.campaignId))) campaigns.set(id, (await getCampaign(id)) ?? { title: id, deadline: '' });
  return { items: evaluations.map((e) => evaluationView(e, campaigns.get(e.campaignId)!)) };
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
  await checkCitedEvidence(site.applicationId, body.evidenceIds, CITABLE_KINDS.site, 'Art.20');
  const now = nowIso();
  const deadline = effectiveDeadline(evaluation.deadline, campaign.deadline);
  if (now > deadline || evaluation.status === 'MISSED') throw new EvaluationDeadlinePassedError(deadline);
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
    if (latest?.status === 'MISSED') throw new EvaluationDeadlinePassedError(deadline);
    throw new ConflictError('CONCURRENT_UPDATE', '汇报已被同时修改，请刷新后重试。', 'The report was changed at the same time; reload and try again.');
  }
  return evaluationView({ ...evaluation, status: 'SUBMITTED', report: body, submittedAt: now }, campaign);
}

/**
 * `GET /v1/sites/{siteId}/evaluations/{campaignId}/report` (the site's
 * members and staff): the report Art.20 asks for, prefilled from the site's
 * records since its last evaluation (sessions held, attendance, violations,
 * incidents), with the report already submitted, if any.
 */
export async function getReportPrefill(caller: Caller, siteId: string, campaignId: string) {
  const site = await readableSite(caller, siteId);
  const campaign = await mustGetCampaign(campaignId);
  const evaluation = await getEvaluation(campaignId, site.siteId);
  if (!evaluation) throw new NotFoundError('Evaluation', '检查评估');
  const earlier = (await listEvaluationsOfSite(site.siteId)).filter((e) => e.campaignId !== campaignId && e.submittedAt).map((e) => e.submittedAt!);
  const since = earlier.sort().pop() ?? site.activatedAt;
  const sessions: Parameters<typeof prefillReport>[0][number][] = [];
  let cursor: string | undefined;
  // A site's sessions are its own partition (TTL-bounded); read in pages, at most 20.
  for (let pages = 0; pages < 20; pages++) {
    const page = await listSessions(site.siteId, { cursor, limit: 200 });
    sessions.push(...page.items);
    cursor = page.cursor;
    if (!cursor) break;
  }
  const prefill: ReportPrefill = prefillReport(sessions, since);
  return { ...evaluationView(evaluation, campaign), prefill };
}

/**
 * `POST /v1/admin/campaign-previews` (admin): how many sites a selection
 * covers now, before the campaign is opened. Counted from the status lists
 * (Select COUNT on each shard, by region prefix) when the selection keys on
 * nothing else; otherwise the register is read page by page as the campaign
 * would, and only the count is kept.
 */
export async function previewCampaign(caller: Caller, body: { selection: OpenCampaignBody['selection'] }): Promise<{ count: number; matching: number }> {
  requireGroup(caller, 'admin');
  const selection = body.selection;
  const now = nowIso();
  if (selection.kind === 'sites') {
    const ids = [...new Set(selection.siteIds)];
    const found = await getSites(ids);
    const count = found.filter((s) => (EVALUABLE_STATUSES as readonly string[]).includes(s.status)).length;
    return { count, matching: count };
  }
  let matching = 0;
  if (selection.notEvaluatedForMonths === undefined && (selection.provinceCode || !selection.cityCode)) {
    const region = selection.provinceCode ? { provinceCode: selection.provinceCode, ...(selection.cityCode ? { cityCode: selection.cityCode } : {}) } : {};
    for (const status of filterStatuses(selection)) matching += await countSitesInStatus(status, region);
    return { count: selection.sample ? Math.min(selection.sample.size, matching) : matching, matching };
  }
  let cursor: string | null = encodeCursor({ p: 'index', s: 0, sh: 0 }) ?? null;
  while (cursor) {
    const page: { cursor: string | null; kept: SiteIndexEntry[] } = await selectPage(selection, now, cursor);
    matching += page.kept.length;
    cursor = page.cursor;
  }
  return { count: selection.sample ? Math.min(selection.sample.size, matching) : matching, matching };
}

// ─── bulk actions on a campaign (admins) ────────────────────────────────────

class CampaignClosedError extends ConflictError {
  constructor() {
    super('CAMPAIGN_CLOSED', '该检查评估已结束，不能再变更。', 'The campaign is closed; it can no longer be changed.', 'Art.20');
  }
}

/**
 * `POST /v1/admin/campaigns/{campaignId}/deadline` (admin, audited): a later
 * deadline for every site of an open campaign (one write: each site's
 * deadline is at least the campaign's) or for the listed sites (one write
 * each, under its version). A site that already missed its deadline keeps
 * its MISSED evaluation (Art.20); the workflow closes the others at their
 * new deadline.
 */
export async function extendDeadline(caller: Caller, campaignId: string, body: ExtendCampaignDeadlineBody) {
  requireGroup(caller, 'admin');
  const campaign = await mustGetCampaign(campaignId);
  if (campaign.status !== 'OPEN') throw new CampaignClosedError();
  const now = nowIso();
  const deadline = new Date(body.deadline).toISOString();
  const actor = actorOf(caller, 'admin');
  const refused: Array<{ siteId: string; reason: 'not-in-campaign' | 'already-missed' | 'concurrent-update' }> = [];
  if (!body.siteIds) {
    const refusal = refuseExtension(deadline, campaign.deadline, now);
    if (refusal) throw new CampaignDeadlineError(refusal);
    const ok = await extendCampaignDeadline(campaignId, deadline, {
      key: { at: now, key: `campaign-deadline-extended#${caller.requestId}` },
      event: { actor, action: 'campaign-deadline-extended', article: 'Art.20', reason: body.reason, details: { from: campaign.deadline, to: deadline, sites: 'all' } },
    });
    if (!ok) throw new ConflictError('CONCURRENT_UPDATE', '检查评估已被同时修改，请刷新后重试。', 'The campaign was changed at the same time; reload and try again.');
    logger.info('campaign deadline extended', { campaignId, sites: 'all' });
    return { deadline, extended: campaign.siteCount, refused };
  }
  // Every listed site is checked before any is written: a refused deadline changes nothing.
  const movable: Array<{ evaluation: EvaluationRecord; current: string }> = [];
  for (const siteId of new Set(body.siteIds)) {
    const evaluation = await getEvaluation(campaignId, siteId);
    if (!evaluation) refused.push({ siteId, reason: 'not-in-campaign' });
    else if (evaluation.status === 'MISSED') refused.push({ siteId, reason: 'already-missed' });
    else {
      const current = effectiveDeadline(evaluation.deadline, campaign.deadline);
      const refusal = refuseExtension(deadline, current, now);
      if (refusal) throw new CampaignDeadlineError(refusal);
      movable.push({ evaluation, current });
    }
  }
  let extended = 0;
  for (const { evaluation, current } of movable) {
    const ok = await extendEvaluationDeadline(evaluation, deadline, {
      key: { at: now, key: `evaluation-deadline-extended#${campaignId}#${caller.requestId}` },
      event: { actor, action: 'evaluation-deadline-extended', article: 'Art.20', reason: body.reason, details: { campaignId, from: current, to: deadline } },
    });
    if (ok) extended++;
    else refused.push({ siteId: evaluation.siteId, reason: 'concurrent-update' });
  }
  logger.info('campaign deadline extended', { campaignId, sites: extended, refused: refused.length });
  return { deadline, extended, refused };
}

export const reminderExecutionName = (campaignId: string, round: number) => `campaign-${campaignId}-reminders-${round}`;

/**
 * `POST /v1/admin/campaigns/{campaignId}/reminders` (admin): starts a round
 * of reminders to every site that has not submitted and whose deadline is
 * ahead, through the mail queue. The round is a workflow execution of the
 * campaign's workflow reading the evaluations page by page; its number is in
 * every reminder's mail id, so a round reminds a site once however often a
 * step runs.
 */
export async function startReminderRound(caller: Caller, campaignId: string) {
  requireGroup(caller, 'admin');
  const campaign = await mustGetCampaign(campaignId);
  if (campaign.status !== 'OPEN') throw new CampaignClosedError();
  const now = nowIso();
  const round = await nextReminderRound(campaignId, {
    key: { at: now, key: `campaign-reminders#${caller.requestId}` },
    event: { actor: actorOf(caller, 'admin'), action: 'campaign-reminders-started', article: 'Art.20', reason: campaign.title, details: { round: (campaign.reminderRound ?? 0) + 1 } },
  });
  if (round === undefined) throw new ConflictError('CONCURRENT_UPDATE', '检查评估已被同时修改，请刷新后重试。', 'The campaign was changed at the same time; reload and try again.');
  const executionName = reminderExecutionName(campaignId, round);
  await startWorkflow(CAMPAIGN_WORKFLOW, executionName, { campaignId, mode: 'remind', round });
  logger.info('campaign reminder round started', { campaignId, round });
  return { campaignId, round, executionName };
}

const RESULT_COLUMNS = ['siteId', 'institutionName', 'provinceCode', 'cityCode', 'status', 'deadline', 'notifiedAt', 'submittedAt', 'missedAt', 'outcome', 'decidedAt'] as const;
/** Rows of one CSV page: five index pages of the campaign's partition. */
const RESULT_PAGES = 5;

/**
 * `GET /v1/admin/campaigns/{campaignId}/results` (staff): the campaign's
 * evaluations as CSV, one row per site (the assessment's outcome when it has
 * one), up to 1,000 rows a request; the next page's cursor goes back in the
 * `x-next-cursor` header.
 */
export async function campaignResultsCsv(caller: Caller, campaignId: string, cursor: string | undefined): Promise<{ csv: string; cursor?: string }> {
  requireGroup(caller, 'reviewer', 'admin');
  const campaign = await mustGetCampaign(campaignId);
  let csv = csvLine(RESULT_COLUMNS);
  let next = cursor;
  for (let pages = 0; pages < RESULT_PAGES; pages++) {
    const page = await listEvaluations(campaignId, { cursor: next, limit: 200 });
    for (const e of page.items) {
      const outcome = (e as Record<string, unknown>).outcome;
      const decidedAt = (e as Record<string, unknown>).decidedAt;
      csv += csvLine([
        e.siteId,
        e.institutionName,
        e.provinceCode,
        e.cityCode,
        e.status,
        effectiveDeadline(e.deadline, campaign.deadline),
        e.notifiedAt,
        e.submittedAt,
        e.missedAt,
        typeof outcome === 'string' ? outcome : typeof outcome === 'object' && outcome && 'kind' in outcome ? String(outcome.kind) : undefined,
        typeof decidedAt === 'string' ? decidedAt : undefined,
      ]);
    }
    next = page.cursor;
    if (!next) break;
  }
  return { csv, ...(next ? { cursor: next } : {}) };
}

// ─── the campaign workflow's steps ──────────────────────────────────────────

const PAGE = 100;
/** Index items one selection step reads (one Query). */
const SELECT_PAGE = 200;
/** Writes and lookups in flight at once within a step. */
const PARALLEL = 20;
/** Notices queued (one SendMessageBatch) and then marked in one transaction. */
const NOTICES_AT_ONCE = 10;

async function inBatches<T>(items: readonly T[], each: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL) await Promise.all(items.slice(i, i + PARALLEL).map(each));
}

type FilterSelection = Extract<OpenCampaignBody['selection'], { kind: 'filter' }>;

/** The last evaluation a site submitted a report for (ISO), if any. */
async function lastEvaluatedAt(siteId: string): Promise<string | undefined> {
  return (await listEvaluationsOfSite(siteId))
    .map((e) => e.submittedAt)
    .filter((at): at is string => at !== undefined)
    .sort()
    .pop();
}

/**
 * One page of a filter's selection: where the selection stands (status,
 * shard, position in the shard) is the cursor, so each call reads one index
 * page and holds nothing else (flat memory at any campaign size).
 */
async function selectPage(selection: FilterSelection, now: string, cursor: string): Promise<{ cursor: string | null; kept: SiteIndexEntry[] }> {
  const statuses = filterStatuses(selection);
  const at = decodeCursor(cursor) ?? {};
  const s = Number(at.s ?? 0);
  const sh = Number(at.sh ?? 0);
  const status = statuses[s]!;
  const region = selection.provinceCode ? { provinceCode: selection.provinceCode, ...(selection.cityCode ? { cityCode: selection.cityCode } : {}) } : {};
  const page = await pageStatusShard(status, sh, region, { cursor: typeof at.at === 'string' ? at.at : undefined, limit: SELECT_PAGE });
  const cutoff = notEvaluatedCutoff(selection, now);
  const kept: SiteIndexEntry[] = [];
  await inBatches(page.items, async (entry) => {
    const last = cutoff !== undefined ? await lastEvaluatedAt(entry.siteId) : undefined;
    if (matchesFilter({ ...entry, status, ...(last ? { lastEvaluatedAt: last } : {}) }, selection, cutoff)) kept.push(entry);
  });
  let next: Record<string, unknown> | undefined;
  if (page.cursor) next = { p: 'index', s, sh, at: page.cursor };
  else if (sh + 1 < SHARDS) next = { p: 'index', s, sh: sh + 1 };
  else if (s + 1 < statuses.length) next = { p: 'index', s: s + 1, sh: 0 };
  return { cursor: next ? encodeCursor(next)! : null, kept };
}

/** Adds the evaluations of these sites (each once: a retried step adds nothing twice). */
async function addEvaluations(campaign: CampaignRecord, siteIds: readonly string[], now: string): Promise<number> {
  const sites = (await getSites(siteIds)).filter((s) => (EVALUABLE_STATUSES as readonly string[]).includes(s.status));
  return addEvaluationsOnce(
    sites.map((site) => ({
      campaignId: campaign.campaignId,
      siteId: site.siteId,
      institutionId: site.institutionId,
      institutionName: site.institutionName,
      provinceCode: site.provinceCode,
      cityCode: site.cityCode,
      deadline: campaign.deadline,
      status: 'NOTICE_PENDING' as const,
      version: 0,
      createdAt: now,
    })),
  );
}

/** Staged sample candidates expire a week after the selection (DynamoDB TTL). */
const CANDIDATE_TTL_SECONDS = 7 * 86_400;

/**
 * One call of the selection: a list is read 100 ids at a time; a filter one
 * index page at a time (status by status, shard by shard, by region prefix);
 * a sample first stages every matching site under its rank, then draws the
 * lowest ranks in order. The cursor carries the phase and position.
 */
async function populateStep(campaign: CampaignRecord, cursor: string | null | undefined, now: string): Promise<CampaignStepResult> {
  const selection = campaign.selection as OpenCampaignBody['selection'];
  const at = decodeCursor(cursor ?? undefined);
  let next: string | null = null;
  let handled = 0;
  if (selection.kind === 'sites') {
    const i = Number(at?.i ?? 0);
    const ids = [...new Set(selection.siteIds)].slice(i, i + PAGE);
    handled = await addEvaluations(campaign, ids, now);
    next = i + PAGE < new Set(selection.siteIds).size ? encodeCursor({ p: 'list', i: i + PAGE })! : null;
  } else if (at?.p === 'draw') {
    const taken = Number(at.taken ?? 0);
    const size = selection.sample!.size;
    const page = await listSampleCandidates(campaign.campaignId, { cursor: typeof at.at === 'string' ? at.at : undefined, limit: Math.min(200, size - taken) });
    handled = await addEvaluations(campaign, page.items, now);
    const total = taken + page.items.length;
    next = page.cursor && total < size ? encodeCursor({ p: 'draw', taken: total, at: page.cursor })! : null;
  } else {
    const page = await selectPage(selection, campaign.createdAt, cursor ?? encodeCursor({ p: 'index', s: 0, sh: 0 })!);
    if (selection.sample) {
      const expiresAt = Math.floor(Date.parse(now) / 1000) + CANDIDATE_TTL_SECONDS;
      await inBatches(page.kept, (site) => stageSampleCandidate(campaign.campaignId, sampleRank(selection.sample!.seed, site.siteId), site.siteId, expiresAt));
      handled = page.kept.length;
      next = page.cursor ?? encodeCursor({ p: 'draw', taken: 0 })!;
    } else {
      handled = await addEvaluations(
        campaign,
        page.kept.map((s) => s.siteId),
        now,
      );
      next = page.cursor;
    }
  }
  if (next === null) {
    // The count is what the campaign holds, whatever a retry found already added.
    const count = await countEvaluations(campaign.campaignId);
    await setCampaignSiteCount(campaign.campaignId, count);
    logger.info('campaign populated', { campaignId: campaign.campaignId, sites: count });
  }
  return { campaignId: campaign.campaignId, cursor: next, handled };
}

function mailRef(campaign: CampaignRecord, evaluation: EvaluationRecord, path: string) {
  return { institutionName: evaluation.institutionName, campaignTitle: campaign.title, deadline: effectiveDeadline(evaluation.deadline, campaign.deadline), link: portalLink(path) };
}

export interface CampaignStepResult {
  readonly campaignId: string;
  /** Where the next call of the same action starts; null when the action is done. */
  readonly cursor: string | null;
  readonly handled: number;
  /** `close`: the earliest deadline still ahead among the pages read so far (extended for all or some); after the last page the workflow waits for it and closes again. */
  readonly until?: string | null;
}

/**
 * One step of the campaign workflow. Every step can run twice (a retry, a
 * resumed execution): evaluations are added once, each notice, reminder and
 * deadline mail has a stable id, and each evaluation moves only from the
 * status the step expects.
 */
export async function campaignStep(input: { action: 'populate' | 'notify' | 'remind' | 'close' | 'finish'; campaignId: string; cursor?: string | null; round?: number | null; until?: string | null }): Promise<CampaignStepResult> {
  const campaign = await mustGetCampaign(input.campaignId);
  const now = nowIso();
  const system = { kind: 'system' as const, id: `workflow:${campaignExecutionName(campaign.campaignId)}` };

  if (input.action === 'populate') return populateStep(campaign, input.cursor, now);

  if (input.action === 'finish') {
    await closeCampaign(campaign.campaignId, now);
    return { campaignId: campaign.campaignId, cursor: null, handled: 0 };
  }

  const page = await listEvaluations(campaign.campaignId, { cursor: input.cursor ?? undefined, limit: PAGE });
  let handled = 0;
  // The earliest deadline still ahead, carried from page to page by the workflow.
  let until = input.until && input.until > now ? input.until : null;
  const pending = (e: EvaluationRecord) => e.status === 'NOTIFIED' || e.status === 'NOTICE_PENDING';
  const deadlineOf = (e: EvaluationRecord) => effectiveDeadline(e.deadline, campaign.deadline);
  /**
   * The page's mails to each site's members (every institution's members read
   * once, their records in one BatchGet), enqueued ten to a request, each
   * under its stable id (a retried step enqueues the same ids: sent once).
   */
  const mailAll = async (evaluations: readonly EvaluationRecord[], render: (e: EvaluationRecord) => Omit<OutgoingMail, 'to'>, known?: ReadonlyMap<string, string[]>) => {
    if (evaluations.length === 0) return;
    const emails = known ?? (await applicantEmailsOf(evaluations.map((e) => e.institutionId)));
    await sendMails(evaluations.map((e) => ({ to: emails.get(e.institutionId) ?? [], ...render(e) })));
  };

  if (input.action === 'notify') {
    const due = page.items.filter((e) => e.status === 'NOTICE_PENDING');
    const emails = await applicantEmailsOf(due.map((e) => e.institutionId));
    // Ten notices at a time (one SendMessageBatch), then those ten marked notified: a queue that fails half-way leaves the sites it took marked.
    for (let i = 0; i < due.length; i += NOTICES_AT_ONCE) {
      const batch = due.slice(i, i + NOTICES_AT_ONCE);
      await mailAll(batch, (e) => ({ mail: evaluationNoticeMail(mailRef(campaign, e, `/sites/${e.siteId}`)), id: mailIdOf('evaluation-notice', `${campaign.campaignId}#${e.siteId}`), tag: 'evaluation-notice' }), emails);
      const moved = await moveEvaluations(
        batch.map((evaluation) => ({
          evaluation,
          change: { from: ['NOTICE_PENDING'], to: 'NOTIFIED', set: { notifiedAt: now }, counts: { notified: 1 } },
          audit: { key: { at: now, key: `evaluation-notified#${campaign.campaignId}` }, event: { actor: system, action: 'evaluation-notified', article: 'Art.19', reason: campaign.title, details: { campaignId: campaign.campaignId, deadline: campaign.deadline } } },
        })),
      );
      handled += moved.filter(Boolean).length;
    }
  } else if (input.action === 'remind') {
    // The scheduled reminder has one id per site; each bulk round (an admin's) its own, so a round reminds a site once.
    const round = input.round ? `#round-${input.round}` : '';
    const due = page.items.filter((e) => pending(e) && deadlineOf(e) > now);
    await mailAll(due, (e) => ({ mail: evaluationReminderMail(mailRef(campaign, e, `/sites/${e.siteId}`)), id: mailIdOf('evaluation-reminder', `${campaign.campaignId}#${e.siteId}${round}`), tag: 'evaluation-reminder' }));
    handled = due.length;
  } else {
    // Its deadline was extended: closed by a later pass, at that deadline.
    for (const e of page.items) if (pending(e) && deadlineOf(e) > now && (until === null || deadlineOf(e) < until)) until = deadlineOf(e);
    // Art.20 "在规定的时间内": no report by the deadline is a failed evaluation, recorded as such, with its mark.
    const missed = page.items.filter((e) => pending(e) && deadlineOf(e) <= now);
    const moved = await moveEvaluations(
      missed.map((evaluation) => ({
        evaluation,
        change: { from: ['NOTICE_PENDING', 'NOTIFIED'], to: 'MISSED', set: { missedAt: now }, counts: { missed: 1 } },
        audit: {
          key: { at: now, key: `evaluation-missed#${campaign.campaignId}` },
          event: { actor: system, action: 'evaluation-missed', article: 'Art.20', reason: `${campaign.title}: no report by ${deadlineOf(evaluation)}`, details: { campaignId: campaign.campaignId } },
        },
        mark: { siteId: evaluation.siteId, kind: 'missed-deadline', at: deadlineOf(evaluation), article: 'Art.20', campaignId: campaign.campaignId, reason: `${campaign.title}: no report by the deadline` },
      })),
    );
    const nowMissed = missed.filter((_, i) => moved[i]);
    await mailAll(nowMissed, (e) => ({ mail: evaluationMissedMail(mailRef(campaign, e, `/sites/${e.siteId}`)), id: mailIdOf('evaluation-missed', `${campaign.campaignId}#${e.siteId}`), tag: 'evaluation-missed' }));
    // Art.21: each report as it stood at the deadline is assessed, and each failed evaluation like any other, its outcome no milder than a failure's (one execution per campaign and site).
    const assessed = [...nowMissed, ...page.items.filter((e) => e.status === 'SUBMITTED')];
    const sites = new Map((await getSites(assessed.map((e) => e.siteId))).map((site) => [site.siteId, site]));
    await inBatches(assessed, (e) => startAssessment(e, sites.get(e.siteId)));
    handled = assessed.length;
  }
  if (input.action !== 'close') return { campaignId: campaign.campaignId, cursor: page.cursor ?? null, handled };
  return { campaignId: campaign.campaignId, cursor: page.cursor ?? null, handled, until };
}
