import {
  campaignRecordSchema,
  evaluationRecordSchema,
  sanctionMarkRecordSchema,
  type CampaignRecord,
  type EvaluationRecord,
  type SanctionMarkRecord,
} from '../../../schemas/records/evaluation.record.ts';
import {
  auditOp,
  getItem,
  getMany,
  parseRecord,
  putIf,
  putNewOp,
  queryAll,
  queryPage,
  countQuery,
  runTransaction,
  shardOf,
  SHARDS,
  tableName,
  withoutKeys,
  updateIf,
  updateOp,
  type AuditWrite,
  type Item,
  type Key,
  type Page,
  type TransactItem,
} from './table.ts';
import { TransientError } from '../../domain/errors.ts';

export type { CampaignRecord, EvaluationRecord, SanctionMarkRecord };

/**
 * Evaluation campaigns (Art.19–21):
 * | item | pk | sk | gsi1 | gsi3 |
 * |---|---|---|---|---|
 * | campaign | `CAMPAIGN#<id>` | `CAMPAIGN` | | `CAMPAIGNS` / `<createdAt>#<id>` |
 * | a site's evaluation | `CAMPAIGN#<id>` | `EVAL#<siteId>` | `SITEEVAL#<siteId>` / `<deadline>#<campaignId>` | |
 * | progress counter shard | `CAMPAIGN#<id>` | `PROGRESS#<0..9>` | | |
 * | sample candidate (while a sample is drawn) | `CAMPAIGN#<id>` | `CAND#<rank>#<siteId>` | | |
 * | sanction mark | `SITE#<siteId>` | `MARK#<at>#<kind>` | | |
 * A campaign's evaluations live in its partition (paged by the notice and
 * deadline steps, so a national campaign is handled page by page); its
 * running counts are ADDed, in the same transaction as each evaluation, to
 * one of `SHARDS` counter items chosen by the site (never one hot item),
 * and read back by summing the shards (one Query).
 * Campaign events are audited under `CAMPAIGN#<id>`, a site's marks under
 * `SITE#<id>`.
 */
/** DynamoDB's limit of items in one transaction. */
const TRANSACTION_ITEMS = 100;

const campaignKey = (campaignId: string): Key => ({ pk: `CAMPAIGN#${campaignId}`, sk: 'CAMPAIGN' });
const evaluationKey = (campaignId: string, siteId: string): Key => ({ pk: `CAMPAIGN#${campaignId}`, sk: `EVAL#${siteId}` });

const parseCampaign = (item: Item) => parseRecord(campaignRecordSchema, item);
const parseEvaluation = (item: Item) => parseRecord(evaluationRecordSchema, item);

function evaluationItem(record: EvaluationRecord): Item {
  return { ...evaluationKey(record.campaignId, record.siteId), type: 'evaluation', ...record, gsi1pk: `SITEEVAL#${record.siteId}`, gsi1sk: `${record.deadline}#${record.campaignId}` };
}

/** Stores a new campaign with its audit event. */
export async function createCampaign(record: CampaignRecord, audit: AuditWrite): Promise<void> {
  const outcome = await runTransaction([
    putNewOp({ ...campaignKey(record.campaignId), type: 'campaign', ...record, gsi3pk: 'CAMPAIGNS', gsi3sk: `${record.createdAt}#${record.campaignId}` }),
    auditOp(campaignKey(record.campaignId).pk, audit),
  ]);
  if (!outcome.ok) throw new Error(`campaign ${record.campaignId} not created: ${outcome.reasons.join(',')}`);
}

/** Adds a site's evaluation to a campaign; a second add of the same site changes nothing (a resumed starter). */
export function addEvaluation(record: EvaluationRecord): Promise<boolean> {
  return putIf(evaluationItem(record), { expression: 'attribute_not_exists(pk)' });
}

/**
 * Adds many evaluations (a page of a campaign's selection), up to 100 in one
 * transaction; a transaction cancelled because one is there already (a
 * retried step) or by a conflict is done again one by one, so each site is
 * added once.
 * @returns how many were added now.
 */
