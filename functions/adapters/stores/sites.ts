import { SITE_LIFECYCLE } from '../../domain/site-lifecycle.ts';
import type { SiteStatus, SiteTrigger } from '../../domain/site-lifecycle.ts';
import { siteRecordSchema, type SiteRecord } from '../../../schemas/records/site.record.ts';
import { NotFoundError } from '../../domain/errors.ts';
import {
  appendAudit,
  auditOp,
  countQuery,
  decodeCursor,
  encodeCursor,
  getItem,
  getMany,
  listAuditPage,
  parseRecord,
  putNewOp,
  queryAll,
  queryAllSharded,
  queryPage,
  querySharded,
  runTransaction,
  SHARDS,
  shardedKey,
  transition,
  updateOp,
  type AuditWrite,
  type Item,
  type Key,
  type Page,
  type TransactItem,
} from './table.ts';

export type { SiteRecord };

/**
 * Accredited exam sites:
 * | item | pk | sk | gsi1 | gsi2 | gsi3 |
 * |---|---|---|---|---|---|
 * | site | `SITE#<id>` | `SITE` | `INST#<creditCode>` / `SITE#<createdAt>` | `SITESTATUS#<status>#<shard>` / `<provinceCode>#<cityCode>#<id>` | `MILESTONE#<shard>` / `<nextMilestoneAt>#<id>` |
 * The status list and the inactivity timer's milestone list would hold every
 * site under one key value: both are sharded (`SHARDS`), read in parallel.
 * The status list sorts by region (never-changing attributes), so the public
 * register and the staff search read a province or a city of one status as
 * a key prefix; a status change rewrites only `gsi2pk` ({@link siteStatusIndex}).
 * Site events are audited under `SITE#<id>`.
 */
const siteKey = (siteId: string): Key => ({ pk: `SITE#${siteId}`, sk: 'SITE' });

/** The stored item of a site. */
export function siteItem(site: SiteRecord): Item {
  return {
    ...siteKey(site.siteId),
    type: 'site',
    ...site,
    gsi1pk: `INST#${site.institutionId}`,
    gsi1sk: `SITE#${site.createdAt}`,
    ...siteStatusIndex(site, site.status),
    gsi3pk: shardedKey('MILESTONE', site.siteId),
    gsi3sk: `${site.nextMilestoneAt}#${site.siteId}`,
  };
}

/**
 * The status-list index attributes of a site in `status`: every status
 * change of a site sets these with the new status (in the transition's `set`),
 * so the site moves to the new status list and keeps its place by region.
 */
export function siteStatusIndex(site: Pick<SiteRecord, 'siteId' | 'provinceCode' | 'cityCode'>, status: SiteStatus): { gsi2pk: string; gsi2sk: string } {
  return { gsi2pk: shardedKey(`SITESTATUS#${status}`, site.siteId), gsi2sk: `${site.provinceCode}#${site.cityCode}#${site.siteId}` };
}

/**
 * The writes that create an ACTIVE site (the lifecycle's initial status)
 * with its audit item, for the transaction that approves its application.
 */
export function siteCreationOps(site: SiteRecord, audit: AuditWrite): TransactItem[] {
  const initial = SITE_LIFECYCLE.initial;
  return [putNewOp(siteItem({ ...site, status: initial })), auditOp(siteKey(site.siteId).pk, { key: audit.key, event: { ...audit.event, to: initial } })];
}

export async function getSite(siteId: string): Promise<SiteRecord | undefined> {
  const item = await getItem(siteKey(siteId));
  return item ? parseRecord(siteRecordSchema, item) : undefined;
}

async function sites(items: readonly Item[]): Promise<SiteRecord[]> {
  const full = await getMany(items.map((i) => siteKey(String(i.pk).slice('SITE#'.length))));
  return full.map((item) => parseRecord(siteRecordSchema, item));
}

