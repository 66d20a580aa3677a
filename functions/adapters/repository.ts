import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type NativeAttributeValue,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError, TransientError } from '../domain/errors.ts';
import { nowIso } from '../shared/clock.ts';
import { requireEnv } from '../shared/env.ts';
import { documentClient } from './aws-clients.ts';

/**
 * The one DynamoDB access module (single table, see table-design.ts).
 *
 * Key shapes (pk / sk; GSIs in brackets):
 * | item | pk | sk | gsi1 | gsi2 | gsi3 |
 * |---|---|---|---|---|---|
 * | pilot college | `PILOT#<creditCode>` | `PILOT` | | | `PILOTS` / `<province>#<city>#<creditCode>` |
 * | membership | `USER#<sub>` | `MEMBERSHIP` | | | `INST#<creditCode>#MEMBERS` / `<sub>` |
 * | invitation | `INVITE#<sha256(code)>` | `INVITE` | | | `INVITES` / `<createdAt>` |
 * | application | `APP#<id>` | `APP` | `INST#<creditCode>` / `APP#<createdAt>` | `APPSTATUS#<status>` / `<updatedAt>#<id>` | |
 * | evidence item | `APP#<id>` | `EVIDENCE#<kind>#<itemId>` | | | `SHA#<sha256>` / `<creditCode>#<id>` |
 * | audit event | `APP#<id>` or `SITE#<id>` | `AUDIT#<time>#<key>` | | | |
 * | decision task | `DECISION#<decisionId>` | `DECISION` | `ASSIGNEE#<sub>` / `<status>#<deadline>` | `TASKS#<status>` / `<deadline>#<id>` | `APP#<id>` / `<createdAt>` |
 * | site | `SITE#<id>` | `SITE` | `INST#<creditCode>` / `SITE#<createdAt>` | `SITESTATUS#<status>` / `<updatedAt>#<id>` | `MILESTONE` / `<nextMilestoneAt>#<id>` |
 * | idempotency record | `IDEMP#<sub>#<key>` | `IDEMP` | | | |
 *
 * Every status change is one TransactWriteItems: the record updated under a
 * `version` condition and an allowed-from status, plus an immutable audit
 * item written with `attribute_not_exists`. Its key is deterministic (from
 * the execution and state, or the request), so a retried task that already
 * succeeded finds its audit item and returns without writing twice.
 */

export function tableName(): string {
  return requireEnv('TABLE_NAME');
}

export type Item = Record<string, NativeAttributeValue>;

export const keys = {
  pilot: (creditCode: string) => ({ pk: `PILOT#${creditCode}`, sk: 'PILOT' }),
  membership: (sub: string) => ({ pk: `USER#${sub}`, sk: 'MEMBERSHIP' }),
  invitation: (codeHash: string) => ({ pk: `INVITE#${codeHash}`, sk: 'INVITE' }),
  application: (id: string) => ({ pk: `APP#${id}`, sk: 'APP' }),
  evidence: (applicationId: string, kind: string, itemId: string) => ({ pk: `APP#${applicationId}`, sk: `EVIDENCE#${kind}#${itemId}` }),
  decision: (decisionId: string) => ({ pk: `DECISION#${decisionId}`, sk: 'DECISION' }),
  site: (id: string) => ({ pk: `SITE#${id}`, sk: 'SITE' }),
  idempotency: (sub: string, key: string) => ({ pk: `IDEMP#${sub}#${key}`, sk: 'IDEMP' }),
  audit: (owner: string, at: string, key: string) => ({ pk: owner, sk: `AUDIT#${at}#${key}` }),
};

/** Who acted: a signed-in person or the system (a workflow step, a timer). */
export interface Actor {
  readonly kind: 'user' | 'system';
  readonly id: string;
  readonly role?: string;
  readonly name?: string;
}

/** An immutable audit event: who, when, what changed, why, under which article. */
export interface AuditEvent {
  readonly at: string;
  readonly actor: Actor;
  readonly action: string;
  readonly from?: string;
  readonly to?: string;
  readonly reason?: string;
  readonly article?: string;
  readonly details?: Item;
}