export async function addEvaluations(records: readonly EvaluationRecord[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < records.length; i += TRANSACTION_ITEMS) {
    const chunk = records.slice(i, i + TRANSACTION_ITEMS);
    let ok = false;
    try {
      ok = chunk.length > 1 && (await runTransaction(chunk.map((r) => putNewOp(evaluationItem(r))))).ok;
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
    }
    if (ok) added += chunk.length;
    else for (const r of chunk) if (await addEvaluation(r)) added++;
  }
  return added;
}

export async function getCampaign(campaignId: string): Promise<CampaignRecord | undefined> {
  const item = await getItem(campaignKey(campaignId));
  return item ? parseCampaign(item) : undefined;
}

/** Campaigns, newest first. */
export async function listCampaigns(page: { cursor?: string; limit?: number }): Promise<Page<CampaignRecord>> {
  const out = await queryPage({ index: 'gsi3', pk: 'CAMPAIGNS', newestFirst: true, ...page });
  const full = await getMany(out.items.map((i) => campaignKey(String(i.pk).slice('CAMPAIGN#'.length))));
  const byId = new Map(full.map((item) => [String(item.campaignId), parseCampaign(item)]));
  return { items: out.items.map((i) => byId.get(String(i.pk).slice('CAMPAIGN#'.length))).filter((c): c is CampaignRecord => c !== undefined), cursor: out.cursor };
}

export async function getEvaluation(campaignId: string, siteId: string): Promise<EvaluationRecord | undefined> {
  const item = await getItem(evaluationKey(campaignId, siteId));
  return item ? parseEvaluation(item) : undefined;
}

/** One page of a campaign's evaluations (by site id). */
export async function listEvaluations(campaignId: string, page: { cursor?: string; limit?: number }): Promise<Page<EvaluationRecord>> {
  const out = await queryPage({ pk: campaignKey(campaignId).pk, skPrefix: 'EVAL#', consistent: true, ...page });
  return { items: out.items.map(parseEvaluation), cursor: out.cursor };
}

/** A site's evaluations, latest deadline first (a handful a year). */
export async function listEvaluationsOfSite(siteId: string): Promise<EvaluationRecord[]> {
  const keys = await queryAll({ index: 'gsi1', pk: `SITEEVAL#${siteId}` });
  const full = await getMany(keys.map((k) => ({ pk: String(k.pk), sk: String(k.sk) })));
  return full.map(parseEvaluation).sort((a, b) => b.deadline.localeCompare(a.deadline));
}

/** The counter shard a site's evaluation counts in: a campaign of 10,000 sites writes to ten items, not one. */
const progressKey = (campaignId: string, siteId: string): Key => ({ pk: campaignKey(campaignId).pk, sk: `PROGRESS#${shardOf(siteId)}` });

/**
 * A campaign's running counts: the sum, counter by counter, of its shards
 * (one Query of at most `SHARDS` small items). Every numeric attribute is a
 * counter, so counters added later (`decided`, `outcome_<kind>`) are summed too.
 */
export async function readProgress(campaignId: string): Promise<Record<string, number>> {
  const shards = await queryAll({ pk: campaignKey(campaignId).pk, skPrefix: 'PROGRESS#', consistent: true });
  const total: Record<string, number> = {};
  for (const shard of shards) {
    for (const [name, value] of Object.entries(withoutKeys(shard))) {
      if (typeof value === 'number') total[name] = (total[name] ?? 0) + value;
    }
  }
  return total;
}

/** How many evaluations a campaign holds (Select COUNT over its partition; no item leaves the table). */
export function countEvaluations(campaignId: string): Promise<number> {
  return countQuery({ pk: campaignKey(campaignId).pk, skPrefix: 'EVAL#', consistent: true });
}

/**
 * A site that matches a sampled selection, staged under its rank
 * (`CAND#<rank>#<siteId>`) so the sample is drawn by reading the lowest
 * ranks in order: memory stays flat whatever the number of matching sites.
 */
export function stageSampleCandidate(campaignId: string, rank: string, siteId: string, expiresAt: number): Promise<boolean> {
  return putIf({ pk: campaignKey(campaignId).pk, sk: `CAND#${rank}#${siteId}`, type: 'campaign-candidate', siteId, expiresAt }, { expression: 'attribute_not_exists(pk)' });
}

/** One page of staged sample candidates, lowest rank first. */
export async function listSampleCandidates(campaignId: string, page: { cursor?: string; limit?: number }): Promise<Page<string>> {
  const out = await queryPage({ pk: campaignKey(campaignId).pk, skPrefix: 'CAND#', consistent: true, ...page });
  return { items: out.items.map((i) => String(i.siteId)), cursor: out.cursor };
}

