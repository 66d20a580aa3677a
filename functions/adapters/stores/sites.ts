import { SITE_LIFECYCLE } from '../../domain/site-lifecycle.ts';
import type { SiteStatus } from '../../domain/site-lifecycle.ts';
import { siteRecordSchema, type SiteRecord } from '../../../schemas/records/site.record.ts';
import {
  auditOp,
  getItem,
  getMany,
  parseRecord,
  putNewOp,
  queryAll,
  queryAllSharded,
  querySharded,
  shardedKey,
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
 * | site | `SITE#<id>` | `SITE` | `INST#<creditCode>` / `SITE#<createdAt>` | `SITESTATUS#<status>#<shard>` / `<statusSince>#<id>` | `MILESTONE#<shard>` / `<nextMilestoneAt>#<id>` |
 * The status list and the inactivity timer's milestone list would hold every
 * site under one key value: both are sharded (`SHARDS`), read in parallel.
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
    gsi2pk: shardedKey(`SITESTATUS#${site.status}`, site.siteId),
    gsi2sk: `${site.updatedAt}#${site.siteId}`,
    gsi3pk: shardedKey('MILESTONE', site.siteId),
    gsi3sk: `${site.nextMilestoneAt}#${site.siteId}`,
  };
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

/** Sites in one status, the latest to enter it first (all shards merged): the organisation's register of exam sites. */
export async function listSitesByStatus(status: SiteStatus, page: { cursor?: string; limit?: number }): Promise<Page<SiteRecord>> {
  const out = await querySharded({ index: 'gsi2', prefix: `SITESTATUS#${status}`, newestFirst: true, ...page });
  return { items: await sites(out.items), cursor: out.cursor };
}

/** Id and city of every site in a status, from the index projection (Art.8 coverage). */
export async function siteCitiesInStatus(status: SiteStatus): Promise<Array<{ siteId?: string; cityCode?: string }>> {
  const items = await queryAllSharded({ index: 'gsi2', prefix: `SITESTATUS#${status}` });
  return items.map((i) => ({
    ...(typeof i.siteId === 'string' ? { siteId: i.siteId } : {}),
    ...(typeof i.cityCode === 'string' ? { cityCode: i.cityCode } : {}),
  }));
}