/** A deterministic identity for an audit event (see module doc). */
export interface AuditKey {
  /** Sort-time of the event; for workflow steps `$$.State.EnteredTime`, stable across retries. */
  readonly at: string;
  /** Unique part: `<executionName>#<stateName>` or `<requestId>`. */
  readonly key: string;
}

export async function getItem<T extends Item>(key: { pk: string; sk: string }, consistent = true): Promise<T | undefined> {
  const out = await documentClient().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: consistent }));
  return out.Item as T | undefined;
}

/** Reads an item or throws 404 with a bilingual message. */
export async function mustGet<T extends Item>(key: { pk: string; sk: string }, what: string, zhWhat: string): Promise<T> {
  const item = await getItem<T>(key);
  if (!item) throw new NotFoundError(what, zhWhat);
  return item;
}

export async function putNew(item: Item): Promise<void> {
  try {
    await documentClient().send(
      new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new ConflictError('ALREADY_EXISTS', '记录已存在。', 'The record already exists.');
    }
    throw error;
  }
}

/** Replaces an item unconditionally (register entries that admins edit). */
export async function putItem(item: Item): Promise<void> {
  await documentClient().send(new PutCommand({ TableName: tableName(), Item: item }));
}

/** One page of a query; `cursor` is an opaque base64url token of the last key. */
export interface Page<T> {
  readonly items: T[];
  readonly cursor?: string;
}

export function encodeCursor(key: Item | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined): Item | undefined {
  if (!cursor) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Item) : undefined;
  } catch {
    return undefined;
  }
}

/** Queries a partition of the table or of a GSI, one page at a time (never a Scan). */
export async function queryPage<T extends Item>(input: {
  index?: 'gsi1' | 'gsi2' | 'gsi3';
  pk: string;
  skPrefix?: string;
  limit?: number;
  cursor?: string;
  newestFirst?: boolean;
}): Promise<Page<T>> {
  const pkName = input.index ? `${input.index}pk` : 'pk';
  const skName = input.index ? `${input.index}sk` : 'sk';
  const out = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: input.index,
      KeyConditionExpression: input.skPrefix ? '#pk = :pk AND begins_with(#sk, :sk)' : '#pk = :pk',
      ExpressionAttributeNames: input.skPrefix ? { '#pk': pkName, '#sk': skName } : { '#pk': pkName },
      ExpressionAttributeValues: input.skPrefix ? { ':pk': input.pk, ':sk': input.skPrefix } : { ':pk': input.pk },
      Limit: Math.min(Math.max(input.limit ?? 50, 1), 200),
      ExclusiveStartKey: decodeCursor(input.cursor),
      ScanIndexForward: !input.newestFirst,
    }),
  );
  return { items: (out.Items ?? []) as T[], cursor: encodeCursor(out.LastEvaluatedKey) };
}

/** Every item of a partition (bounded partitions only: an application's evidence and audit trail). */
export async function queryAll<T extends Item>(input: { pk: string; skPrefix?: string; index?: 'gsi1' | 'gsi2' | 'gsi3' }): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage<T>({ ...input, limit: 200, cursor });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

/** The audit item for an event, keyed deterministically. */
export function auditItem(owner: { pk: string }, key: AuditKey, event: Omit<AuditEvent, 'at'>): Item {
  return { ...keys.audit(owner.pk, key.at, key.key), type: 'audit', ...event, at: key.at, recordedAt: nowIso() };
}

/** A guarded status change of a record with its audit event, in one transaction. */
export interface TransitionInput {
  readonly key: { pk: string; sk: string };
  /** Statuses the record may be in. */
  readonly from: readonly string[];
  readonly to: string;
  /** Expected version (optimistic lock); omitted = whatever version the record has now, read first. */
  readonly expectedVersion?: number;
  /** Other attributes to set in the same update. */
  readonly set?: Item;
  /** GSI attribute for listing by status, kept in step with `status`. */
  readonly statusIndex?: { attribute: 'gsi2pk'; prefix: string; sortAttribute: 'gsi2sk'; sortValue: string };
  readonly audit: { key: AuditKey; event: Omit<AuditEvent, 'at' | 'from' | 'to'> };
  /** More writes in the same transaction (e.g. the new site record). */
  readonly extra?: ReadonlyArray<{ put: Item; condition?: string }>;
}

