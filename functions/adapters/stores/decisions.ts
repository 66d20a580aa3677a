import * as z from 'zod/mini';
import { TransientError } from '../../domain/errors.ts';
import type { ApplicationTrigger } from '../../domain/application-lifecycle.ts';
import type { DecisionStatus } from '../../../schemas/api/accreditation.schema.ts';
import { decisionRecordSchema, type DecisionRecord } from '../../../schemas/records/decision.record.ts';
import { applicationAuditOp, resubmitOps, transitionApplication, type ApplicationRecord } from './applications.ts';
import {
  countQuery,
  countSharded,
  getItem,
  getMany,
  parseRecord,
  putIf,
  putNewOp,
  queryAll,
  queryPage,
  querySharded,
  runTransaction,
  shardedKey,
  updateIf,
  updateOp,
  type AuditWrite,
  type Item,
  type Key,
  type Page,
  type TransactItem,
} from './table.ts';

export type { DecisionRecord };

/**
 * Decision tasks (opened by workflow steps, decided from e-mail links):
 * | item | pk | sk | gsi1 | gsi2 | gsi3 |
 * |---|---|---|---|---|---|
 * | decision task | `DECISION#<decisionId>` | `DECISION` | `ASSIGNEE#<sub>` / `<deadline>#<id>` | `TASKS#pending#<shard>` / `<deadline>#<id>` | `APP#<id>` / `<createdAt>` |
 * | step lock | `DECISIONSTEP#<executionName>#<stateName>#<enteredTime>` | `DECISIONSTEP` | | | |
 * gsi1 and gsi2 are sparse: set while the task is pending, removed when it
 * is decided, expired or reassigned (a task changes its lists once).
 * The step lock names the decision a workflow step opened, so a retried
 * `open-decision-task` (a new task token) updates that decision instead of
 * opening a second one. Deadlines are `deadline` (ISO) and `deadlineMs`, NOT
 * the TTL attribute `expiresAt`: TTL would delete expired decisions, and
 * their links must keep saying "expired". The task token lives only in
 * `taskToken` of a pending or undelivered decision; it is removed once
 * delivered, expired or reassigned.
 */
const decisionKey = (decisionId: string): Key => ({ pk: `DECISION#${decisionId}`, sk: 'DECISION' });
const stepKey = (step: string): Key => ({ pk: `DECISIONSTEP#${step}`, sk: 'DECISIONSTEP' });
/** What the overdue list reads from the index projection. */
const OVERDUE_VIEW = z.pick(decisionRecordSchema, { decisionId: true, applicationId: true, kind: true, assigneeSub: true, deadline: true });
const PENDING_INDEXES = ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'] as const;

/** The stored item of a decision record. */
export function decisionItem(record: DecisionRecord): Item {
  const pending =
    record.status === 'pending'
      ? {
          gsi1pk: `ASSIGNEE#${record.assigneeSub}`,
          gsi1sk: `${record.deadline}#${record.decisionId}`,
          // Sharded: a national campaign's close opens thousands of assessment tasks at once.
          gsi2pk: shardedKey('TASKS#pending', record.decisionId),
          gsi2sk: `${record.deadline}#${record.decisionId}`,
        }
      : {};
  return { ...decisionKey(record.decisionId), type: 'decision', ...record, ...pending, gsi3pk: `APP#${record.applicationId}`, gsi3sk: record.createdAt };
}

/** A decision by id, token included (internal use only). */
export async function getDecision(decisionId: string): Promise<DecisionRecord | undefined> {
  const item = await getItem(decisionKey(decisionId));
  return item ? parseRecord(decisionRecordSchema, item) : undefined;
}

async function decisions(items: readonly Item[]): Promise<DecisionRecord[]> {
  const full = await getMany(items.map((i) => decisionKey(String(i.pk).slice('DECISION#'.length))));
  return full.map((item) => parseRecord(decisionRecordSchema, item));
}

/**
 * Opens a decision task for a workflow step. One transaction holds the step
 * lock (naming the decision) and (with `transition`) the application's
 * status change by its lifecycle row with its audit item, or (without) an
 * audit item alone; the decision item itself is written after it, on its
 * own: in a transaction its index entries would cost twice the write units
 * (four entries: the record and its three lists). A try that stops between
 * the two leaves the lock naming a decision not yet written; the step's
 * retry (a new task token) finds the lock and writes that decision then.
 * When the step already ran, the decision it opened gets the new task token
 * and is returned with `replayed: true`.
 */
