import {
  OPEN_RECTIFICATION_STATUSES,
  rectificationRecordSchema,
  type RectificationRecord,
  type RectificationStatus,
} from '../../../schemas/records/rectification.record.ts';
import { TransientError } from '../../domain/errors.ts';
import { auditOp, getItem, parseRecord, putNewOp, queryAll, runTransaction, tableName, updateOp, type AuditWrite, type Item, type Key, type TransactItem } from './table.ts';

export type { RectificationRecord, RectificationStatus };

/**
 * A site's rectifications (Art.21 "限期整改"):
 * | item | pk | sk |
 * |---|---|---|
 * | rectification | `SITE#<siteId>` | `RECTIFICATION#<id>` (the id is the campaign's: one per site and campaign) |
 * | open-rectification lock | `SITE#<siteId>` | `RECTIFICATION_OPEN` (one open rectification per site) |
 * Audited on the site.
 */
const sitePk = (siteId: string) => `SITE#${siteId}`;
const rectificationKey = (siteId: string, id: string): Key => ({ pk: sitePk(siteId), sk: `RECTIFICATION#${id}` });
const rectificationLock = (siteId: string): Key => ({ pk: sitePk(siteId), sk: 'RECTIFICATION_OPEN' });

const openCondition = () => {
  const values: Item = {};
  OPEN_RECTIFICATION_STATUSES.forEach((s, i) => (values[`:open${i}`] = s));
  return { expression: `#status IN (${OPEN_RECTIFICATION_STATUSES.map((_, i) => `:open${i}`).join(', ')})`, names: { '#status': 'status' }, values };
};

/** The writes that open a rectification (the record and the site's lock), for the suspension's transaction. */
export function rectificationCreationOps(record: RectificationRecord): TransactItem[] {
  return [
    putNewOp({ ...rectificationKey(record.siteId, record.rectificationId), type: 'rectification', ...record }),
    putNewOp({ ...rectificationLock(record.siteId), type: 'rectification-lock', rectificationId: record.rectificationId }),
  ];
}

/**
 * Opens a rectification with the site's lock and its audit item. A second
 * open of the same rectification (a retried step) returns the stored one.
 */
export async function createRectification(record: RectificationRecord, audit: AuditWrite): Promise<{ record: RectificationRecord; created: boolean }> {
  const outcome = await runTransaction([...rectificationCreationOps(record), auditOp(sitePk(record.siteId), audit)]);
  if (outcome.ok) return { record, created: true };
  const stored = await getRectification(record.siteId, record.rectificationId);
  if (stored) return { record: stored, created: false };
  const lock = await getItem(rectificationLock(record.siteId));
  if (lock) throw new RectificationOpenError(String(lock.rectificationId));
  throw new TransientError(`rectification ${record.rectificationId} not created: ${outcome.reasons.join(',')}`);
}

/** Another rectification of the site is still open (a configuration or ordering fault inside a workflow). */
export class RectificationOpenError extends Error {
  constructor(openId: string) {
    super(`the site has an open rectification (${openId})`);
    this.name = 'RectificationOpenError';
  }
}

/** A rectification with its task token (internal use only; the API maps it to a view). */
export async function getRectification(siteId: string, rectificationId: string): Promise<RectificationRecord | undefined> {
  const item = await getItem(rectificationKey(siteId, rectificationId));
  return item ? parseRecord(rectificationRecordSchema, item) : undefined;
}

/** A site's rectifications, newest first (a handful). */
export async function listRectificationsOfSite(siteId: string): Promise<RectificationRecord[]> {
  const items = await queryAll({ pk: sitePk(siteId), skPrefix: 'RECTIFICATION#' });
  return items.map((item) => parseRecord(rectificationRecordSchema, item)).sort((a, b) => b.openedAt.localeCompare(a.openedAt));
}

/** Updates an open rectification with its audit item; false when it has ended or this audit was written (a retry). */
export async function updateOpenRectification(record: RectificationRecord, change: { set: Item; remove?: readonly string[] }, audit: AuditWrite): Promise<boolean> {
  const outcome = await runTransaction([updateOp(rectificationKey(record.siteId, record.rectificationId), change, openCondition()), auditOp(sitePk(record.siteId), audit)]);
  return outcome.ok;
}

/**
 * Stores the site's report while the rectification awaits it, before its
 * deadline, once. Returns the task token it took (to resume the workflow),
 * or undefined when the deadline passed or a report was already given.
 */
export async function takeRectificationReport(record: RectificationRecord, report: NonNullable<RectificationRecord['report']>, now: string, audit: AuditWrite): Promise<string | undefined> {
  if (!record.taskToken) return undefined;
  const outcome = await runTransaction([
    updateOp(
      rectificationKey(record.siteId, record.rectificationId),
      { set: { report, status: 'under-review' satisfies RectificationStatus, version: record.version + 1 }, remove: ['taskToken'] },
      {
        expression: '#status = :waiting AND deadline > :now AND attribute_exists(taskToken) AND #version = :v',
        names: { '#status': 'status', '#version': 'version' },
        values: { ':waiting': 'awaiting-report', ':now': now, ':v': record.version },
      },
    ),
    auditOp(sitePk(record.siteId), audit),
  ]);
  return outcome.ok ? record.taskToken : undefined;
}

/** The writes that end an open rectification (its status and the lock's release), for a transaction of its own or with the site's transition. */
export function endRectificationOps(record: RectificationRecord, status: RectificationStatus, set: Item): TransactItem[] {
  const condition = openCondition();
  return [
    updateOp(rectificationKey(record.siteId, record.rectificationId), { set: { ...set, status }, remove: ['taskToken'] }, condition),
    {
      Delete: {
        TableName: tableName(),
        Key: rectificationLock(record.siteId),
        ConditionExpression: 'rectificationId = :id',
        ExpressionAttributeValues: { ':id': record.rectificationId },
      },
    },
  ];
}

/** Ends an open rectification with its audit item; false when it had ended already (a retry). */
export async function endRectification(record: RectificationRecord, status: RectificationStatus, set: Item, audit: AuditWrite): Promise<boolean> {
  const outcome = await runTransaction([...endRectificationOps(record, status, set), auditOp(sitePk(record.siteId), audit)]);
  return outcome.ok;
}
