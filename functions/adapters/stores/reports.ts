import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';
import { reportsSchema } from '../../../schemas/api/reports.schema.ts';
import type { z } from 'zod/mini';
import { REPORT_SNAPSHOT_PREFIX } from '../table-design.ts';
import { getItem, putIf, updateIf, type Key } from './table.ts';

type Reports = z.infer<typeof reportsSchema>;

/**
 * The organisation's reports as last computed: one item, the report as
 * Brotli-compressed JSON, with the time it was computed and a refresh lease
 * (`refreshingUntil`) so that one caller recomputes while the others are
 * answered from the snapshot.
 */
const KEY: Key = { pk: `${REPORT_SNAPSHOT_PREFIX}admin`, sk: 'SNAPSHOT' };
/** Bump when the report's shape changes: an older snapshot is then recomputed, never served. */
const SHAPE = 1;
/** A compressed report larger than this is not stored (an item holds 400 KB): it is computed per request. */
const MAX_STORED_BYTES = 300_000;
const BROTLI_OPTIONS = { params: { [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT, [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } };

export interface ReportSnapshot {
  readonly generatedAt: string;
  readonly reports: Reports;
}

/** The stored snapshot, or undefined when there is none or it no longer parses (a newer shape). */
export async function getReportSnapshot(): Promise<ReportSnapshot | undefined> {
  const item = await getItem(KEY);
  if (!item || item.shape !== SHAPE || !(item.reportGz instanceof Uint8Array) || typeof item.generatedAt !== 'string') return undefined;
  const parsed = reportsSchema.safeParse(JSON.parse(brotliDecompressSync(item.reportGz).toString('utf8')));
  return parsed.success ? { generatedAt: item.generatedAt, reports: parsed.data } : undefined;
}

/** Takes the refresh lease until `until` unless another caller holds it at `now`; true when taken. */
export function claimReportRefresh(now: string, until: string): Promise<boolean> {
  return updateIf(KEY, { set: { refreshingUntil: until } }, { expression: 'attribute_not_exists(refreshingUntil) OR refreshingUntil < :now', values: { ':now': now } });
}

/** Stores a report unless a newer one is stored already; releases the lease. */
export async function saveReportSnapshot(reports: Reports): Promise<void> {
  const reportGz = brotliCompressSync(Buffer.from(JSON.stringify(reports), 'utf8'), BROTLI_OPTIONS);
  if (reportGz.byteLength > MAX_STORED_BYTES) return;
  await putIf(
    { ...KEY, type: 'report-snapshot', shape: SHAPE, generatedAt: reports.generatedAt, reportGz },
    { expression: 'attribute_not_exists(generatedAt) OR generatedAt <= :at OR #shape <> :shape', names: { '#shape': 'shape' }, values: { ':at': reports.generatedAt, ':shape': SHAPE } },
  );
}
