import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, TransientError } from '../../domain/errors.ts';
import { EVIDENCE_PREFIX } from '../../domain/evidence-keys.ts';
import { evidenceAttemptsResetSchema, evidenceRecordSchema, type EvidenceRecord, type StoredEvidenceStatus } from '../../../schemas/records/evidence.record.ts';
import { applicationPartitionKey } from './applications.ts';
import {
  appendAudit,
  auditOp,
  getItem,
  parseRecord,
  putNewOp,
  queryAll,
  read,
  runTransaction,
  tableName,
  transition,
  updateIf,
  updateOp,
  type AuditWrite,
  type Item,
  type Key,
} from './table.ts';

export type { EvidenceRecord, StoredEvidenceStatus };

/**
 * Evidence (Art.3): one item per upload grant in the application's
 * partition, its validation results per object version, and the SHA-256
 * lookup for files used by other institutions:
 * | item | pk | sk | gsi3 |
 * |---|---|---|---|
 * | evidence item | `APP#<id>` | `EVIDENCE#<kind>#<itemId>` | `SHA#<sha256>` / `<creditCode>#<applicationId>` (valid items only) |
 * Item status: `pending` (upload granted) → `valid` | `invalid` (validator,
 * per object version, newest `sequencer` wins) and → `withdrawn` (removed by
 * its uploader). Events are audited under the application.
 */
type EvidenceRef = Pick<EvidenceRecord, 'applicationId' | 'kind' | 'itemId'>;

const evidenceKey = (ref: EvidenceRef): Key => ({ pk: applicationPartitionKey(ref.applicationId), sk: `EVIDENCE#${ref.kind}#${ref.itemId}` });

/** The object key every item has unless it was granted another: not stored, filled in on read. */
const usualObjectKey = (ref: EvidenceRef): string => `${EVIDENCE_PREFIX}${ref.applicationId}/${ref.kind}/${ref.itemId}`;

/**
 * The stored item of a record. Kept under 1 KB (a validation rewrites it,
 * and an item of 1 KB or more costs two write units a time): the object key
 * is left out when it is the usual one, and empty lists are not stored.
 */
function evidenceItem(record: EvidenceRecord): Item {
  const { objectKey, ...rest } = record;
  return { ...evidenceKey(record), type: 'evidence', ...splitEmptyLists(rest).kept, ...(objectKey === usualObjectKey(record) ? {} : { objectKey }) };
}

/** The values without their empty lists, and the names of those lists (an empty list is not stored). */
function splitEmptyLists(values: Item): { kept: Item; empty: string[] } {
  const empty = Object.keys(values).filter((name) => Array.isArray(values[name]) && values[name].length === 0);
  const kept = { ...values };
  for (const name of empty) delete kept[name];
  return { kept, empty };
}

const parse = (item: Item) =>
  parseRecord(evidenceRecordSchema, {
    tags: [],
    ...item,
    objectKey: typeof item.objectKey === 'string' ? item.objectKey : usualObjectKey({ applicationId: String(item.applicationId), kind: String(item.kind), itemId: String(item.itemId) }),
  });

/** Writes a new evidence item with its audit event in one transaction (retried requests are answered by the idempotency middleware). */
export async function createEvidenceItem(record: EvidenceRecord, audit: AuditWrite): Promise<void> {
  const outcome = await runTransaction([putNewOp(evidenceItem(record)), auditOp(applicationPartitionKey(record.applicationId), audit)]);
  if (outcome.ok) return;
  if (outcome.reasons.some((r) => r === 'TransactionConflict')) throw new TransientError('lost a concurrent update; retry');
  throw new ConflictError('ALREADY_EXISTS', '记录已存在。', 'The record already exists.');
}

export async function getEvidenceItem(applicationId: string, kind: string, itemId: string): Promise<EvidenceRecord | undefined> {
  const item = await getItem(evidenceKey({ applicationId, kind, itemId }));
  return item ? parse(item) : undefined;
}

/** Every evidence record of an application (of one kind when given), withdrawn ones included. */
export async function listEvidenceRecords(applicationId: string, kind?: string): Promise<EvidenceRecord[]> {
  const items = await queryAll({ pk: applicationPartitionKey(applicationId), skPrefix: kind ? `EVIDENCE#${kind}#` : 'EVIDENCE#' });
  return items.map(parse);
}

