import { ConditionalCheckFailedException, TransactionCanceledException, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandOutput,
  type GetCommandOutput,
  type QueryCommandOutput,
  type NativeAttributeValue,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod/mini';
import { ConflictError, NotFoundError, TransientError, ValidationError } from '../../domain/errors.ts';
import type { Transition } from '../../domain/lifecycle-table.ts';
import { nowIso } from '../../shared/clock.ts';
import { requireEnv } from '../../shared/env.ts';
import { documentClient } from '../aws-clients.ts';
import { dynamoItemSize } from './item-size.ts';

/**
 * The table kernel: what every store shares and nothing else. Stores (one
 * per aggregate, in this folder) own their key shapes and index names; use
 * cases call the stores' intention-named functions and never see a key.
 *
 * - every write goes through `write()`, which asks for `ReturnConsumedCapacity`
 *   and adds it to a per-process tally (`writeTally()`, read by the bench);
 *   every Get, BatchGet and Query likewise through `read()` (`readTally()`);
 * - a status change is one TransactWriteItems: the record updated under a
 *   `version` condition and an allowed-from status, plus an immutable audit
 *   item written with `attribute_not_exists`. Its key is deterministic (from
 *   the execution and state, or the request), so a retried task that already
 *   succeeded finds its audit item and returns without writing twice;
 * - `cancellation()` is the one reading of a cancelled transaction;
 * - pages carry opaque cursors; sharded index partitions (a list that would
 *   otherwise hold every site or application under one key value) are read
 *   in parallel and merged, the cursor holding each shard's position.
 */

export function tableName(): string {
  return requireEnv('TABLE_NAME');
}

export type Item = Record<string, NativeAttributeValue>;
export type Key = { readonly pk: string; readonly sk: string };
export type IndexName = 'gsi1' | 'gsi2' | 'gsi3';

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

/** An audit event to write with a change, under its deterministic key. */
export interface AuditWrite {
  readonly key: AuditKey;
  readonly event: Omit<AuditEvent, 'at'>;
}

// ─── write capacity ─────────────────────────────────────────────────────────

/**
 * What writes consumed: `units` as DynamoDB answers `ReturnConsumedCapacity`
 * (on AWS, the bill); `billed`, the same by AWS's billing rules where
 * DynamoDB Local answers otherwise. Local reports a TransactWriteItems as
 * two units per started KB of all its items together, where AWS bills two
 * per started KB of each item (each Put, Update, Delete and ConditionCheck):
 * so `billed` counts a transaction as its index units plus two per started
 * KB of each item, an Update, Delete or ConditionCheck taken as one KB (its
 * whole item is not in the request; status items are kept under 1 KB).
 * Single-item writes Local counts as AWS does. Only against an emulator
 * (`AWS_ENDPOINT_URL_DYNAMODB` set): on AWS the answer is the bill, and a
 * deployed function does not size its items.
 */
export interface WriteCounts {
  readonly units: number;
  readonly billed: number;
  readonly items: number;
  readonly requests: number;
  /** The part of `units` (and `billed`) spent on index entries. */
  readonly indexes: number;
}

type MutableCounts = { -readonly [K in keyof WriteCounts]: WriteCounts[K] };
const zero = (): MutableCounts => ({ units: 0, billed: 0, items: 0, requests: 0, indexes: 0 });
const tally = zero();
const byKind = new Map<string, MutableCounts>();

/** Write units and item writes consumed by this process so far. */
export function writeTally(): WriteCounts {
  return { ...tally };
}

/**
 * The same tally by kind of write: the operation and the kinds of item it
 * wrote (their `type`, or the first segment of the sort key), e.g.
 * `TransactWriteItems application+audit`. The bench prints it so a change
 * in write cost can be traced to the write that changed.
 */
export function writeTallyByKind(): Record<string, WriteCounts> {
  return Object.fromEntries([...byKind].map(([k, v]) => [k, { ...v }]));
}

function itemKind(entry: Item | undefined): string {
  if (!entry) return '?';
  const item = (entry.Item ?? entry.Key ?? entry) as Item;
  const sk = typeof item.sk === 'string' ? item.sk.split('#')[0] : '?';
  return typeof item.type === 'string' ? item.type : sk || '?';
}

function kindOf(command: WriteCommand): string {
  if (command instanceof TransactWriteCommand) {
    const kinds = (command.input.TransactItems ?? []).map((t) => itemKind((t.Put ?? t.Update ?? t.Delete ?? t.ConditionCheck) as Item | undefined));
    return `TransactWriteItems ${kinds.join('+')}`;
  }
  const op = command instanceof PutCommand ? 'PutItem' : command instanceof UpdateCommand ? 'UpdateItem' : 'DeleteItem';
  return `${op} ${itemKind(command.input as Item)}`;
}

/** A transaction's table units by AWS's rules (see {@link WriteCounts}). */
function transactionTableUnits(command: TransactWriteCommand): number {
  return (command.input.TransactItems ?? []).reduce((sum, t) => sum + 2 * (t.Put?.Item ? Math.max(1, Math.ceil(dynamoItemSize(t.Put.Item) / 1024)) : 1), 0);
}

function record(command: WriteCommand, consumed: ConsumedCapacity | ConsumedCapacity[] | undefined, items: number, kind: string): void {
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  const units = list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
  const indexes = list.flatMap((c) => Object.values(c.GlobalSecondaryIndexes ?? {})).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
  const billed = command instanceof TransactWriteCommand && list.length > 0 && process.env.AWS_ENDPOINT_URL_DYNAMODB ? indexes + transactionTableUnits(command) : units;
  const k = byKind.get(kind) ?? zero();
  for (const counts of [tally, k]) {
    counts.units += units;
    counts.billed += billed;
    counts.indexes += indexes;
    counts.items += items;
    counts.requests += 1;
  }
  byKind.set(kind, k);
}

type WriteCommand = PutCommand | UpdateCommand | DeleteCommand | TransactWriteCommand;

/** Sends a write with `ReturnConsumedCapacity: INDEXES` and counts what it consumed (also when a condition fails). */
async function write(command: WriteCommand): Promise<void> {
  command.input.ReturnConsumedCapacity = 'INDEXES';
  const items = command instanceof TransactWriteCommand ? (command.input.TransactItems?.length ?? 0) : 1;
  try {
    const out = await documentClient().send(command as PutCommand);
    record(command, out?.ConsumedCapacity, items, kindOf(command));
  } catch (error) {
    record(command, undefined, 0, `${kindOf(command)} (failed)`);
    throw error;
  }
}

// ─── reads ──────────────────────────────────────────────────────────────────

const reads = { units: 0, requests: 0 };

/** Read units and read requests (GetItem, BatchGetItem, Query) of this process so far (DynamoDB's own ConsumedCapacity). */
export function readTally(): { readonly units: number; readonly requests: number } {
  return { ...reads };
}

type ReadCommand = GetCommand | BatchGetCommand | QueryCommand;

/** Sends a read with `ReturnConsumedCapacity: TOTAL` and counts what it consumed. */
export function read(command: GetCommand): Promise<GetCommandOutput>;
export function read(command: BatchGetCommand): Promise<BatchGetCommandOutput>;
export function read(command: QueryCommand): Promise<QueryCommandOutput>;
export async function read(command: ReadCommand): Promise<GetCommandOutput | BatchGetCommandOutput | QueryCommandOutput> {
  command.input.ReturnConsumedCapacity = 'TOTAL';
  const out = await documentClient().send(command as QueryCommand);
  const consumed: ConsumedCapacity | ConsumedCapacity[] | undefined = out?.ConsumedCapacity;
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  reads.units += list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
  reads.requests += 1;
  return out;
}

/** The raw item at a key (consistent read by default), or undefined. */
export async function getItem(key: Key, consistent = true): Promise<Item | undefined> {
  const out = await read(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: consistent }));
  return out.Item;
}