/** Every site an institution has had (a handful at most: a new one only after revocation or withdrawal). */
export async function listSitesOfInstitution(creditCode: string): Promise<SiteRecord[]> {
  return sites(await queryAll({ index: 'gsi1', pk: `INST#${creditCode}`, skPrefix: 'SITE#' }));
}

/** Sites in one status by province and city (all shards merged): the organisation's register of exam sites. */
export async function listSitesByStatus(status: SiteStatus, page: { cursor?: string; limit?: number }): Promise<Page<SiteRecord>> {
  return searchSites({ statuses: [status], ...page });
}

/** Id and city of every site in a status, from the index projection (Art.8 coverage). */
export async function siteCitiesInStatus(status: SiteStatus): Promise<Array<{ siteId?: string; cityCode?: string }>> {
  const items = await queryAllSharded({ index: 'gsi2', prefix: `SITESTATUS#${status}` });
  return items.map((i) => ({
    ...(typeof i.siteId === 'string' ? { siteId: i.siteId } : {}),
    ...(typeof i.cityCode === 'string' ? { cityCode: i.cityCode } : {}),
  }));
}

/** Id, province and city of every site in a status, from the index projection (the reports' sites by province). */
export async function siteRegionsInStatus(status: SiteStatus): Promise<Array<{ siteId: string; provinceCode: string; cityCode: string }>> {
  const items = await queryAllSharded({ index: 'gsi2', prefix: `SITESTATUS#${status}` });
  return items.map((i) => ({ siteId: String(i.siteId ?? ''), provinceCode: String(i.provinceCode ?? 'unknown'), cityCode: String(i.cityCode ?? '') }));
}

/** Sites by id, in the order given (unknown ids left out): a page of a campaign's selection. */
export async function getSites(siteIds: readonly string[]): Promise<SiteRecord[]> {
  return sites(siteIds.map((id) => siteKey(id)));
}

/** What the status list's index holds of a site (its projection): enough to select it without reading the site. */
export interface SiteIndexEntry {
  readonly siteId: string;
  readonly provinceCode: string;
  readonly cityCode: string;
}