/** An evidence item by id alone (the routes carry no kind): one query of the application's evidence. */
export async function findEvidenceItem(applicationId: string, itemId: string): Promise<EvidenceRecord | undefined> {
  let start: Item | undefined;
  do {
    const out = await read(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        FilterExpression: 'itemId = :id',
        ExpressionAttributeValues: { ':pk': applicationPartitionKey(applicationId), ':sk': 'EVIDENCE#', ':id': itemId },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    const found = out.Items?.[0];
    if (found) return parse(found);
    start = out.LastEvaluatedKey;
  } while (start);
  return undefined;
}

/** A validation result to record on an item. */
export interface EvidenceValidationWrite {
  readonly item: EvidenceRef;
  /** Normalised sequencer of the event: written only if newer than the stored one. */
  readonly sequencer: string;
  readonly set: Item;
  readonly remove: readonly string[];
  /** The status the result replaces, kept on the item until its audit event is appended. */
  readonly from: string;
}

/**
 * Records a validation result, only if the event is newer than the last one
 * recorded and the item was not withdrawn: a retried or duplicate event, or
 * an older one arriving late, changes nothing. A valid item with a SHA-256
 * enters the duplicate lookup (gsi3).
 *
 * One conditional UpdateItem, not a transaction (a transaction costs twice
 * the write units): the item keeps what its audit event needs (`auditFrom`
 * besides the result itself) and {@link markEvidenceSettled} appends the
 * event under its deterministic key before it marks the item settled. A crash in between leaves the item
 * unsettled, and the same event again (S3 and the queue redeliver) finishes
 * the job: the audit put is idempotent, so the trail holds the event once.
 * @returns false when the condition did not hold (nothing written).
 */
export async function recordEvidenceValidation(write: EvidenceValidationWrite, creditCode: string): Promise<boolean> {
  const sha = typeof write.set.sha256 === 'string' && write.set.status === 'valid' ? { gsi3pk: `SHA#${write.set.sha256}`, gsi3sk: `${creditCode}#${write.item.applicationId}` } : undefined;
  const { kept, empty } = splitEmptyLists(write.set);
  return updateIf(
    evidenceKey(write.item),
    {
      set: { ...kept, ...(sha ?? {}), lastSequencer: write.sequencer, settled: false, auditFrom: write.from },
      remove: [...write.remove, ...empty, ...(sha ? [] : ['gsi3pk', 'gsi3sk'])],
    },
    {
      expression: 'attribute_exists(pk) AND #status <> :withdrawn AND (attribute_not_exists(#seq) OR #seq < :seq)',
      names: { '#status': 'status', '#seq': 'lastSequencer' },
      values: { ':withdrawn': 'withdrawn', ':seq': write.sequencer },
    },
  );
}

/**
 * Appends the recorded result's audit event (idempotent by its key), then
 * marks the side effects done, unless a newer event was recorded since.
 */
export async function markEvidenceSettled(item: EvidenceRecord, sequencer: string, article: string): Promise<boolean> {
  if (item.auditFrom !== undefined) await appendAudit(applicationPartitionKey(item.applicationId), evidenceValidatedAudit(item, sequencer, article));
  return updateIf(evidenceKey(item), { set: { settled: true }, remove: ['auditFrom'] }, { expression: '#seq = :seq', names: { '#seq': 'lastSequencer' }, values: { ':seq': sequencer } });
}

/** The audit event of a recorded validation result, built from the item alone (so a resumed try writes the same one). */
export function evidenceValidatedAudit(item: EvidenceRecord, sequencer: string, article: string): AuditWrite {
  return {
    key: { at: item.uploadedAt ?? item.validatedAt ?? item.createdAt, key: `evidence-validated#${item.itemId}#${sequencer}` },
    event: {
      actor: { kind: 'system', id: 'validate-evidence' },
      action: 'evidence-validated',
      from: item.auditFrom,
      to: item.status,
      article,
      details: { itemId: item.itemId, kind: item.kind, versionId: item.validatedVersionId, reasons: item.reasonCodes ?? [], duplicateOf: item.duplicateOf ?? [] },
    },
  };
}

/** Withdraws an item (kept for the record, counted nowhere), audited; leaves the duplicate lookup. */
export async function withdrawEvidenceItem(item: EvidenceRef, change: { at: string; by: string }, audit: AuditWrite): Promise<void> {
  await transition({
    key: evidenceKey(item),
    rows: (['pending', 'valid', 'invalid'] as const).map((from) => ({ from, to: 'withdrawn' satisfies StoredEvidenceStatus, trigger: audit.event.action, article: audit.event.article ?? 'Art.3' })),
    set: { withdrawnAt: change.at, withdrawnBy: change.by },
    remove: ['gsi3pk', 'gsi3sk'],
    audit: { key: audit.key, event: audit.event },
  });
}

/**
 * Applications of OTHER institutions holding a valid item with this SHA-256
 * (gsi3, never a Scan; read from the index keys). The institution's own
 * entries are skipped by the key condition: its sort keys lie between
 * `<creditCode>#` and `<creditCode>$`.
 */
export async function findEvidenceOfOtherInstitutions(sha256: string, creditCode: string, limit = 10): Promise<Array<{ applicationId: string; creditCode: string }>> {
  const found = new Map<string, { applicationId: string; creditCode: string }>();
  const ranges: Array<[string, Item]> = [
    ['gsi3pk = :pk AND gsi3sk < :own', { ':pk': `SHA#${sha256}`, ':own': `${creditCode}#` }],
    ['gsi3pk = :pk AND gsi3sk > :own', { ':pk': `SHA#${sha256}`, ':own': `${creditCode}$` }],
  ];
  for (const [condition, values] of ranges) {
    const out = await read(
      new QueryCommand({ TableName: tableName(), IndexName: 'gsi3', KeyConditionExpression: condition, ExpressionAttributeValues: values, Limit: limit }),
    );
    for (const item of out.Items ?? []) {
      const [otherCode, applicationId] = String(item.gsi3sk ?? '').split('#');
      if (applicationId && otherCode && otherCode !== creditCode) found.set(applicationId, { applicationId, creditCode: otherCode });
    }
  }
  return [...found.values()].slice(0, limit);
}

/**
 * A reviewer's marks on a validated file (Art.3): the item becomes `invalid`
 * (marks set) or `valid` again (marks cleared), guarded by its version, with
 * the audit event, in one transaction.
 */
export async function markEvidenceItem(
  item: EvidenceRef & { status: StoredEvidenceStatus; version: number },
  change: { to: 'valid' | 'invalid'; set: Item },
  audit: AuditWrite,
): Promise<void> {
  await transition({
    key: evidenceKey(item),
    rows: [{ from: item.status, to: change.to, trigger: audit.event.action, article: audit.event.article ?? 'Art.3' }],
    expectedVersion: item.version,
    set: change.set,
    audit: { key: audit.key, event: audit.event },
  });
}

/** An admin's reset of a kind's upload-attempt count for one application (`EVIDENCE-RESET#<kind>`). */
export interface EvidenceAttemptsReset {
  readonly applicationId: string;
  readonly kind: string;
  /** Uploads requested after this time count again. */
  readonly resetAt: string;
  readonly resetBy: string;
  readonly reason: string;
}

const evidenceResetKey = (applicationId: string, kind: string): Key => ({ pk: applicationPartitionKey(applicationId), sk: `EVIDENCE-RESET#${kind}` });
const parseReset = (item: Item) => parseRecord(evidenceAttemptsResetSchema, item);

/** The resets of every kind of an application (one query of its partition). */
export async function listEvidenceAttemptsResets(applicationId: string): Promise<EvidenceAttemptsReset[]> {
  return (await queryAll({ pk: applicationPartitionKey(applicationId), skPrefix: 'EVIDENCE-RESET#' })).map(parseReset);
}

export async function getEvidenceAttemptsReset(applicationId: string, kind: string): Promise<EvidenceAttemptsReset | undefined> {
  const item = await getItem(evidenceResetKey(applicationId, kind));
  return item ? parseReset(item) : undefined;
}

/**
 * Records a reset with its audit event in one transaction, only if no other
 * reset was recorded since `previousResetAt` (two admins at once: one wins).
 * @returns false when another reset came first (nothing written).
 */
export async function recordEvidenceAttemptsReset(reset: EvidenceAttemptsReset, previousResetAt: string | undefined, audit: AuditWrite): Promise<boolean> {
  const key = evidenceResetKey(reset.applicationId, reset.kind);
  const item = { ...key, type: 'evidence-reset', ...reset };
  const outcome = await runTransaction([
    previousResetAt ? putNewOp(item, { expression: 'resetAt = :previous', values: { ':previous': previousResetAt } }) : putNewOp(item),
    auditOp(key.pk, audit),
  ]);
  return outcome.ok;
}