/**
 * The items at these keys, in the order of the keys (missing ones left out):
 * lists read their index (which projects keys only) and then the records.
 */
export async function getMany(keys: readonly Key[]): Promise<Item[]> {
  const found = new Map<string, Item>();
  const id = (k: { pk: unknown; sk: unknown }) => `${String(k.pk)}|${String(k.sk)}`;
  const unique = [...new Map(keys.map((k) => [id(k), { pk: k.pk, sk: k.sk }])).values()];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Item[] | undefined = unique.slice(i, i + 100);
    for (let attempt = 0; request && request.length > 0; attempt++) {
      if (attempt > 8) throw new TransientError('BatchGetItem left keys unprocessed; retry');
      const out: BatchGetCommandOutput = await read(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: request, ConsistentRead: true } } }));
      for (const item of out.Responses?.[tableName()] ?? []) found.set(id({ pk: item.pk, sk: item.sk }), item);
      request = out.UnprocessedKeys?.[tableName()]?.Keys;
    }
  }
  return keys.map((k) => found.get(id(k))).filter((item): item is Item => item !== undefined);
}

const INTERNAL_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'type'];

/** The record without its key and index attributes. */
export function withoutKeys(item: Item): Item {
  const out: Item = { ...item };
  for (const name of INTERNAL_ATTRIBUTES) delete out[name];
  return out;
}