const regionPrefix = (region: { provinceCode?: string; cityCode?: string }) => (region.provinceCode ? `${region.provinceCode}#${region.cityCode ? `${region.cityCode}#` : ''}` : undefined);

/**
 * One page of one shard of a status list, by region (province, or province
 * and city, as a key prefix), from the index projection alone: a campaign's
 * selection reads the register shard by shard, page by page (never a Scan).
 */
export async function pageStatusShard(
  status: SiteStatus,
  shard: number,
  region: { provinceCode?: string; cityCode?: string },
  page: { cursor?: string; limit?: number },
): Promise<Page<SiteIndexEntry>> {
  const out = await queryPage({ index: 'gsi2', pk: `SITESTATUS#${status}#${shard}`, skPrefix: regionPrefix(region), ...page });
  return {
    items: out.items.map((i) => ({ siteId: String(i.siteId ?? String(i.pk).slice('SITE#'.length)), provinceCode: String(i.provinceCode), cityCode: String(i.cityCode) })),
    cursor: out.cursor,
  };
}

/** How many sites a status list holds in a region (Select COUNT on every shard; nothing leaves the table). */
export async function countSitesInStatus(status: SiteStatus, region: { provinceCode?: string; cityCode?: string }): Promise<number> {
  const counts = await Promise.all(Array.from({ length: SHARDS }, (_, shard) => countQuery({ index: 'gsi2', pk: `SITESTATUS#${status}#${shard}`, skPrefix: regionPrefix(region) })));
  return counts.reduce((a, b) => a + b, 0);
}

// ─── search (public register, staff search) ─────────────────────────────────

/** What a site search may combine; `statuses` are read one after the other, each by region. */
export interface SiteSearch {
  readonly statuses: readonly SiteStatus[];
  readonly provinceCode?: string;
  readonly cityCode?: string;
  /** Part of the institution name (case-insensitive). */
  readonly name?: string;
  /** Only sites whose next inactivity milestone (Art.23(1)) falls before this ISO time, earliest first. */
  readonly milestoneBefore?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

/** Index pages one search request reads at most while filters drop items (a short page then carries a cursor). */
const MAX_INDEX_PAGES = 5;

/**
 * Searches sites by index queries only (never a Scan): each status list is
 * read by region prefix (`<province>#` or `<province>#<city>#`) across its
 * shards; with `milestoneBefore` the milestone list is read instead. The
 * name, and any criterion the index read does not key on, filters the
 * records read. The cursor holds which list and where in it.
 */
export async function searchSites(search: SiteSearch): Promise<Page<SiteRecord>> {
  const limit = Math.min(Math.max(search.limit ?? 50, 1), 200);
  const region = search.provinceCode ? `${search.provinceCode}#${search.cityCode ? `${search.cityCode}#` : ''}` : undefined;
  const lists = search.milestoneBefore
    ? [{ index: 'gsi3' as const, prefix: 'MILESTONE', skBefore: search.milestoneBefore }]
    : search.statuses.map((status) => ({ index: 'gsi2' as const, prefix: `SITESTATUS#${status}`, skPrefix: region }));
  const name = search.name?.toLowerCase();
  const keep = (site: SiteRecord) =>
    search.statuses.includes(site.status) &&
    (!search.provinceCode || site.provinceCode === search.provinceCode) &&
    (!search.cityCode || site.cityCode === search.cityCode) &&
    (!name || site.institutionName.toLowerCase().includes(name));
  const position = decodeCursor(search.cursor);
  let list = typeof position?.list === 'number' && position.list >= 0 ? position.list : 0;
  let inner = typeof position?.at === 'string' ? position.at : undefined;
  const found: SiteRecord[] = [];
  for (let reads = 0; reads < MAX_INDEX_PAGES && found.length < limit && list < lists.length; reads++) {
    const page = await querySharded({ ...lists[list]!, cursor: inner, limit: limit - found.length });
    found.push(...(await sites(page.items)).filter(keep));
    if (page.cursor) inner = page.cursor;
    else {
      list += 1;
      inner = undefined;
    }
  }
  return { items: found, cursor: list < lists.length ? encodeCursor({ list, ...(inner ? { at: inner } : {}) }) : undefined };
}

// ─── the site's audit trail (its timeline) ──────────────────────────────────

/** The Put of an audit item on a site's timeline, for a transaction (e.g. with a duty record). */
export function siteAuditOp(siteId: string, audit: AuditWrite): TransactItem {
  return auditOp(siteKey(siteId).pk, audit);
}

/** One page of a site's audit trail, oldest first. */
export async function listSiteAuditPage(siteId: string, page: { cursor?: string; limit?: number }): Promise<Page<Item>> {
  return listAuditPage(siteKey(siteId).pk, page);
}

// ─── status changes ─────────────────────────────────────────────────────────

/**
 * A guarded status change of a site by its lifecycle row (`SITE_LIFECYCLE`:
 * from, to and article come from the table), with its audit item (who,
 * when, why, article) and `extra` writes, in one transaction. The status
 * index follows the status; a site that ends (REVOKED, WITHDRAWN) leaves the
 * milestone index (no timer acts on it any more). A retried step (its audit
 * item written) returns the stored site with `replayed: true`.
 * @throws ConflictError `INVALID_TRANSITION` when the site is in no `from` of the trigger's rows.
 */
export async function transitionSite(input: {
  siteId: string;
  trigger: SiteTrigger;
  audit: { key: AuditWrite['key']; event: Omit<AuditWrite['event'], 'from' | 'to' | 'article' | 'action'> & { action?: string } };
  extra?: readonly TransactItem[];
  /** Fields of the site that change with its status (the paused timer of a suspension, Art.21). */
  set?: Item;
  remove?: readonly string[];
}): Promise<{ site: SiteRecord; replayed: boolean }> {
  const rows = SITE_LIFECYCLE.transitions.filter((t) => t.trigger === input.trigger);
  const to = rows[0]!.to;
  const ended = SITE_LIFECYCLE.terminal.includes(to);
  const site = await getSite(input.siteId);
  if (!site) throw new NotFoundError('Site', '考核站点');
  const result = await transition({
    key: siteKey(input.siteId),
    rows,
    set: { ...(input.set ?? {}), ...siteStatusIndex(site, to) },
    remove: [...(ended ? ['gsi3pk', 'gsi3sk'] : []), ...(input.remove ?? [])],
    audit: input.audit,
    extra: input.extra,
  });
  return { site: parseRecord(siteRecordSchema, result.record), replayed: result.replayed };
}

// ─── the two-year timer (Art.23(1)) ─────────────────────────────────────────

/** What the inactivity timer writes on a site: its state, the next milestone (the index sort key follows), the last held session. */
export interface SiteTimerUpdate {
  /** Start of the inactivity period: the last held session, else the activation. */
  readonly inactivitySince: string;
  /** Time spent SUSPENDED in this period (closed suspensions), ms. */
  readonly suspendedMs: number;
  /** Warnings sent in this period (`warn-90`, `warn-30`). */
  readonly warnedMilestones: string[];
  readonly nextMilestoneAt: string;
  readonly nextMilestoneKind: string;
  readonly lastExamAt?: string;
}

/**
 * The update of a site's timer fields under its version (and, when
 * `requireActive`, its ACTIVE status: Art.21, a SUSPENDED site holds no
 * exam), for a transaction. Not a status change: no lifecycle row.
 */
export function siteTimerOp(site: Pick<SiteRecord, 'siteId' | 'version'>, update: SiteTimerUpdate, options: { requireActive: boolean }): TransactItem {
  const names: Record<string, string> = { '#version': 'version' };
  const values: Item = { ':v': site.version };
  let expression = '#version = :v';
  if (options.requireActive) {
    names['#status'] = 'status';
    values[':active'] = 'ACTIVE';
    expression += ' AND #status = :active';
  }
  return updateOp(
    siteKey(site.siteId),
    {
      set: {
        inactivitySince: update.inactivitySince,
        suspendedMs: update.suspendedMs,
        warnedMilestones: [...update.warnedMilestones],
        nextMilestoneAt: update.nextMilestoneAt,
        nextMilestoneKind: update.nextMilestoneKind,
        gsi3sk: `${update.nextMilestoneAt}#${site.siteId}`,
        ...(update.lastExamAt ? { lastExamAt: update.lastExamAt } : {}),
        version: site.version + 1,
      },
    },
    { expression, names, values },
  );
}

/** Writes a site's timer fields (with an audit item, when given); false when the site changed meanwhile. */
export async function updateSiteTimer(site: Pick<SiteRecord, 'siteId' | 'version'>, update: SiteTimerUpdate, audit?: AuditWrite): Promise<boolean> {
  const ops = [siteTimerOp(site, update, { requireActive: false }), ...(audit ? [auditOp(siteKey(site.siteId).pk, audit)] : [])];
  const outcome = await runTransaction(ops);
  if (outcome.ok) return true;
  // The audit item exists: this very step already wrote it.
  if (outcome.reasons[1] === 'ConditionalCheckFailed') return true;
  return false;
}

/** Appends an event to a site's timeline (idempotent by key). */
export async function appendSiteAudit(siteId: string, audit: AuditWrite): Promise<void> {
  await appendAudit(siteKey(siteId).pk, audit);
}

/** One page of sites by next milestone, soonest first (all shards merged): the daily reconciliation reads them all, page by page. */
export async function listSitesByMilestone(page: { cursor?: string; limit?: number }): Promise<Page<SiteRecord>> {
  const out = await querySharded({ index: 'gsi3', prefix: 'MILESTONE', ...page });
  return { items: await sites(out.items), cursor: out.cursor };
}