/** Extends a campaign's deadline for all its sites (every evaluation's effective deadline is at least the campaign's). */
export async function extendCampaignDeadline(campaignId: string, deadline: string, audit: AuditWrite): Promise<boolean> {
  const outcome = await runTransaction([
    updateOp(campaignKey(campaignId), { set: { deadline } }, { expression: '#status = :open AND deadline < :d', names: { '#status': 'status' }, values: { ':open': 'OPEN', ':d': deadline } }),
    auditOp(campaignKey(campaignId).pk, audit),
  ]);
  return outcome.ok;
}

/** Extends one site's deadline in a campaign, under the evaluation's version, while it has not missed it. */
export async function extendEvaluationDeadline(evaluation: EvaluationRecord, deadline: string, audit: AuditWrite): Promise<boolean> {
  const outcome = await runTransaction([
    updateOp(
      evaluationKey(evaluation.campaignId, evaluation.siteId),
      { set: { deadline, version: evaluation.version + 1, gsi1sk: `${deadline}#${evaluation.campaignId}` } },
      { expression: 'version = :v AND #status <> :missed', names: { '#status': 'status' }, values: { ':v': evaluation.version, ':missed': 'MISSED' } },
    ),
    auditOp(`SITE#${evaluation.siteId}`, audit),
  ]);
  return outcome.ok;
}

/**
 * Starts a new round of bulk reminders: the round number (1, 2, …) goes into
 * each reminder's mail id, so a round reminds each site at most once.
 */
export async function nextReminderRound(campaignId: string, audit: AuditWrite): Promise<number | undefined> {
  const current = await getCampaign(campaignId);
  if (!current || current.status !== 'OPEN') return undefined;
  const round = (current.reminderRound ?? 0) + 1;
  const outcome = await runTransaction([
    updateOp(
      campaignKey(campaignId),
      { set: { reminderRound: round } },
      { expression: '#status = :open AND (attribute_not_exists(reminderRound) OR reminderRound = :r)', names: { '#status': 'status' }, values: { ':open': 'OPEN', ':r': current.reminderRound ?? 0 } },
    ),
    auditOp(campaignKey(campaignId).pk, audit),
  ]);
  return outcome.ok ? round : undefined;
}

/**
 * Changes to a campaign's running counts, by counter name (`notified`,
 * `submitted`, `missed`; the assessment adds its own), made in the same
 * transaction as the evaluation's move.
 */
export type ProgressDeltas = Readonly<Record<string, number>>;

/** A status move of one evaluation (see {@link moveEvaluation}). */
export interface EvaluationMove {
  readonly evaluation: EvaluationRecord;
  readonly change: { from: readonly EvaluationRecord['status'][]; to: EvaluationRecord['status']; set: Item; counts?: ProgressDeltas };
  readonly audit: AuditWrite;
  /** A sanction mark recorded with the move (written once: its key must not exist yet). */
  readonly mark?: SanctionMarkRecord;
}

/** The evaluation's conditional update, its audit item and its mark, if any: the items of one move. */
function moveOps({ evaluation, change, audit, mark }: EvaluationMove): TransactItem[] {
  const values: Item = { ':v': evaluation.version };
  change.from.forEach((s, i) => (values[`:from${i}`] = s));
  return [
    updateOp(
      evaluationKey(evaluation.campaignId, evaluation.siteId),
      { set: { ...change.set, status: change.to, version: evaluation.version + 1 } },
      { expression: `version = :v AND #status IN (${change.from.map((_, i) => `:from${i}`).join(', ')})`, names: { '#status': 'status' }, values },
    ),
    auditOp(`SITE#${evaluation.siteId}`, audit),
    ...(mark ? [putNewOp(markItem(mark))] : []),
  ];
}