export async function openDecision(input: {
  record: DecisionRecord;
  transition?: { trigger: ApplicationTrigger; expectedVersion: number };
  audit: AuditWrite;
}): Promise<{ record: DecisionRecord; replayed: boolean }> {
  const step = stepKey(input.record.stepKey);
  const stepItem = { ...step, type: 'decision-step', decisionId: input.record.decisionId, at: input.record.createdAt };
  const lock: TransactItem[] = [putNewOp(stepItem)];
  let replayed: boolean;
  if (input.transition) {
    const { action: _ignored, ...event } = input.audit.event;
    const result = await transitionApplication({
      id: input.record.applicationId,
      triggers: [input.transition.trigger],
      expectedVersion: input.transition.expectedVersion,
      audit: { key: input.audit.key, event },
      extra: lock,
    });
    replayed = result.replayed;
  } else {
    const outcome = await runTransaction([...lock, applicationAuditOp(input.record.applicationId, input.audit)]);
    if (!outcome.ok && outcome.reasons[0] !== 'ConditionalCheckFailed') throw new TransientError('decision task not opened; retry');
    replayed = !outcome.ok;
  }
  if (!replayed) {
    await putIf(decisionItem(input.record), { expression: 'attribute_not_exists(pk)' });
    return { record: input.record, replayed: false };
  }
  const existingLock = await getItem(step);
  const existingId = typeof existingLock?.decisionId === 'string' ? existingLock.decisionId : undefined;
  if (!existingId) throw new TransientError('step lock not readable yet; retry');
  let existing = await getDecision(existingId);
  if (!existing) {
    // The first try stopped after its transaction: the decision it locked is written now, with this try's token.
    const record: DecisionRecord = { ...input.record, decisionId: existingId };
    if (await putIf(decisionItem(record), { expression: 'attribute_not_exists(pk)' })) return { record, replayed: true };
    existing = await getDecision(existingId);
    if (!existing) throw new TransientError('decision not readable yet; retry');
  }
  if (input.record.taskToken && existing.status === 'pending') {
    await updateIf(decisionKey(existingId), { set: { taskToken: input.record.taskToken } }, { expression: '#status = :pending', names: { '#status': 'status' }, values: { ':pending': 'pending' } });
    return { record: { ...existing, taskToken: input.record.taskToken }, replayed: true };
  }
  return { record: existing, replayed: true };
}

function claimOp(record: DecisionRecord, nowMs: number, decided: { outcome: string; reason: string; decidedBy: string; decidedAt: string; output: Item }): TransactItem {
  return updateOp(
    decisionKey(record.decisionId),
    { set: { status: 'decided' satisfies DecisionStatus, ...decided, delivered: false }, remove: PENDING_INDEXES },
    { expression: '#status = :pending AND deadlineMs > :now', names: { '#status': 'status' }, values: { ':pending': 'pending', ':now': nowMs } },
  );
}

/**
 * Single use: marks a pending decision decided only while it is pending and
 * before its deadline. False when either no longer holds.
 */
export async function claimDecision(
  record: DecisionRecord,
  nowMs: number,
  decided: { outcome: string; reason: string; decidedBy: string; decidedAt: string; output: Item },
): Promise<boolean> {
  return updateIf(
    decisionKey(record.decisionId),
    { set: { status: 'decided', ...decided, delivered: false }, remove: PENDING_INDEXES },
    { expression: '#status = :pending AND deadlineMs > :now', names: { '#status': 'status' }, values: { ':pending': 'pending', ':now': nowMs } },
  );
}

/** A delivery Step Functions did not take: the same reviewer's next POST may repeat it at once. */
export async function markDeliveryFailed(record: DecisionRecord, at: string): Promise<void> {
  await updateIf(decisionKey(record.decisionId), { set: { deliveryFailedAt: at } }, { expression: '#status = :decided AND delivered = :false', names: { '#status': 'status' }, values: { ':decided': 'decided', ':false': false } });
}

/**
 * Takes the repeat of an interrupted delivery, one request at a time: when
 * the last try failed (`deliveryFailedAt`), or when the decision was saved
 * before `staleBefore` (longer ago than any request runs: the try died
 * between the save and the delivery) and no other repeat started since.
 * False while the first delivery may still be under way: a second POST at
 * the same moment is not a retry, and must not deliver (nor expire) it again.
 */
export function claimRedelivery(record: DecisionRecord, at: string, staleBefore: string): Promise<boolean> {
  return updateIf(
    decisionKey(record.decisionId),
    { set: { redeliveringAt: at }, remove: ['deliveryFailedAt'] },
    {
      expression: '#status = :decided AND delivered = :false AND (attribute_exists(deliveryFailedAt) OR (decidedAt < :stale AND (attribute_not_exists(redeliveringAt) OR redeliveringAt < :stale)))',
      names: { '#status': 'status' },
      values: { ':decided': 'decided', ':false': false, ':stale': staleBefore },
    },
  );
}