/**
 * A stored item read back as its record: keys dropped, then parsed with the
 * record's schema (no casts; a stored item that no longer fits its schema is
 * a fault to see, not to pass on).
 */
export function parseRecord<S extends z.ZodMiniType>(schema: S, item: Item): z.infer<S> {
  const parsed = schema.safeParse(withoutKeys(item));
  if (!parsed.success) {
    throw new Error(`stored ${String(item.type ?? 'item')} does not match its record schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** One page of a query; `cursor` is an opaque base64url token. */
export interface Page<T> {
  readonly items: T[];
  readonly cursor?: string;
}

export function encodeCursor(key: unknown): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined): Item | undefined {
  if (!cursor) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? { ...parsed } : undefined;
  } catch {
    return undefined;
  }
}

export interface PartitionQuery {
  readonly index?: IndexName;
  readonly pk: string;
  readonly skPrefix?: string;
  /** Only sort keys strictly below this value (e.g. deadlines before now). */
  readonly skBefore?: string;
  /** Only sort keys strictly above this value. */
  readonly skAfter?: string;
  readonly filter?: { readonly attribute: string; readonly equals: NativeAttributeValue };
  readonly consistent?: boolean;
}

function queryInput(input: PartitionQuery) {
  const names: Record<string, string> = { '#pk': input.index ? `${input.index}pk` : 'pk' };
  const values: Item = { ':pk': input.pk };
  const conditions = ['#pk = :pk'];
  const skName = input.index ? `${input.index}sk` : 'sk';
  if (input.skPrefix) {
    names['#sk'] = skName;
    values[':sk'] = input.skPrefix;
    conditions.push('begins_with(#sk, :sk)');
  } else if (input.skBefore) {
    names['#sk'] = skName;
    values[':before'] = input.skBefore;
    conditions.push('#sk < :before');
  } else if (input.skAfter) {
    names['#sk'] = skName;
    values[':after'] = input.skAfter;
    conditions.push('#sk > :after');
  }
  if (input.filter) {
    names['#f'] = input.filter.attribute;
    values[':f'] = input.filter.equals;
  }
  return {
    TableName: tableName(),
    IndexName: input.index,
    KeyConditionExpression: conditions.join(' AND '),
    FilterExpression: input.filter ? '#f = :f' : undefined,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ConsistentRead: input.consistent,
  };
}

/**
 * Runs a read that starts from a caller's cursor: a cursor DynamoDB refuses
 * as a start key (altered, or taken from another list) is bad input (400
 * VALIDATION_FAILED on `cursor`), not a fault.
 */
async function fromCursor<T>(cursor: string | undefined, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (cursor && error instanceof Error && error.name === 'ValidationException') {
      throw new ValidationError([{ path: 'cursor', code: 'INVALID_CURSOR', message: 'The cursor does not belong to this list.' }], 'The cursor is not valid for this list.', '分页游标对此列表无效。');
    }
    throw error;
  }
}

/** Queries a partition of the table or of a GSI, one page at a time (never a Scan). */
export async function queryPage(input: PartitionQuery & { limit?: number; cursor?: string; newestFirst?: boolean }): Promise<Page<Item>> {
  const out = await fromCursor(input.cursor, () =>
    read(
      new QueryCommand({
        ...queryInput(input),
        Limit: Math.min(Math.max(input.limit ?? 50, 1), 200),
        ExclusiveStartKey: decodeCursor(input.cursor),
        ScanIndexForward: !input.newestFirst,
      }),
    ),
  );
  return { items: out.Items ?? [], cursor: encodeCursor(out.LastEvaluatedKey) };
}

/** Every item of a partition (bounded partitions only: an application's evidence and audit trail). */
export async function queryAll(input: PartitionQuery & { limit?: number }): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await read(new QueryCommand({ ...queryInput(input), ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start && (input.limit === undefined || items.length < input.limit));
  return input.limit === undefined ? items : items.slice(0, input.limit);
}

/** Counts the items of a partition (Select COUNT, every page); no item leaves the table. */
export async function countQuery(input: PartitionQuery, upTo?: number): Promise<number> {
  let total = 0;
  let start: Item | undefined;
  do {
    // With `upTo`, DynamoDB reads no more than is left to count (Limit bounds the items read, so the cost stays bounded however large the partition).
    const limit = upTo === undefined ? {} : { Limit: upTo - total };
    const out = await read(new QueryCommand({ ...queryInput(input), Select: 'COUNT', ExclusiveStartKey: start, ...limit }));
    total += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start && (upTo === undefined || total < upTo));
  return upTo === undefined ? total : Math.min(total, upTo);
}

// ─── sharded index partitions ───────────────────────────────────────────────

/** Shards of a list partition: 100,000 sites or applications spread over 10 keys (about 1,000 writes/s each). */
export const SHARDS = 10;

/** A stable index 0..n-1 for an id (FNV-1a): the same id always gives the same index. */
export function stableIndex(id: string, n: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % n;
}

/** A stable shard 0..SHARDS-1 for an id, so an item stays in its shard for life. */
export function shardOf(id: string): number {
  return stableIndex(id, SHARDS);
}

/** The index partition key of an item in a sharded list: `<prefix>#<shard>`. */
export function shardedKey(prefix: string, id: string): string {
  return `${prefix}#${shardOf(id)}`;
}

/**
 * One page of a sharded list, in sort-key order across all shards: each
 * shard is queried in parallel from its own position, the pages merged, and
 * the cursor remembers, per shard, the last key returned (or that the shard
 * is exhausted).
 */
export async function querySharded(input: {
  index: IndexName;
  prefix: string;
  limit?: number;
  cursor?: string;
  newestFirst?: boolean;
  skBefore?: string;
  /** Only sort keys starting with this value (e.g. a province within a status list). */
  skPrefix?: string;
}): Promise<Page<Item>> {
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
  const positions = decodeCursor(input.cursor) ?? {};
  const skName = `${input.index}sk`;
  const pages = await Promise.all(
    Array.from({ length: SHARDS }, async (_, shard) => {
      const position: unknown = positions[String(shard)];
      if (position === 'done') return { shard, items: [] as Item[], more: false };
      const out = await fromCursor(input.cursor, () =>
        read(
          new QueryCommand({
            ...queryInput({ index: input.index, pk: `${input.prefix}#${shard}`, skBefore: input.skBefore, skPrefix: input.skPrefix }),
            Limit: limit,
            ExclusiveStartKey: position && typeof position === 'object' ? { ...position } : undefined,
            ScanIndexForward: !input.newestFirst,
          }),
        ),
      );
      return { shard, items: out.Items ?? [], more: out.LastEvaluatedKey !== undefined };
    }),
  );
  const merged = pages
    .flatMap((p) => p.items.map((item) => ({ shard: p.shard, item })))
    .sort((a, b) => {
      const order = String(a.item[skName]).localeCompare(String(b.item[skName]));
      return input.newestFirst ? -order : order;
    })
    .slice(0, limit);
  const next: Item = {};
  let remaining = false;
  for (const page of pages) {
    const taken = merged.filter((m) => m.shard === page.shard);
    const last = taken[taken.length - 1]?.item;
    const allTaken = taken.length === page.items.length;
    if (allTaken && !page.more) {
      next[String(page.shard)] = 'done';
      continue;
    }
    remaining = true;
    const position: unknown = positions[String(page.shard)];
    next[String(page.shard)] = last
      ? { pk: last.pk, sk: last.sk, [`${input.index}pk`]: last[`${input.index}pk`], [skName]: last[skName] }
      : position && typeof position === 'object'
        ? position
        : null;
  }
  return { items: merged.map((m) => m.item), cursor: remaining ? encodeCursor(next) : undefined };
}

/** Counts a sharded list (every shard, in parallel). */
export async function countSharded(input: { index: IndexName; prefix: string; skBefore?: string }): Promise<number> {
  const counts = await Promise.all(Array.from({ length: SHARDS }, (_, shard) => countQuery({ index: input.index, pk: `${input.prefix}#${shard}`, skBefore: input.skBefore })));
  return counts.reduce((a, b) => a + b, 0);
}

/** Every item of a sharded list (bounded uses: reconciliation pages through it with `querySharded`). */
export async function queryAllSharded(input: { index: IndexName; prefix: string; skBefore?: string }): Promise<Item[]> {
  const parts = await Promise.all(Array.from({ length: SHARDS }, (_, shard) => queryAll({ index: input.index, pk: `${input.prefix}#${shard}`, skBefore: input.skBefore })));
  return parts.flat();
}

// ─── writes ─────────────────────────────────────────────────────────────────

/** Transaction items as the document client takes them. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Result of a transaction: applied, or cancelled with one reason code per item (`None` for the ones that passed). */
export type TransactionOutcome = { ok: true } | { ok: false; reasons: ReadonlyArray<string | undefined> };

/**
 * The one reading of a cancelled transaction: the reason code of each item
 * (`None` where it passed), or a TransientError when DynamoDB cancelled it
 * for a conflict or throttling (worth another try, not a business answer).
 */
export function cancellation(error: unknown): ReadonlyArray<string | undefined> {
  if (!(error instanceof TransactionCanceledException)) throw error;
  const reasons = (error.CancellationReasons ?? []).map((r) => r.Code);
  if (reasons.some((code) => code === 'TransactionConflict' || code === 'ThrottlingError')) {
    throw new TransientError('transaction conflict; retry');
  }
  return reasons;
}

/** Runs a TransactWriteItems; condition failures come back as an outcome, not an exception. */
export async function runTransaction(items: TransactItem[]): Promise<TransactionOutcome> {
  try {
    await write(new TransactWriteCommand({ TransactItems: items }));
    return { ok: true };
  } catch (error) {
    return { ok: false, reasons: cancellation(error) };
  }
}

/** A Put of a new item (fails when the key exists), for transactions. */
export function putNewOp(item: Item, condition?: { expression: string; values?: Item }): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: item,
      ConditionExpression: condition?.expression ?? 'attribute_not_exists(pk)',
      ExpressionAttributeValues: condition?.values,
    },
  };
}