/** Outcome of a transition: applied now, or already applied by an earlier try of the same step. */
export interface TransitionResult<T> {
  readonly record: T;
  readonly replayed: boolean;
}

/**
 * Applies a guarded transition. When the condition fails because this very
 * step already ran (its audit item exists), returns the stored record with
 * `replayed: true`; when the record is in another status, throws 409
 * `INVALID_TRANSITION`; a lost version race throws TransientError (retried).
 */
export async function transition<T extends Item>(input: TransitionInput): Promise<TransitionResult<T>> {
  const current = await getItem<T>(input.key);
  if (!current) throw new NotFoundError('Record', '记录');
  const audit = auditItem(input.key, input.audit.key, { ...input.audit.event, from: String(current.status), to: input.to });
  const version = input.expectedVersion ?? Number(current.version ?? 0);
  const names: Record<string, string> = { '#status': 'status', '#version': 'version', '#updatedAt': 'updatedAt' };
  const values: Item = { ':to': input.to, ':v': version, ':next': version + 1, ':now': input.audit.key.at };
  const sets = ['#status = :to', '#version = :next', '#updatedAt = :now'];
  input.from.forEach((s, i) => (values[`:from${i}`] = s));
  Object.entries(input.set ?? {}).forEach(([k, v], i) => {
    names[`#s${i}`] = k;
    values[`:s${i}`] = v;
    sets.push(`#s${i} = :s${i}`);
  });
  if (input.statusIndex) {
    names['#gpk'] = input.statusIndex.attribute;
    names['#gsk'] = input.statusIndex.sortAttribute;
    values[':gpk'] = `${input.statusIndex.prefix}${input.to}`;
    values[':gsk'] = input.statusIndex.sortValue;
    sets.push('#gpk = :gpk', '#gsk = :gsk');
  }
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: input.key,
              UpdateExpression: `SET ${sets.join(', ')}`,
              ConditionExpression: `#version = :v AND #status IN (${input.from.map((_, i) => `:from${i}`).join(', ')})`,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
          { Put: { TableName: tableName(), Item: audit, ConditionExpression: 'attribute_not_exists(pk)' } },
          ...(input.extra ?? []).map((e) => ({
            Put: { TableName: tableName(), Item: e.put, ConditionExpression: e.condition ?? 'attribute_not_exists(pk)' },
          })),
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    if (reasons[1]?.Code === 'ConditionalCheckFailed') {
      const stored = await getItem<T>(input.key);
      return { record: stored ?? current, replayed: true };
    }
    const latest = await getItem<T>(input.key);
    if (latest && !input.from.includes(String(latest.status))) {
      throw new ConflictError(
        'INVALID_TRANSITION',
        `当前状态为 ${String(latest.status)}，不能变更为 ${input.to}。`,
        `The record is ${String(latest.status)}; it cannot become ${input.to}.`,
      );
    }
    if (reasons.some((r) => r.Code === 'TransactionConflict') || (latest && Number(latest.version) !== version)) {
      throw new TransientError('lost a concurrent update; retry');
    }
    throw error;
  }
  const updated = await getItem<T>(input.key);
  return { record: updated as T, replayed: false };
}

/** Conditional update helper: `attrs` set only when `condition` holds; false when it does not. */
export async function updateIf(key: { pk: string; sk: string }, attrs: Item, condition: string, conditionValues: Item = {}, conditionNames: Record<string, string> = {}): Promise<boolean> {
  const names: Record<string, string> = { ...conditionNames };
  const values: Item = { ...conditionValues };
  const sets: string[] = [];
  Object.entries(attrs).forEach(([k, v], i) => {
    names[`#u${i}`] = k;
    values[`:u${i}`] = v;
    sets.push(`#u${i} = :u${i}`);
  });
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Appends a standalone audit event (e.g. an evidence download), idempotent by key. */
export async function appendAudit(owner: { pk: string }, key: AuditKey, event: Omit<AuditEvent, 'at'>): Promise<void> {
  try {
    await documentClient().send(
      new PutCommand({ TableName: tableName(), Item: auditItem(owner, key, event), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