/** The workflow has the decision: the token is no longer needed and is removed. */
export async function markDecisionDelivered(record: DecisionRecord): Promise<void> {
  await updateIf(decisionKey(record.decisionId), { set: { delivered: true }, remove: ['taskToken'] }, { expression: '#status = :decided', names: { '#status': 'status' }, values: { ':decided': 'decided' } });
}

/** Marks a decision expired (pending, or decided but never delivered: the workflow timed it out). */
export function expireDecision(record: DecisionRecord, at: string): Promise<boolean> {
  return updateIf(
    decisionKey(record.decisionId),
    { set: { status: 'expired', expiredAt: at }, remove: ['taskToken', ...PENDING_INDEXES] },
    { expression: '#status = :pending OR (#status = :decided AND delivered = :false)', names: { '#status': 'status' }, values: { ':pending': 'pending', ':decided': 'decided', ':false': false } },
  );
}

/**
 * Moves a pending task to a new decision record (new id, new assignee, same
 * token); the old record becomes `reassigned`. One transaction with the
 * audit item. False when the old one is no longer pending.
 */
export async function reassignDecision(old: DecisionRecord, replacement: DecisionRecord, audit: AuditWrite): Promise<boolean> {
  const outcome = await runTransaction([
    updateOp(
      decisionKey(old.decisionId),
      { set: { status: 'reassigned', reassignedTo: replacement.decisionId }, remove: ['taskToken', ...PENDING_INDEXES] },
      { expression: '#status = :pending', names: { '#status': 'status' }, values: { ':pending': 'pending' } },
    ),
    putNewOp(decisionItem(replacement)),
    applicationAuditOp(old.applicationId, audit),
  ]);
  return outcome.ok;
}

/**
 * Resubmission after a return: RETURNED → SUBMITTED (next round, the
 * lifecycle's `resubmit` row) and the pending `applicant-correction`
 * decision claimed (pending, before its deadline), with the audit item, in
 * one transaction.
 */
export async function resubmit(input: {
  application: ApplicationRecord;
  decision: DecisionRecord;
  at: string;
  nowMs: number;
  decidedBy: string;
  output: Item;
  audit: { key: AuditWrite['key']; event: Omit<AuditWrite['event'], 'article'> };
}): Promise<'ok' | 'application-changed' | 'decision-closed'> {
  const [appUpdate, audit] = resubmitOps(input.application, input.at, input.audit);
  const outcome = await runTransaction([
    appUpdate!,
    claimOp(input.decision, input.nowMs, { outcome: 'resubmitted', reason: 'resubmitted', decidedBy: input.decidedBy, decidedAt: input.at, output: input.output }),
    audit!,
  ]);
  if (outcome.ok) return 'ok';
  if (outcome.reasons[1] === 'ConditionalCheckFailed') return 'decision-closed';
  return 'application-changed';
}

/** My pending decisions, earliest deadline first. */
export async function listPendingDecisionsOf(assigneeSub: string, page: { cursor?: string; limit?: number }): Promise<Page<DecisionRecord>> {
  const out = await queryPage({ index: 'gsi1', pk: `ASSIGNEE#${assigneeSub}`, ...page });
  return { items: await decisions(out.items), cursor: out.cursor };
}

/** How many pending decisions a person has, counted up to `upTo` (Select COUNT: no item leaves the table; the read stops at `upTo`). */
export function countPendingDecisions(assigneeSub: string, upTo: number): Promise<number> {
  return countQuery({ index: 'gsi1', pk: `ASSIGNEE#${assigneeSub}` }, upTo);
}

/** Every decision of an application, oldest first (a bounded partition). */
export async function listDecisionsOfApplication(applicationId: string): Promise<DecisionRecord[]> {
  return decisions(await queryAll({ index: 'gsi3', pk: `APP#${applicationId}` }));
}

/** The first `limit` overdue tasks by deadline across the shards of the pending list. */
async function firstOverdue(now: string, limit: number): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const page = await querySharded({ index: 'gsi2', prefix: 'TASKS#pending', skBefore: now, limit: Math.min(200, limit - items.length), cursor });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor && items.length < limit);
  return items;
}

/** Pending tasks past their deadline at `now`: how many, and the first `limit` of them (from the index projection). */
export async function overdueDecisions(now: string, limit: number): Promise<{ count: number; items: Array<Pick<DecisionRecord, 'decisionId' | 'applicationId' | 'kind' | 'assigneeSub' | 'deadline'>> }> {
  const [count, items] = await Promise.all([
    countSharded({ index: 'gsi2', prefix: 'TASKS#pending', skBefore: now }),
    firstOverdue(now, limit),
  ]);
  return {
    count,
    items: items.map((t) => parseRecord(OVERDUE_VIEW, t)),
  };
}
