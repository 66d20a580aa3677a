import {
  OPEN_REVOCATION_STATUSES,
  revocationRecordSchema,
  withdrawalRecordSchema,
  type RevocationRecord,
  type RevocationStatus,
  type WithdrawalRecord,
  type WithdrawalStatus,
} from '../../../schemas/records/site-case.record.ts';
import { TransientError } from '../../domain/errors.ts';
import {
  appendAudit,
  auditOp,
  tableName,
  getItem,
  parseRecord,
  putNewOp,
  queryAll,
  runTransaction,
  updateOp,
  type AuditWrite,
  type Item,
  type Key,
  type TransactItem,
} from './table.ts';

export type { RevocationRecord, RevocationStatus, WithdrawalRecord, WithdrawalStatus };

/**
 * The cases that end a site's accreditation, kept in the site's partition:
 * | item | pk | sk |
 * |---|---|---|
 * | withdrawal request (Art.22) | `SITE#<siteId>` | `WITHDRAWAL#<withdrawalId>` |
 * | open-withdrawal lock | `SITE#<siteId>` | `WITHDRAWAL_OPEN` |
 * | revocation case (Art.23, Art.21) | `SITE#<siteId>` | `REVOCATION#<revocationId>` |
 * | open-case lock per cause | `SITE#<siteId>` | `REVOCATION_OPEN#<cause>` |
 * A lock is written with its case (`attribute_not_exists`) and deleted with
 * the case's end, in the same transactions: one open withdrawal per site and
 * one open revocation case per site and cause, whatever the concurrency.
 * No index: a site has a handful of cases.
 */
const sitePk = (siteId: string) => `SITE#${siteId}`;
const withdrawalKey = (siteId: string, id: string): Key => ({ pk: sitePk(siteId), sk: `WITHDRAWAL#${id}` });
const withdrawalLock = (siteId: string): Key => ({ pk: sitePk(siteId), sk: 'WITHDRAWAL_OPEN' });
const revocationKey = (siteId: string, id: string): Key => ({ pk: sitePk(siteId), sk: `REVOCATION#${id}` });
const revocationLock = (siteId: string, cause: string): Key => ({ pk: sitePk(siteId), sk: `REVOCATION_OPEN#${cause}` });

// ─── withdrawal ─────────────────────────────────────────────────────────────

/**
 * Records a withdrawal request with its lock and audit item. Returns the
 * open request instead when one exists (`created: false`).
 */
export async function createWithdrawal(record: WithdrawalRecord, audit: AuditWrite): Promise<{ record: WithdrawalRecord; created: boolean }> {
  const outcome = await runTransaction([
    putNewOp({ ...withdrawalKey(record.siteId, record.withdrawalId), type: 'withdrawal', ...record }),
    putNewOp({ ...withdrawalLock(record.siteId), type: 'withdrawal-lock', withdrawalId: record.withdrawalId }),
    auditOp(sitePk(record.siteId), audit),
  ]);
  if (outcome.ok) return { record, created: true };
  const open = await openWithdrawalOf(record.siteId);
  if (open) return { record: open, created: false };
  throw new TransientError('withdrawal lock changed meanwhile; retry');
}

/** The open withdrawal request of a site, if any. */
export async function openWithdrawalOf(siteId: string): Promise<WithdrawalRecord | undefined> {
  const lock = await getItem(withdrawalLock(siteId));
  return typeof lock?.withdrawalId === 'string' ? getWithdrawal(siteId, lock.withdrawalId) : undefined;
}

export async function getWithdrawal(siteId: string, withdrawalId: string): Promise<WithdrawalRecord | undefined> {
  const item = await getItem(withdrawalKey(siteId, withdrawalId));
  return item ? parseRecord(withdrawalRecordSchema, item) : undefined;
}

/**
 * The writes that end a pending withdrawal request (its status and the
 * lock's release), for a transaction of its own or with the site's
 * transition.
 */
export function endWithdrawalOps(record: WithdrawalRecord, status: WithdrawalStatus, set: Item): TransactItem[] {
  return [
    updateOp(
      withdrawalKey(record.siteId, record.withdrawalId),
      { set: { ...set, status, version: record.version + 1 } },
      { expression: '#status = :pending', names: { '#status': 'status' }, values: { ':pending': 'pending' } },
    ),
    { Delete: { TableName: tableName(), Key: withdrawalLock(record.siteId), ConditionExpression: 'withdrawalId = :id', ExpressionAttributeValues: { ':id': record.withdrawalId } } },
  ];
}

/** Ends a pending request with its audit item; false when it had already ended (a retried step). */
export async function endWithdrawal(record: WithdrawalRecord, status: WithdrawalStatus, set: Item, audit: AuditWrite): Promise<boolean> {
  const outcome = await runTransaction([...endWithdrawalOps(record, status, set), auditOp(sitePk(record.siteId), audit)]);
  return outcome.ok;
}

/** A failed step: a pending request ends `failed` (its lock released, so the site can ask again), audited; an ended one gets the audit item only. */
export async function markWithdrawalFailed(record: WithdrawalRecord, at: string, audit: AuditWrite): Promise<void> {
  if (await endWithdrawal(record, 'failed', { failedAt: at }, audit)) return;
  await appendAudit(sitePk(record.siteId), audit);
}

// ─── revocation ─────────────────────────────────────────────────────────────

/**
 * Opens a revocation case with its lock (one open case per site and cause)
 * and audit item. Returns the open case of that cause instead when one
 * exists (`created: false`).
 */
