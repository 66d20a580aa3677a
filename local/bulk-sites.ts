import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../functions/adapters/aws-clients.ts';
import { applicationStatusItem } from '../functions/adapters/stores/applications.ts';
import { siteItem, type SiteRecord } from '../functions/adapters/stores/sites.ts';
import { CURRENT_STANDARD_VERSION } from '../functions/domain/screening/standard-versions.ts';
import { tableName, type Item } from '../functions/adapters/stores/table.ts';

/**
 * Many ACTIVE sites at once for the local stack (the campaign bench and the
 * campaign scale test): each site item exactly as the store writes it (keys,
 * sharded status and milestone indexes), the approved application it came
 * from (its status item: a decision task on the site, such as the
 * assessment at a campaign's deadline, reads it as on any real site) and
 * one site manager's membership, so notices have a recipient. Written with
 * BatchWriteItem, 25 items a request; no workflow, schedule, form or audit
 * item (they are not what is measured). Run after `startLocalStack`, whose environment names the table.
 */

/** Regions the bulk sites are spread over (province, city). */
export const BULK_REGIONS: ReadonlyArray<{ provinceCode: string; cityCode: string }> = [
  { provinceCode: '110000', cityCode: '110100' },
  { provinceCode: '310000', cityCode: '310100' },
  { provinceCode: '440000', cityCode: '440100' },
  { provinceCode: '440000', cityCode: '440300' },
  { provinceCode: '330000', cityCode: '330100' },
  { provinceCode: '320000', cityCode: '320100' },
  { provinceCode: '510000', cityCode: '510100' },
  { provinceCode: '420000', cityCode: '420100' },
  { provinceCode: '350000', cityCode: '350200' },
  { provinceCode: '370000', cityCode: '370200' },
];

export interface BulkSite {
  readonly siteId: string;
  readonly creditCode: string;
  readonly email: string;
  readonly provinceCode: string;
  readonly cityCode: string;
}

/** The i-th bulk site (deterministic: the same `prefix` and `i` give the same site). */
export function bulkSite(prefix: string, i: number): BulkSite {
  const n = String(i).padStart(6, '0');
  const region = BULK_REGIONS[i % BULK_REGIONS.length]!;
  return { siteId: `${prefix}${n}`, creditCode: `12${region.provinceCode.slice(0, 2)}00BK${prefix.slice(0, 2).toUpperCase()}${n}X`.slice(0, 18), email: `site-${prefix.toLowerCase()}${n}@bulk.example.cn`, ...region };
}

async function batchPut(items: readonly Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let request: Array<{ PutRequest: { Item: Item } }> | undefined = items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 0; request && request.length > 0; attempt++) {
      if (attempt > 10) throw new Error('BatchWriteItem left items unprocessed');
      const out: BatchWriteCommandOutput = await documentClient().send(new BatchWriteCommand({ RequestItems: { [tableName()]: request } }));
      request = out.UnprocessedItems?.[tableName()] as typeof request;
    }
  }
}

/** Writes `count` ACTIVE sites (`<prefix>000000`…) with a manager each; returns them. */
export async function seedBulkSites(count: number, options: { prefix?: string; at?: string; concurrency?: number } = {}): Promise<BulkSite[]> {
  const prefix = options.prefix ?? 'BULK';
  const at = options.at ?? new Date().toISOString();
  const sites = Array.from({ length: count }, (_, i) => bulkSite(prefix, i));
  const items: Item[] = sites.flatMap((s) => {
    const record: SiteRecord = {
      siteId: s.siteId,
      certificateNumber: `CBEC-${s.provinceCode}-BULK-${s.siteId}`,
      status: 'ACTIVE',
      version: 1,
      institutionId: s.creditCode,
      institutionName: `批量考核站点 ${s.siteId}`,
      provinceCode: s.provinceCode,
      cityCode: s.cityCode,
      applicationId: `APP-${s.siteId}`,
      activatedAt: at,
      lastExamAt: null,
      inactivitySince: at,
      nextMilestoneAt: new Date(Date.parse(at) + 640 * 86_400_000).toISOString(),
      nextMilestoneKind: 'warn-90',
      createdAt: at,
      updatedAt: at,
    };
    const sub = `bulk-${s.siteId.toLowerCase()}`;
    return [
      siteItem(record),
      applicationStatusItem({
        id: record.applicationId,
        creditCode: s.creditCode,
        institutionName: record.institutionName,
        provinceCode: s.provinceCode,
        cityCode: s.cityCode,
        status: 'APPROVED',
        version: 1,
        standardVersion: CURRENT_STANDARD_VERSION,
        round: 1,
        createdAt: at,
        updatedAt: at,
        createdBy: 'bulk-seed',
        submittedAt: at,
        decidedAt: at,
        siteId: s.siteId,
      }),
      {
        pk: `USER#${sub}`,
        sk: 'MEMBERSHIP',
        type: 'membership',
        sub,
        creditCode: s.creditCode,
        institutionName: record.institutionName,
        provinceCode: s.provinceCode,
        cityCode: s.cityCode,
        role: 'site-manager',
        email: s.email,
        name: `站长 ${s.siteId}`,
        invitationId: `bulk-${s.siteId}`,
        createdAt: at,
        gsi3pk: `INST#${s.creditCode}#MEMBERS`,
        gsi3sk: sub,
      },
    ];
  });
  const chunk = Math.ceil(items.length / (options.concurrency ?? 4));
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, (_, k) => batchPut(items.slice(k * chunk, (k + 1) * chunk))));
  return sites;
}