/** The ADDs of the moves' counts, one per counter shard (a transaction may not touch an item twice). */
function counterOps(moves: readonly EvaluationMove[]): TransactItem[] {
  const byShard = new Map<string, Map<string, number>>();
  for (const { evaluation, change } of moves) {
    const key = progressKey(evaluation.campaignId, evaluation.siteId);
    const id = `${key.pk}|${key.sk}`;
    const counts = byShard.get(id) ?? new Map<string, number>();
    for (const [name, delta] of Object.entries(change.counts ?? {})) counts.set(name, (counts.get(name) ?? 0) + delta);
    byShard.set(id, counts);
  }
  return [...byShard.entries()].flatMap(([id, counts]) => {
    const counters = [...counts.entries()].filter(([, delta]) => delta !== 0);
    if (counters.length === 0) return [];
    const [pk, sk] = id.split('|') as [string, string];
    return [
      {
        Update: {
          TableName: tableName(),
          Key: { pk, sk },
          UpdateExpression: `ADD ${counters.map((_, i) => `#c${i} :n${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(counters.map(([name], i) => [`#c${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(counters.map(([, delta], i) => [`:n${i}`, delta])),
        },
      },
    ];
  });
}

/**
 * Moves an evaluation from one status to another under its version, with
 * the campaign's running count and an audit event, in one transaction.
 * @returns false when the evaluation was no longer in `from` (a retried step, a race: nothing written).
 */
export async function moveEvaluation(
  evaluation: EvaluationRecord,
  change: EvaluationMove['change'],
  audit: AuditWrite,
): Promise<boolean> {
  const move: EvaluationMove = { evaluation, change, audit };
  const outcome = await runTransaction([...moveOps(move), ...counterOps([move])]);
  return outcome.ok;
}

/**
 * Many moves (a page of a campaign's notices or deadlines), as few
 * transactions as DynamoDB's 100 items allow: each holds whole moves (the
 * evaluation, its audit, its mark) and one ADD per counter shard they count
 * in, so each move stays atomic with its count. A transaction that is
 * cancelled (one evaluation moved meanwhile: a report submitted, a retried
 * step; a conflict; a mark already there) is done again move by move,
 * each on its own, its mark added after it as {@link addSanctionMark} does.
 * @returns for each move, whether it was applied (false: no longer in `from`).
 */
export async function moveEvaluations(moves: readonly EvaluationMove[]): Promise<boolean[]> {
  const applied: boolean[] = [];
  const perMove = Math.max(1, ...moves.map((m) => moveOps(m).length));
  const size = Math.max(1, Math.floor((TRANSACTION_ITEMS - SHARDS) / perMove));
  for (let i = 0; i < moves.length; i += size) {
    const chunk = moves.slice(i, i + size);
    let ok = false;
    try {
      ok = chunk.length > 1 && (await runTransaction([...chunk.flatMap(moveOps), ...counterOps(chunk)])).ok;
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
    }
    if (ok) applied.push(...chunk.map(() => true));
    else {
      for (const m of chunk) {
        const moved = await moveEvaluation(m.evaluation, m.change, m.audit);
        if (moved && m.mark) await addSanctionMark(m.mark);
        applied.push(moved);
      }
    }
  }
  return applied;
}

/** Records how many sites the campaign's selection covers. */
export async function setCampaignSiteCount(campaignId: string, count: number): Promise<void> {
  await updateIf(campaignKey(campaignId), { set: { siteCount: count } }, { expression: 'attribute_exists(pk)' });
}

/** Closes a campaign (its deadline passed and every evaluation was settled). */
export async function closeCampaign(campaignId: string, at: string): Promise<boolean> {
  const outcome = await runTransaction([
    updateOp(campaignKey(campaignId), { set: { status: 'CLOSED', closedAt: at } }, { expression: '#status = :open', names: { '#status': 'status' }, values: { ':open': 'OPEN' } }),
  ]);
  return outcome.ok;
}

const markItem = (mark: SanctionMarkRecord): Item => ({ pk: `SITE#${mark.siteId}`, sk: `MARK#${mark.at}#${mark.kind}`, type: 'sanction-mark', ...mark });

/** Records a dated mark on a site (idempotent by time and kind). */
export function addSanctionMark(mark: SanctionMarkRecord): Promise<boolean> {
  return putIf(markItem(mark), { expression: 'attribute_not_exists(pk)' });
}

/** A site's marks, oldest first. */
export async function listSanctionMarks(siteId: string): Promise<SanctionMarkRecord[]> {
  return (await queryAll({ pk: `SITE#${siteId}`, skPrefix: 'MARK#' })).map((item) => parseRecord(sanctionMarkRecordSchema, item));
}