/** An unconditional Put, for transactions. */
export function putOp(item: Item): TransactItem {
  return { Put: { TableName: tableName(), Item: item } };
}

/** `SET`/`REMOVE` parts of an update expression with generated placeholders. */
export function updateParts(set: Item, remove: readonly string[] = [], prefix = 'u'): { expression: string; names: Record<string, string>; values: Item } {
  const names: Record<string, string> = {};
  const values: Item = {};
  const sets = Object.entries(set).map(([k, v], i) => {
    names[`#${prefix}${i}`] = k;
    values[`:${prefix}${i}`] = v;
    return `#${prefix}${i} = :${prefix}${i}`;
  });
  const removes = remove.map((k, i) => {
    names[`#${prefix}r${i}`] = k;
    return `#${prefix}r${i}`;
  });
  const parts = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean);
  return { expression: parts.join(' '), names, values };
}

/** An Update under a condition, for transactions. */
export function updateOp(key: Key, change: { set: Item; remove?: readonly string[] }, condition: { expression: string; names?: Record<string, string>; values?: Item }): TransactItem {
  const parts = updateParts(change.set, change.remove);
  const values = { ...parts.values, ...(condition.values ?? {}) };
  return {
    Update: {
      TableName: tableName(),
      Key: key,
      UpdateExpression: parts.expression,
      ConditionExpression: condition.expression,
      ExpressionAttributeNames: { ...parts.names, ...(condition.names ?? {}) },
      ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
    },
  };
}

