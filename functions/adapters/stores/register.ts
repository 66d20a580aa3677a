import type { PilotCollege } from '../../../schemas/pilot-college.schema.ts';
import { pilotCollegeRecordSchema } from '../../../schemas/records/registry.record.ts';
import { auditOp, getItem, getMany, parseRecord, putOp, queryAll, queryPage, runTransaction, type AuditWrite, type Item, type Page, type TransactionOutcome } from './table.ts';

/**
 * The pilot-college register (Art.3(2), Art.8):
 * | item | pk | sk | gsi3 |
 * |---|---|---|---|
 * | pilot college | `PILOT#<creditCode>` | `PILOT` | `PILOTS` / `<province>#<city>#<creditCode>` |
 * Register changes are audited under the entry (`PILOT#<creditCode>`).
 */
const pilotKey = (creditCode: string) => ({ pk: `PILOT#${creditCode}`, sk: 'PILOT' });

function pilotItem(entry: PilotCollege): Item {
  return { ...pilotKey(entry.creditCode), type: 'pilot-college', ...entry, gsi3pk: 'PILOTS', gsi3sk: `${entry.provinceCode}#${entry.cityCode}#${entry.creditCode}` };
}

export async function getPilotCollege(creditCode: string): Promise<PilotCollege | undefined> {
  const item = await getItem(pilotKey(creditCode));
  return item ? parseRecord(pilotCollegeRecordSchema, item) : undefined;
}

async function entries(items: readonly Item[]): Promise<PilotCollege[]> {
  const full = await getMany(items.map((i) => pilotKey(String(i.pk).slice('PILOT#'.length))));
  return full.map((item) => parseRecord(pilotCollegeRecordSchema, item));
}

/** The register by province, city and credit code, one page at a time. */
export async function listPilotColleges(input: { provinceCode?: string; cursor?: string; limit?: number }): Promise<Page<PilotCollege>> {
  const page = await queryPage({ index: 'gsi3', pk: 'PILOTS', skPrefix: input.provinceCode ? `${input.provinceCode}#` : undefined, cursor: input.cursor, limit: input.limit });
  return { items: await entries(page.items), cursor: page.cursor };
}

/** The whole register (a few thousand entries at most), for the Art.8 coverage report. */
export async function allPilotColleges(): Promise<PilotCollege[]> {
  return entries(await queryAll({ index: 'gsi3', pk: 'PILOTS' }));
}

/**
 * Writes register entries with their audit items in one transaction
 * (all or nothing; at most 50 entries: TransactWriteItems takes 100 items).
 */
export async function writePilotColleges(writes: ReadonlyArray<{ entry: PilotCollege; audit: AuditWrite }>): Promise<TransactionOutcome> {
  if (writes.length > 50) throw new RangeError('at most 50 register entries per transaction');
  return runTransaction(writes.flatMap(({ entry, audit }) => [putOp(pilotItem(entry)), auditOp(pilotKey(entry.creditCode).pk, audit)]));
}
