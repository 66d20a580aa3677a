import { trainingRecordSchema, workSummaryRecordSchema, type TrainingRecord, type WorkSummaryRecord } from '../../../schemas/records/duties.record.ts';
import { ConflictError } from '../../domain/errors.ts';
import { siteAuditOp } from './sites.ts';
import { parseRecord, putNewOp, queryPage, runTransaction, type AuditWrite, type Item, type Page } from './table.ts';

export type { TrainingRecord, WorkSummaryRecord };

/**
 * The site's duties on record (Art.15–16), one partition per site:
 * | item | pk | sk |
 * |---|---|---|
 * | staff training (Art.15) | `DUTIES#<siteId>` | `TRAINING#<recordedAt>#<trainingId>` |
 * | work summary (Art.16) | `DUTIES#<siteId>` | `SUMMARY#<recordedAt>#<summaryId>` |
 * Written once, never changed (no index: each list is the site's own
 * partition, newest first). Each is written with its audit item on the
 * site's timeline in one transaction.
 */
const partition = (siteId: string) => `DUTIES#${siteId}`;

function trainingItem(record: TrainingRecord): Item {
  return { pk: partition(record.siteId), sk: `TRAINING#${record.recordedAt}#${record.trainingId}`, type: 'training', ...record };
}

function summaryItem(record: WorkSummaryRecord): Item {
  return { pk: partition(record.siteId), sk: `SUMMARY#${record.recordedAt}#${record.summaryId}`, type: 'work-summary', ...record };
}

/** Writes a record with its audit item; a second write under the same audit key (a retried request) is refused as a duplicate. */
async function writeWithAudit(item: Item, siteId: string, audit: AuditWrite): Promise<void> {
  const outcome = await runTransaction([putNewOp(item), siteAuditOp(siteId, audit)]);
  if (!outcome.ok) throw new ConflictError('DUTY_ALREADY_RECORDED', '该记录已提交。', 'This record was already submitted.');
}

/** Art.15: records a staff training of a site, audited on its timeline. */
export async function recordTraining(record: TrainingRecord, audit: AuditWrite): Promise<void> {
  await writeWithAudit(trainingItem(record), record.siteId, audit);
}

/** Art.16: records a work summary of a site, audited on its timeline. */
export async function recordWorkSummary(record: WorkSummaryRecord, audit: AuditWrite): Promise<void> {
  await writeWithAudit(summaryItem(record), record.siteId, audit);
}

/** A site's training records, newest first. */
export async function listTrainings(siteId: string, page: { cursor?: string; limit?: number }): Promise<Page<TrainingRecord>> {
  const out = await queryPage({ pk: partition(siteId), skPrefix: 'TRAINING#', newestFirst: true, ...page });
  return { items: out.items.map((item) => parseRecord(trainingRecordSchema, item)), cursor: out.cursor };
}

/** A site's work summaries, newest first. */
export async function listWorkSummaries(siteId: string, page: { cursor?: string; limit?: number }): Promise<Page<WorkSummaryRecord>> {
  const out = await queryPage({ pk: partition(siteId), skPrefix: 'SUMMARY#', newestFirst: true, ...page });
  return { items: out.items.map((item) => parseRecord(workSummaryRecordSchema, item)), cursor: out.cursor };
}