export async function createRevocation(record: RevocationRecord, audit: AuditWrite): Promise<{ record: RevocationRecord; created: boolean }> {
  const outcome = await runTransaction([
    putNewOp({ ...revocationKey(record.siteId, record.revocationId), type: 'revocation', ...record }),
    putNewOp({ ...revocationLock(record.siteId, record.cause), type: 'revocation-lock', revocationId: record.revocationId }),
    auditOp(sitePk(record.siteId), audit),
  ]);
  if (outcome.ok) return { record, created: true };
  const open = await openRevocationOf(record.siteId, record.cause);
  if (open) return { record: open, created: false };
  throw new TransientError('revocation lock changed meanwhile; retry');
}

/** The open case of a site for a cause, if any. */
export async function openRevocationOf(siteId: string, cause: string): Promise<RevocationRecord | undefined> {
  const lock = await getItem(revocationLock(siteId, cause));
  return typeof lock?.revocationId === 'string' ? getRevocation(siteId, lock.revocationId) : undefined;
}

/** A case with its task token (internal use only; the API maps it to a view). */
export async function getRevocation(siteId: string, revocationId: string): Promise<RevocationRecord | undefined> {
  const item = await getItem(revocationKey(siteId, revocationId));
  return item ? parseRecord(revocationRecordSchema, item) : undefined;
}

/** Updates a running case (`open` / `representation` / `deciding`) with its audit item; false when it has ended or the audit exists (a retry). */
export async function updateOpenRevocation(record: RevocationRecord, change: { set: Item; remove?: readonly string[] }, audit: AuditWrite): Promise<boolean> {
  const values: Item = {};
  OPEN_REVOCATION_STATUSES.forEach((s, i) => (values[`:open${i}`] = s));
  const outcome = await runTransaction([
    updateOp(revocationKey(record.siteId, record.revocationId), change, {
      expression: `#status IN (${OPEN_REVOCATION_STATUSES.map((_, i) => `:open${i}`).join(', ')})`,
      names: { '#status': 'status' },
      values,
    }),
    auditOp(sitePk(record.siteId), audit),
  ]);
  return outcome.ok;
}

/**
 * Stores the site's representation while the window is open: only in
 * `representation`, before `windowEndsAt`, once. Returns the task token it
 * took off the case (to resume the workflow), or undefined when the window
 * had closed or an answer was already given.
 */
export async function takeRepresentation(record: RevocationRecord, representation: NonNullable<RevocationRecord['representation']>, now: string, audit: AuditWrite): Promise<string | undefined> {
  if (!record.taskToken) return undefined;
  const outcome = await runTransaction([
    updateOp(
      revocationKey(record.siteId, record.revocationId),
      { set: { representation, status: 'deciding' satisfies RevocationStatus, version: record.version + 1 }, remove: ['taskToken'] },
      {
        expression: '#status = :waiting AND windowEndsAt > :now AND attribute_exists(taskToken) AND #version = :v',
        names: { '#status': 'status', '#version': 'version' },
        values: { ':waiting': 'representation', ':now': now, ':v': record.version },
      },
    ),
    auditOp(sitePk(record.siteId), audit),
  ]);
  return outcome.ok ? record.taskToken : undefined;
}

/** The writes that end a running case (its status and the lock's release), for a transaction of its own or with the site's transition. */
export function endRevocationOps(record: RevocationRecord, status: RevocationStatus, set: Item): TransactItem[] {
  const values: Item = {};
  OPEN_REVOCATION_STATUSES.forEach((s, i) => (values[`:open${i}`] = s));
  return [
    updateOp(
      revocationKey(record.siteId, record.revocationId),
      { set: { ...set, status }, remove: ['taskToken'] },
      { expression: `#status IN (${OPEN_REVOCATION_STATUSES.map((_, i) => `:open${i}`).join(', ')})`, names: { '#status': 'status' }, values },
    ),
    { Delete: { TableName: tableName(), Key: revocationLock(record.siteId, record.cause), ConditionExpression: 'revocationId = :id', ExpressionAttributeValues: { ':id': record.revocationId } } },
  ];
}

/** Ends a running case with its audit item; false when it had already ended (a retried step). */
export async function endRevocation(record: RevocationRecord, status: RevocationStatus, set: Item, audit: AuditWrite): Promise<boolean> {
  const outcome = await runTransaction([...endRevocationOps(record, status, set), auditOp(sitePk(record.siteId), audit)]);
  return outcome.ok;
}

/** A failed step: a running case ends `failed` (its lock released, so it can be opened again), audited; an ended one gets the audit item only. */
export async function markRevocationFailed(record: RevocationRecord, at: string, audit: AuditWrite): Promise<void> {
  if (await endRevocation(record, 'failed', { failedAt: at }, audit)) return;
  await appendAudit(sitePk(record.siteId), audit);
}

/** Every case of a site, newest first: revocations and withdrawals. */
export async function listCasesOfSite(siteId: string): Promise<{ withdrawals: WithdrawalRecord[]; revocations: RevocationRecord[] }> {
  const [withdrawals, revocations] = await Promise.all([queryAll({ pk: sitePk(siteId), skPrefix: 'WITHDRAWAL#' }), queryAll({ pk: sitePk(siteId), skPrefix: 'REVOCATION#' })]);
  const newest = <T extends { requestedAt?: string; openedAt?: string }>(a: T, b: T) => String(b.requestedAt ?? b.openedAt).localeCompare(String(a.requestedAt ?? a.openedAt));
  return {
    withdrawals: withdrawals.map((i) => parseRecord(withdrawalRecordSchema, i)).sort(newest),
    revocations: revocations.map((i) => parseRecord(revocationRecordSchema, i)).sort(newest),
  };
}