/** Writes a new item; 409 `ALREADY_EXISTS` when the key is taken. */
export async function putNew(item: Item): Promise<void> {
  try {
    await write(new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new ConflictError('ALREADY_EXISTS', '记录已存在。', 'The record already exists.');
    }
    throw error;
  }
}

/** Replaces an item unconditionally (register entries that admins edit). */
export async function putItem(item: Item): Promise<void> {
  await write(new PutCommand({ TableName: tableName(), Item: item }));
}

/** Puts an item under a condition; false when the condition fails. */
export async function putIf(item: Item, condition: { expression: string; names?: Record<string, string>; values?: Item }): Promise<boolean> {
  try {
    await write(
      new PutCommand({
        TableName: tableName(),
        Item: item,
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: condition.names,
        ExpressionAttributeValues: condition.values,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Updates an item: `set` and `remove` applied only when `condition` holds; false when it does not. */
export async function updateIf(
  key: Key,
  change: { set: Item; remove?: readonly string[] },
  condition: { expression: string; names?: Record<string, string>; values?: Item },
): Promise<boolean> {
  try {
    await write(new UpdateCommand({ ...updateOp(key, change, condition).Update!, TableName: tableName() }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Deletes an item, optionally under a condition; false when the condition fails. */
export async function deleteIf(key: Key, condition?: { expression: string; values?: Item }): Promise<boolean> {
  try {
    await write(new DeleteCommand({ TableName: tableName(), Key: key, ConditionExpression: condition?.expression, ExpressionAttributeValues: condition?.values }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

// ─── audit ──────────────────────────────────────────────────────────────────

/** The audit item for an event of an owner (`APP#…`, `SITE#…`), keyed deterministically. */
export function auditItem(ownerPk: string, key: AuditKey, event: Omit<AuditEvent, 'at'>): Item {
  return { pk: ownerPk, sk: `AUDIT#${key.at}#${key.key}`, type: 'audit', ...event, at: key.at, recordedAt: nowIso() };
}

/** The Put of an audit item, for transactions (written once: a retried step finds it and stops). */
export function auditOp(ownerPk: string, audit: AuditWrite): TransactItem {
  return putNewOp(auditItem(ownerPk, audit.key, audit.event));
}

/** Appends a standalone audit event (e.g. an evidence download), idempotent by key. */
export async function appendAudit(ownerPk: string, audit: AuditWrite): Promise<void> {
  await putIf(auditItem(ownerPk, audit.key, audit.event), { expression: 'attribute_not_exists(pk)' });
}

/** The whole audit trail of an owner, oldest first. */
export async function listAllAudit(ownerPk: string): Promise<Item[]> {
  return (await queryAll({ pk: ownerPk, skPrefix: 'AUDIT#' })).map(withoutKeys);
}

/** One page of an owner's audit trail, oldest first. */
export async function listAuditPage(ownerPk: string, page: { cursor?: string; limit?: number }): Promise<Page<Item>> {
  const out = await queryPage({ pk: ownerPk, skPrefix: 'AUDIT#', ...page });
  return { items: out.items.map(withoutKeys), cursor: out.cursor };
}

// ─── guarded transitions ────────────────────────────────────────────────────

/** A guarded status change of a record with its audit event, in one transaction. */
export interface TransitionInput {
  readonly key: Key;
  /**
   * The lifecycle rows this change may take (all to the same status): the
   * record must be in one of their `from` statuses, and the audit item
   * names the row it took (its trigger and article).
   */
  readonly rows: ReadonlyArray<Pick<Transition<string>, 'from' | 'to' | 'trigger' | 'article'>>;
  /** Expected version (optimistic lock); omitted = whatever version the record has now, read first. */
  readonly expectedVersion?: number;
  /** Other attributes to set in the same update. */
  readonly set?: Item;
  readonly remove?: readonly string[];
  readonly audit: { key: AuditKey; event: Omit<AuditEvent, 'at' | 'from' | 'to' | 'action' | 'article'> & { action?: string } };
  /** More writes in the same transaction (e.g. the new site record, a large body item). */
  readonly extra?: readonly TransactItem[];
}

/** Outcome of a transition: applied now, or already applied by an earlier try of the same step. */
export interface TransitionResult {
  readonly record: Item;
  readonly replayed: boolean;
}

/**
 * Applies a guarded transition. When the condition fails because this very
 * step already ran (its audit item exists), returns the stored record with
 * `replayed: true`; when the record is in another status, throws 409
 * `INVALID_TRANSITION`; a lost version race throws TransientError (retried).
 */
export async function transition(input: TransitionInput): Promise<TransitionResult> {
  const to = input.rows[0]?.to;
  if (!to || input.rows.some((r) => r.to !== to)) throw new Error('a transition takes rows to one status');
  const current = await getItem(input.key);
  if (!current) throw new NotFoundError('Record', '记录');
  const from = [...new Set(input.rows.map((r) => r.from))];
  const row = input.rows.find((r) => r.from === current.status) ?? input.rows[0]!;
  const version = input.expectedVersion ?? Number(current.version ?? 0);
  const audit: AuditWrite = {
    key: input.audit.key,
    event: { ...input.audit.event, action: input.audit.event.action ?? row.trigger, article: row.article, from: String(current.status), to },
  };
  const names: Record<string, string> = { '#status': 'status', '#version': 'version' };
  const values: Item = { ':v': version };
  from.forEach((s, i) => (values[`:from${i}`] = s));
  const update = updateOp(
    input.key,
    { set: { ...(input.set ?? {}), status: to, version: version + 1, updatedAt: input.audit.key.at }, remove: input.remove },
    { expression: `#version = :v AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`, names, values },
  );
  const outcome = await runTransaction([update, auditOp(input.key.pk, audit), ...(input.extra ?? [])]);
  if (!outcome.ok) {
    if (outcome.reasons[1] === 'ConditionalCheckFailed') {
      const stored = await getItem(input.key);
      return { record: stored ?? current, replayed: true };
    }
    const latest = await getItem(input.key);
    if (latest && !from.includes(String(latest.status))) {
      throw new ConflictError(
        'INVALID_TRANSITION',
        `当前状态为 ${String(latest.status)}，不能变更为 ${to}。`,
        `The record is ${String(latest.status)}; it cannot become ${to}.`,
      );
    }
    if (latest && Number(latest.version) !== version) throw new TransientError('lost a concurrent update; retry');
    throw new ConflictError('ALREADY_EXISTS', '记录已存在。', 'The record already exists.');
  }
  const updated = await getItem(input.key);
  return { record: updated ?? current, replayed: false };
}
