import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { AccreditedRoom } from '../domain/screening/room-checks.ts';
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
import { INVITATION_EMAIL_PREFIX } from './table-design.ts';

/**
 * The one DynamoDB access module (single table, see table-design.ts).
 *
 * Key shapes (pk / sk; GSIs in brackets):
 * | item | pk | sk | gsi1 | gsi2 | gsi3 |
 * |---|---|---|---|---|---|
 * | pilot college | `PILOT#<creditCode>` | `PILOT` | | | `PILOTS` / `<province>#<city>#<creditCode>` |
 * | membership | `USER#<sub>` | `MEMBERSHIP` | | | `INST#<creditCode>#MEMBERS` / `<sub>` |
 * | invitation | `INVITE#<sha256(code)>` | `INVITE` | | | `INVITES` / `<createdAt>` |
 * | invitation by e-mail | `INVITEMAIL#<sha256(email)>` | `INVITE#<invitationId>` | | | |
 * | application | `APP#<id>` | `APP` | `INST#<creditCode>` / `APP#<createdAt>` | `APPSTATUS#<status>` / `<updatedAt>#<id>` | |
 * | evidence item | `APP#<id>` | `EVIDENCE#<kind>#<itemId>` | | | `SHA#<sha256>` / `<creditCode>#<id>` |
 * | evidence attempts reset | `APP#<id>` | `EVIDENCE-RESET#<kind>` | | | |
 * | audit event | `APP#<id>` or `SITE#<id>` | `AUDIT#<time>#<key>` | | | |
 * | decision task | `DECISION#<decisionId>` | `DECISION` | `ASSIGNEE#<sub>` / `<status>#<deadline>` | `TASKS#<status>` / `<deadline>#<id>` | `APP#<id>` / `<createdAt>` |
 * | site | `SITE#<id>` | `SITE` | `INST#<creditCode>` / `SITE#<createdAt>` | `SITESTATUS#<status>` / `<updatedAt>#<id>` | `MILESTONE` / `<nextMilestoneAt>#<id>` |
 * | idempotency record (Powertools, adapters/idempotency-store.ts) | `IDEMPOTENCY` | `<hashed key>` | | | |
 * | staff member | `STAFF#<sub>` | `STAFF` | `STAFFEMAIL#<sha256(email)>` / `<sub>` | `STAFF#<role>#<ACTIVE\|INACTIVE>` / `<name>#<sub>` | `STAFF` / `<sub>` |
 * | open-application lock | `INST#<creditCode>` | `OPENAPP` | | | |
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
  /**
   * The e-mail index of an invitation: what the Cognito pre-sign-up trigger
   * reads (status and expiry only). Its partition prefix is the only one that
   * trigger's IAM policy lets it query (`dynamodb:LeadingKeys`).
   */
  invitationByEmail: (emailHash: string, invitationId: string) => ({ pk: `${INVITATION_EMAIL_PREFIX}${emailHash}`, sk: `INVITE#${invitationId}` }),
  application: (id: string) => ({ pk: `APP#${id}`, sk: 'APP' }),
  evidence: (applicationId: string, kind: string, itemId: string) => ({ pk: `APP#${applicationId}`, sk: `EVIDENCE#${kind}#${itemId}` }),
  decision: (decisionId: string) => ({ pk: `DECISION#${decisionId}`, sk: 'DECISION' }),
  site: (id: string) => ({ pk: `SITE#${id}`, sk: 'SITE' }),
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

// ═══════════════════════════════════════════════════════════════════════════
// Registry and applications API: staff directory, memberships, pilot
// register, invitations, applications, dashboard counts. Key shapes:
// | item | pk | sk | gsi2 | gsi3 |
// |---|---|---|---|---|
// | staff member | `STAFF#<sub>` | `STAFF` | `STAFF#<role>#<ACTIVE\|INACTIVE>` / `<name>#<sub>` | `STAFF` / `<sub>` | (gsi1 `STAFFEMAIL#<sha256(email)>` / `<sub>`)
// | open-application lock | `INST#<creditCode>` | `OPENAPP` | | |
// Audit owners besides `APP#`/`SITE#`: `PILOT#<creditCode>` (register
// changes) and `USER#<sub>` (membership created).
// The imports sit here, not at the top, so that this area's additions stay
// in one block (ESM hoists them).
// ═══════════════════════════════════════════════════════════════════════════
import { DeleteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ApplicationStatus } from '../domain/application-lifecycle.ts';
import type { PilotCollege } from '../../schemas/pilot-college.schema.ts';
import type { ScreeningResult } from '../../schemas/findings.schema.ts';
import { emailHash } from '../domain/email-address.ts';

export const registryKeys = {
  staff: (sub: string) => ({ pk: `STAFF#${sub}`, sk: 'STAFF' }),
  /** One per institution: which application is open, so two cannot be opened at once. */
  openApplication: (creditCode: string) => ({ pk: `INST#${creditCode}`, sk: 'OPENAPP' }),
};

export type StaffRole = 'reviewer' | 'admin';

/** A member of the organisation's staff directory (reviewers and admins). */
export interface StaffRecord {
  readonly sub: string;
  readonly name: string;
  readonly email: string;
  readonly role: StaffRole;
  readonly active: boolean;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** The institution a user acts for: the only source of tenancy. */
export interface MembershipRecord {
  readonly sub: string;
  readonly creditCode: string;
  readonly institutionName: string;
  readonly provinceCode: string;
  readonly cityCode: string;
  readonly role: 'site-manager';
  readonly email: string;
  readonly name: string;
  readonly invitationId: string;
  readonly createdAt: string;
}

export interface InvitationRecord {
  readonly invitationId: string;
  readonly codeHash: string;
  readonly creditCode: string;
  readonly institutionName: string;
  readonly provinceCode: string;
  readonly cityCode: string;
  /** Whether the credit code was on the pilot register when invited (eligibility is still decided at screening). */
  readonly onRegister: boolean;
  readonly email: string;
  /** SHA-256 of the normalised address: the key of its e-mail index item (absent on invitations made before that index). */
  readonly emailHash?: string;
  readonly name: string;
  readonly status: 'pending' | 'accepted';
  /** ISO time after which the code is refused (410); not the TTL attribute, so expired invitations stay readable. */
  readonly expiresOn: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly acceptedBy?: string;
  readonly acceptedAt?: string;
}

export interface ApplicationRecord {
  readonly id: string;
  readonly creditCode: string;
  readonly institutionName: string;
  readonly provinceCode: string;
  readonly cityCode: string;
  readonly status: ApplicationStatus;
  readonly version: number;
  /** The standard version in force at creation; screening judges against it. */
  readonly standardVersion: string;
  readonly form: Item;
  /** Submission round, 1 for the first; the workflow increments it on resubmission. */
  readonly round: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
  /** The latest screening result, set by the screening step. */
  readonly screening?: ScreeningResult;
}

const INTERNAL_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'type', 'expiresAt'];

/** The record without its key and index attributes. */
export function stripKeys<T>(item: Item): T {
  const out: Item = { ...item };
  for (const name of INTERNAL_ATTRIBUTES) delete out[name];
  return out as T;
}

/** Result of a transaction: applied, or cancelled with one reason code per item (`None` for the ones that passed). */
export type TransactionOutcome = { ok: true } | { ok: false; reasons: ReadonlyArray<string | undefined> };

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Runs a TransactWriteItems; condition failures come back as an outcome, not an exception. */
export async function runTransaction(items: TransactItem[]): Promise<TransactionOutcome> {
  try {
    await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
    return { ok: true };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = (error.CancellationReasons ?? []).map((r) => r.Code);
    if (reasons.some((code) => code === 'TransactionConflict' || code === 'ThrottlingError')) {
      throw new TransientError('transaction conflict; retry');
    }
    return { ok: false, reasons };
  }
}

/** Deletes an item, optionally under a condition; false when the condition fails. */
export async function deleteItem(key: { pk: string; sk: string }, condition?: string, values?: Item): Promise<boolean> {
  try {
    await documentClient().send(
      new DeleteCommand({ TableName: tableName(), Key: key, ConditionExpression: condition, ExpressionAttributeValues: values }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

interface RangeQuery {
  readonly index?: 'gsi1' | 'gsi2' | 'gsi3';
  readonly pk: string;
  /** Only sort keys strictly below this value (e.g. deadlines before now). */
  readonly skBefore?: string;
}

function rangeQueryInput(input: RangeQuery): {
  TableName: string;
  IndexName?: string;
  KeyConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Item;
} {
  const names: Record<string, string> = { '#pk': input.index ? `${input.index}pk` : 'pk' };
  const values: Item = { ':pk': input.pk };
  if (input.skBefore) {
    names['#sk'] = input.index ? `${input.index}sk` : 'sk';
    values[':before'] = input.skBefore;
  }
  return {
    TableName: tableName(),
    IndexName: input.index,
    KeyConditionExpression: input.skBefore ? '#pk = :pk AND #sk < :before' : '#pk = :pk',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Counts the items of a partition (Select COUNT, every page); no item leaves the table. */
export async function countQuery(input: RangeQuery): Promise<number> {
  let total = 0;
  let start: Item | undefined;
  do {
    const out = await documentClient().send(new QueryCommand({ ...rangeQueryInput(input), Select: 'COUNT', ExclusiveStartKey: start }));
    total += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return total;
}

/** Every item of a partition, with only the named attributes (bounded partitions: dashboards). */
export async function queryProjected<T extends Item>(input: RangeQuery & { attributes: readonly string[]; limit?: number }): Promise<T[]> {
  const base = rangeQueryInput(input);
  const names: Record<string, string> = { ...base.ExpressionAttributeNames };
  input.attributes.forEach((a, i) => (names[`#p${i}`] = a));
  const items: T[] = [];
  let start: Item | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        ...base,
        ExpressionAttributeNames: names,
        ProjectionExpression: input.attributes.map((_, i) => `#p${i}`).join(', '),
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((out.Items ?? []) as T[]));
    start = out.LastEvaluatedKey;
  } while (start && (input.limit === undefined || items.length < input.limit));
  return input.limit === undefined ? items : items.slice(0, input.limit);
}

// --- staff directory -------------------------------------------------------

function staffItem(record: StaffRecord): Item {
  return {
    ...registryKeys.staff(record.sub),
    type: 'staff',
    ...record,
    gsi2pk: `STAFF#${record.role}#${record.active ? 'ACTIVE' : 'INACTIVE'}`,
    gsi2sk: `${record.name}#${record.sub}`,
    gsi3pk: 'STAFF',
    gsi3sk: record.sub,
    gsi1pk: `STAFFEMAIL#${emailHash(record.email)}`,
    gsi1sk: record.sub,
  };
}

/** A staff member by the token's `sub`, or undefined. */
export async function getStaff(sub: string): Promise<StaffRecord | undefined> {
  const item = await getItem(registryKeys.staff(sub));
  return item ? stripKeys<StaffRecord>(item) : undefined;
}

/** The active reviewers, ordered by name (gsi2 `STAFF#reviewer#ACTIVE`; no Scan). */
export async function listActiveReviewers(): Promise<StaffRecord[]> {
  const items = await queryAll({ index: 'gsi2', pk: 'STAFF#reviewer#ACTIVE' });
  return items.map((item) => stripKeys<StaffRecord>(item));
}

/**
 * Creates or replaces a staff member (the role/active index moves with it),
 * unless the subject is a member of an applicant institution: the membership
 * is checked in the same transaction that writes the staff entry, and
 * acceptance checks the staff entry in its own, so the two cannot both
 * succeed for one `sub` (the transactions share both items and DynamoDB
 * serialises them). `member` when a membership stands.
 */
export async function putStaffUnlessMember(record: StaffRecord): Promise<'ok' | 'member'> {
  const outcome = await runTransaction([
    { ConditionCheck: { TableName: tableName(), Key: keys.membership(record.sub), ConditionExpression: 'attribute_not_exists(pk)' } },
    { Put: { TableName: tableName(), Item: staffItem(record) } },
  ]);
  if (outcome.ok) return 'ok';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'member';
  throw new TransientError('staff update cancelled; retry');
}

/** Staff entries (active or not) whose address is `address` (gsi1 `STAFFEMAIL#<hash>`). */
export async function findStaffByEmail(address: string): Promise<StaffRecord[]> {
  const items = await queryAll({ index: 'gsi1', pk: `STAFFEMAIL#${emailHash(address)}` });
  return items.map((item) => stripKeys<StaffRecord>(item));
}

/** The staff directory, one page at a time (gsi3 `STAFF`). */
export async function listStaff(input: { cursor?: string; limit?: number }): Promise<Page<StaffRecord>> {
  const page = await queryPage({ index: 'gsi3', pk: 'STAFF', cursor: input.cursor, limit: input.limit });
  return { items: page.items.map((item) => stripKeys<StaffRecord>(item)), cursor: page.cursor };
}

// --- memberships and invitations -------------------------------------------

/** The membership of a user (their institution), or undefined. */
export async function getMembership(sub: string): Promise<MembershipRecord | undefined> {
  const item = await getItem(keys.membership(sub));
  return item ? stripKeys<MembershipRecord>(item) : undefined;
}

/**
 * Stores a new invitation (keyed by the code's hash; the code itself is
 * never stored) and its e-mail index item (keyed by the address's hash,
 * holding only status and expiry), in one transaction.
 */
export async function putInvitation(record: InvitationRecord & { emailHash: string }): Promise<void> {
  const outcome = await runTransaction([
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.invitation(record.codeHash), type: 'invitation', ...record, gsi3pk: 'INVITES', gsi3sk: record.createdAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.invitationByEmail(record.emailHash, record.invitationId), type: 'invitation-email', status: record.status, expiresOn: record.expiresOn },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
  if (!outcome.ok) throw new ConflictError('ALREADY_EXISTS', '记录已存在。', 'The record already exists.');
}

/**
 * Whether an address has an invitation that is still pending and not
 * expired at `nowIso` (a Query of its e-mail index partition, strongly
 * consistent, status and expiry only): the Cognito pre-sign-up gate.
 */
export async function hasOpenInvitation(emailHashValue: string, nowIsoValue: string): Promise<boolean> {
  let start: Item | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `${INVITATION_EMAIL_PREFIX}${emailHashValue}` },
        ExpressionAttributeNames: { '#status': 'status' },
        ProjectionExpression: '#status, expiresOn',
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    if ((out.Items ?? []).some((item) => item.status === 'pending' && typeof item.expiresOn === 'string' && item.expiresOn > nowIsoValue)) return true;
    start = out.LastEvaluatedKey;
  } while (start);
  return false;
}

export async function getInvitation(codeHash: string): Promise<InvitationRecord | undefined> {
  const item = await getItem(keys.invitation(codeHash));
  return item ? stripKeys<InvitationRecord>(item) : undefined;
}

/**
 * Accepts an invitation: marks it used (only if still pending) and creates
 * the membership (only if the user has none and is not on the staff
 * directory), with the audit item, in one transaction; the invitation's
 * e-mail index item is closed with it. `used` / `member` / `staff` say which
 * condition failed.
 */
export async function acceptInvitationTx(
  invitation: InvitationRecord,
  membership: MembershipRecord,
  audit: { key: AuditKey; event: Omit<AuditEvent, 'at'> },
): Promise<'ok' | 'used' | 'member' | 'staff'> {
  const emailIndex: TransactItem[] = invitation.emailHash
    ? [
        {
          Update: {
            TableName: tableName(),
            Key: keys.invitationByEmail(invitation.emailHash, invitation.invitationId),
            UpdateExpression: 'SET #status = :accepted',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':accepted': 'accepted' },
          },
        },
      ]
    : [];
  const outcome = await runTransaction([
    {
      Update: {
        TableName: tableName(),
        Key: keys.invitation(invitation.codeHash),
        UpdateExpression: 'SET #status = :accepted, acceptedBy = :sub, acceptedAt = :at',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':accepted': 'accepted', ':pending': 'pending', ':sub': membership.sub, ':at': membership.createdAt },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.membership(membership.sub),
          type: 'membership',
          ...membership,
          gsi3pk: `INST#${membership.creditCode}#MEMBERS`,
          gsi3sk: membership.sub,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    { Put: { TableName: tableName(), Item: auditItem(keys.membership(membership.sub), audit.key, audit.event), ConditionExpression: 'attribute_not_exists(pk)' } },
    // Staff are never members (see putStaffUnlessMember for the other direction).
    { ConditionCheck: { TableName: tableName(), Key: registryKeys.staff(membership.sub), ConditionExpression: 'attribute_not_exists(pk)' } },
    ...emailIndex,
  ]);
  if (outcome.ok) return 'ok';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'used';
  if (outcome.reasons[1] === 'ConditionalCheckFailed') return 'member';
  if (outcome.reasons[3] === 'ConditionalCheckFailed') return 'staff';
  throw new TransientError('invitation acceptance cancelled; retry');
}

// --- pilot register ----------------------------------------------------------

function pilotItem(entry: PilotCollege): Item {
  return {
    ...keys.pilot(entry.creditCode),
    type: 'pilot-college',
    ...entry,
    gsi3pk: 'PILOTS',
    gsi3sk: `${entry.provinceCode}#${entry.cityCode}#${entry.creditCode}`,
  };
}

export async function getPilotCollege(creditCode: string): Promise<PilotCollege | undefined> {
  const item = await getItem(keys.pilot(creditCode));
  return item ? stripKeys<PilotCollege>(item) : undefined;
}

/** The register by province, city and credit code, one page at a time (gsi3 `PILOTS`). */
export async function listPilotColleges(input: { provinceCode?: string; cursor?: string; limit?: number }): Promise<Page<PilotCollege>> {
  const page = await queryPage({
    index: 'gsi3',
    pk: 'PILOTS',
    skPrefix: input.provinceCode ? `${input.provinceCode}#` : undefined,
    cursor: input.cursor,
    limit: input.limit,
  });
  return { items: page.items.map((item) => stripKeys<PilotCollege>(item)), cursor: page.cursor };
}

/** The whole register (a few thousand entries at most), for the Art.8 coverage report. */
export async function allPilotColleges(): Promise<PilotCollege[]> {
  const items = await queryAll({ index: 'gsi3', pk: 'PILOTS' });
  return items.map((item) => stripKeys<PilotCollege>(item));
}

/**
 * Writes register entries with their audit items in one transaction
 * (all or nothing; at most 50 entries: TransactWriteItems takes 100 items).
 */
export async function writePilotColleges(
  writes: ReadonlyArray<{ entry: PilotCollege; audit: { key: AuditKey; event: Omit<AuditEvent, 'at'> } }>,
): Promise<TransactionOutcome> {
  if (writes.length > 50) throw new RangeError('at most 50 register entries per transaction');
  return runTransaction(
    writes.flatMap(({ entry, audit }) => [
      { Put: { TableName: tableName(), Item: pilotItem(entry) } },
      {
        Put: {
          TableName: tableName(),
          Item: auditItem(keys.pilot(entry.creditCode), audit.key, audit.event),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]),
  );
}

// --- applications ------------------------------------------------------------

function applicationIndexes(record: Pick<ApplicationRecord, 'id' | 'creditCode' | 'status' | 'createdAt' | 'updatedAt'>): Item {
  return {
    gsi1pk: `INST#${record.creditCode}`,
    gsi1sk: `APP#${record.createdAt}`,
    gsi2pk: `APPSTATUS#${record.status}`,
    gsi2sk: `${record.updatedAt}#${record.id}`,
  };
}

/** Which application of an institution holds the open-application lock, if any. */
export async function getOpenApplicationId(creditCode: string): Promise<string | undefined> {
  const item = await getItem(registryKeys.openApplication(creditCode));
  return typeof item?.applicationId === 'string' ? item.applicationId : undefined;
}

/**
 * Creates an application with its audit item and takes the institution's
 * open-application lock in the same transaction. The lock may be taken over
 * only from `staleApplicationId` (an application the caller saw closed):
 * `open` means another open application holds it.
 */
export async function createApplicationTx(
  record: ApplicationRecord,
  audit: { key: AuditKey; event: Omit<AuditEvent, 'at'> },
  staleApplicationId?: string,
): Promise<'ok' | 'open'> {
  const lock = registryKeys.openApplication(record.creditCode);
  const outcome = await runTransaction([
    {
      Put: {
        TableName: tableName(),
        Item: { ...lock, type: 'open-application', applicationId: record.id, creditCode: record.creditCode, at: record.createdAt },
        ConditionExpression: staleApplicationId ? 'applicationId = :stale' : 'attribute_not_exists(pk)',
        ExpressionAttributeValues: staleApplicationId ? { ':stale': staleApplicationId } : undefined,
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.application(record.id), type: 'application', ...record, ...applicationIndexes(record) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    { Put: { TableName: tableName(), Item: auditItem(keys.application(record.id), audit.key, audit.event), ConditionExpression: 'attribute_not_exists(pk)' } },
  ]);
  if (outcome.ok) return 'ok';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'open';
  throw new ConflictError('ALREADY_EXISTS', '记录已存在。', 'The record already exists.');
}

export async function getApplication(id: string): Promise<ApplicationRecord | undefined> {
  const item = await getItem(keys.application(id));
  return item ? stripKeys<ApplicationRecord>(item) : undefined;
}

/**
 * Saves the draft form under the optimistic lock: only at `expectedVersion`
 * and while the application is in one of `editable`. False when either fails.
 */
export async function saveApplicationDraft(input: {
  id: string;
  expectedVersion: number;
  editable: readonly ApplicationStatus[];
  form: Item;
  at: string;
  by: string;
}): Promise<boolean> {
  const values: Item = { ':v': input.expectedVersion };
  input.editable.forEach((s, i) => (values[`:e${i}`] = s));
  return updateIf(
    keys.application(input.id),
    { form: input.form, version: input.expectedVersion + 1, updatedAt: input.at, updatedBy: input.by, gsi2sk: `${input.at}#${input.id}` },
    `#version = :v AND #status IN (${input.editable.map((_, i) => `:e${i}`).join(', ')})`,
    values,
    { '#version': 'version', '#status': 'status' },
  );
}

/** Applications of one institution, newest first (gsi1 `INST#<creditCode>`). */
export async function listApplicationsOfInstitution(creditCode: string, page: { cursor?: string; limit?: number }): Promise<Page<ApplicationRecord>> {
  const out = await queryPage({ index: 'gsi1', pk: `INST#${creditCode}`, skPrefix: 'APP#', newestFirst: true, ...page });
  return { items: out.items.map((item) => stripKeys<ApplicationRecord>(item)), cursor: out.cursor };
}

/** Applications in one status, most recently changed first (gsi2 `APPSTATUS#<status>`). */
export async function listApplicationsByStatus(status: ApplicationStatus, page: { cursor?: string; limit?: number }): Promise<Page<ApplicationRecord>> {
  const out = await queryPage({ index: 'gsi2', pk: `APPSTATUS#${status}`, newestFirst: true, ...page });
  return { items: out.items.map((item) => stripKeys<ApplicationRecord>(item)), cursor: out.cursor };
}

/** The evidence items of an application (a bounded partition). */
export async function listEvidenceItems(applicationId: string): Promise<Item[]> {
  const items = await queryAll({ pk: keys.application(applicationId).pk, skPrefix: 'EVIDENCE#' });
  return items.map((item) => stripKeys<Item>(item));
}

/** The whole audit trail of an owner (`APP#<id>`, `PILOT#<code>`…), oldest first. */
export async function listAllAudit(ownerPk: string): Promise<Item[]> {
  const items = await queryAll({ pk: ownerPk, skPrefix: 'AUDIT#' });
  return items.map((item) => stripKeys<Item>(item));
}

/** One page of an owner's audit trail, oldest first. */
export async function listAuditPage(ownerPk: string, page: { cursor?: string; limit?: number }): Promise<Page<Item>> {
  const out = await queryPage({ pk: ownerPk, skPrefix: 'AUDIT#', ...page });
  return { items: out.items.map((item) => stripKeys<Item>(item)), cursor: out.cursor };
}
// ═══ end of the registry and applications API block ══════════════════════════

// ═══════════════════════════════════════════════════════════════════════════
// Accreditation workflow and decisions: decision tasks (from e-mail links),
// the step lock of a workflow step, resubmission, site activation. Key shapes
// besides those in the table at the top (decision task, site):
// | item | pk | sk |
// |---|---|---|
// | decision step lock | `DECISIONSTEP#<executionName>#<stateName>#<enteredTime>` | `DECISIONSTEP` |
// The step lock names the decision a workflow step opened, so a retried
// `open-decision-task` (a new task token) updates that decision instead of
// opening a second one. Decision deadlines are `deadline` (ISO) and
// `deadlineMs`, NOT the TTL attribute `expiresAt`: TTL would delete expired
// decisions, and their links must keep saying "expired".
// The task token lives only in `taskToken` of a pending or undelivered
// decision; it is removed once delivered, expired or reassigned.
// ═══════════════════════════════════════════════════════════════════════════
import type { DecisionKind, DecisionStatus } from '../../schemas/api/accreditation.schema.ts';

export const accreditationKeys = {
  decisionStep: (stepKey: string) => ({ pk: `DECISIONSTEP#${stepKey}`, sk: 'DECISIONSTEP' }),
};

/** A decision task as stored (the token included: never return this record as is, see `decisionView`). */
export interface DecisionRecord {
  readonly decisionId: string;
  readonly kind: DecisionKind;
  readonly applicationId: string;
  readonly institutionId: string;
  readonly institutionName: string;
  /** The assigned person's `sub`; for `applicant-correction` the institution (`INST#<creditCode>`). */
  readonly assigneeSub: string;
  /** Final decision: the visitor, who may not decide (four-eyes). */
  readonly excludedSub?: string | null;
  readonly status: DecisionStatus;
  readonly createdAt: string;
  readonly deadline: string;
  readonly deadlineMs: number;
  readonly stepKey: string;
  readonly taskToken?: string;
  readonly findingsCount?: number;
  readonly outcome?: string;
  readonly reason?: string;
  readonly decidedBy?: string;
  readonly decidedAt?: string;
  /** The JSON sent with SendTaskSuccess (kept so an interrupted delivery can be repeated). */
  readonly output?: Item;
  readonly delivered?: boolean;
  readonly reassignedTo?: string;
  readonly reassignedFrom?: string;
  readonly expiredAt?: string;
}

function decisionIndexes(r: Pick<DecisionRecord, 'decisionId' | 'assigneeSub' | 'status' | 'deadline' | 'applicationId' | 'createdAt'>): Item {
  return {
    gsi1pk: `ASSIGNEE#${r.assigneeSub}`,
    gsi1sk: `${r.status}#${r.deadline}`,
    gsi2pk: `TASKS#${r.status}`,
    gsi2sk: `${r.deadline}#${r.decisionId}`,
    gsi3pk: `APP#${r.applicationId}`,
    gsi3sk: r.createdAt,
  };
}

/** The stored item of a decision record. */
export function decisionItem(record: DecisionRecord): Item {
  return { ...keys.decision(record.decisionId), type: 'decision', ...record, ...decisionIndexes(record) };
}

/** A decision by id, token included (internal use only). */
export async function getDecision(decisionId: string): Promise<DecisionRecord | undefined> {
  const item = await getItem(keys.decision(decisionId));
  return item ? stripKeys<DecisionRecord>(item) : undefined;
}

/**
 * Opens a decision task for a workflow step: the decision, the step lock and
 * (with `appTransition`) the application's status change with its audit
 * item, or (without) an audit item alone, in one transaction. When the step
 * already ran (a retry), the decision it opened gets the new task token and
 * is returned with `replayed: true`.
 */
export async function openDecisionTx(input: {
  record: DecisionRecord;
  appTransition?: Omit<TransitionInput, 'extra' | 'audit'>;
  audit: { key: AuditKey; event: Omit<AuditEvent, 'at' | 'from' | 'to'> };
}): Promise<{ record: DecisionRecord; replayed: boolean }> {
  const step = accreditationKeys.decisionStep(input.record.stepKey);
  const stepItem = { ...step, type: 'decision-step', decisionId: input.record.decisionId, at: input.record.createdAt };
  let replayed: boolean;
  if (input.appTransition) {
    const result = await transition({ ...input.appTransition, audit: input.audit, extra: [{ put: decisionItem(input.record) }, { put: stepItem }] });
    replayed = result.replayed;
  } else {
    const outcome = await runTransaction([
      { Put: { TableName: tableName(), Item: decisionItem(input.record), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: tableName(), Item: stepItem, ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName: tableName(),
          Item: auditItem(keys.application(input.record.applicationId), input.audit.key, input.audit.event),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
    if (!outcome.ok && outcome.reasons[1] !== 'ConditionalCheckFailed') throw new TransientError('decision task not opened; retry');
    replayed = !outcome.ok;
  }
  if (!replayed) return { record: input.record, replayed: false };
  const lock = await getItem(step);
  const existingId = typeof lock?.decisionId === 'string' ? lock.decisionId : undefined;
  if (!existingId) throw new TransientError('step lock not readable yet; retry');
  if (input.record.taskToken) {
    await updateIf(keys.decision(existingId), { taskToken: input.record.taskToken }, '#status = :pending', { ':pending': 'pending' }, { '#status': 'status' });
  }
  const existing = await getDecision(existingId);
  if (!existing) throw new TransientError('decision not readable yet; retry');
  return { record: existing, replayed: true };
}

function statusIndexValues(record: DecisionRecord, status: DecisionStatus): Item {
  return { gsi1sk: `${status}#${record.deadline}`, gsi2pk: `TASKS#${status}`, gsi2sk: `${record.deadline}#${record.decisionId}` };
}

function updateParts(set: Item, remove: readonly string[] = []): { expression: string; names: Record<string, string>; values: Item } {
  const names: Record<string, string> = {};
  const values: Item = {};
  const sets = Object.entries(set).map(([k, v], i) => {
    names[`#u${i}`] = k;
    values[`:u${i}`] = v;
    return `#u${i} = :u${i}`;
  });
  const removes = remove.map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  return { expression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`, names, values };
}

async function updateDecision(record: DecisionRecord, set: Item, remove: readonly string[], condition: string, values: Item): Promise<boolean> {
  const parts = updateParts(set, remove);
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.decision(record.decisionId),
        UpdateExpression: parts.expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: { ...parts.names, '#status': 'status' },
        ExpressionAttributeValues: { ...parts.values, ...values },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
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
  return updateDecision(
    record,
    { status: 'decided', ...decided, delivered: false, ...statusIndexValues(record, 'decided') },
    [],
    '#status = :pending AND deadlineMs > :now',
    { ':pending': 'pending', ':now': nowMs },
  );
}

/** The workflow has the decision: the token is no longer needed and is removed. */
export async function markDecisionDelivered(record: DecisionRecord): Promise<void> {
  await updateDecision(record, { delivered: true }, ['taskToken'], '#status = :decided', { ':decided': 'decided' });
}

/** Marks a decision expired (pending, or decided but never delivered: the workflow timed it out). */
export async function expireDecision(record: DecisionRecord, at: string): Promise<boolean> {
  return updateDecision(
    record,
    { status: 'expired', expiredAt: at, ...statusIndexValues(record, 'expired') },
    ['taskToken'],
    '#status = :pending OR (#status = :decided AND delivered = :false)',
    { ':pending': 'pending', ':decided': 'decided', ':false': false },
  );
}

/**
 * Moves a pending task to a new decision record (new id, new assignee, same
 * token); the old record becomes `reassigned`. One transaction with the
 * audit item. False when the old one is no longer pending.
 */
export async function reassignDecisionTx(
  old: DecisionRecord,
  replacement: DecisionRecord,
  audit: { key: AuditKey; event: Omit<AuditEvent, 'at'> },
): Promise<boolean> {
  const parts = updateParts({ status: 'reassigned', reassignedTo: replacement.decisionId, ...statusIndexValues(old, 'reassigned') }, ['taskToken']);
  const outcome = await runTransaction([
    {
      Update: {
        TableName: tableName(),
        Key: keys.decision(old.decisionId),
        UpdateExpression: parts.expression,
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { ...parts.names, '#status': 'status' },
        ExpressionAttributeValues: { ...parts.values, ':pending': 'pending' },
      },
    },
    { Put: { TableName: tableName(), Item: decisionItem(replacement), ConditionExpression: 'attribute_not_exists(pk)' } },
    { Put: { TableName: tableName(), Item: auditItem(keys.application(old.applicationId), audit.key, audit.event), ConditionExpression: 'attribute_not_exists(pk)' } },
  ]);
  return outcome.ok;
}

/** My pending decisions, earliest deadline first (gsi1 `ASSIGNEE#<sub>`, `pending#…`). */
export async function listPendingDecisionsOf(assigneeSub: string, page: { cursor?: string; limit?: number }): Promise<Page<DecisionRecord>> {
  const out = await queryPage({ index: 'gsi1', pk: `ASSIGNEE#${assigneeSub}`, skPrefix: 'pending#', ...page });
  return { items: out.items.map((item) => stripKeys<DecisionRecord>(item)), cursor: out.cursor };
}

/** Every decision of an application, oldest first (gsi3 `APP#<id>`; a bounded partition). */
export async function listDecisionsOfApplication(applicationId: string): Promise<DecisionRecord[]> {
  const items = await queryAll({ index: 'gsi3', pk: `APP#${applicationId}` });
  return items.map((item) => stripKeys<DecisionRecord>(item));
}

/** How many pending decisions a person has (Select COUNT: no item leaves the table). */
export async function countPendingDecisions(assigneeSub: string): Promise<number> {
  let total = 0;
  let start: Item | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :pending)',
        ExpressionAttributeValues: { ':pk': `ASSIGNEE#${assigneeSub}`, ':pending': 'pending#' },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    total += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return total;
}

/** The active admins (gsi2 `STAFF#admin#ACTIVE`), who receive escalations. */
export async function listActiveAdmins(): Promise<StaffRecord[]> {
  const items = await queryAll({ index: 'gsi2', pk: 'STAFF#admin#ACTIVE' });
  return items.map((item) => stripKeys<StaffRecord>(item));
}

/** The members (site managers) of an institution (gsi3 `INST#<creditCode>#MEMBERS`). */
export async function listInstitutionMembers(creditCode: string): Promise<MembershipRecord[]> {
  const items = await queryAll({ index: 'gsi3', pk: `INST#${creditCode}#MEMBERS` });
  return items.map((item) => stripKeys<MembershipRecord>(item));
}

/**
 * Resubmission after a return: RETURNED → SUBMITTED (next round) and the
 * pending `applicant-correction` decision claimed (pending, before its
 * deadline), with the audit item, in one transaction.
 */
export async function resubmitTx(input: {
  application: ApplicationRecord;
  decision: DecisionRecord;
  at: string;
  nowMs: number;
  decidedBy: string;
  output: Item;
  audit: { key: AuditKey; event: Omit<AuditEvent, 'at'> };
}): Promise<'ok' | 'application-changed' | 'decision-closed'> {
  const { application: app, decision } = input;
  const decisionParts = updateParts({
    status: 'decided',
    outcome: 'resubmitted',
    reason: 'resubmitted',
    decidedBy: input.decidedBy,
    decidedAt: input.at,
    output: input.output,
    delivered: false,
    ...statusIndexValues(decision, 'decided'),
  });
  const outcome = await runTransaction([
    {
      Update: {
        TableName: tableName(),
        Key: keys.application(app.id),
        UpdateExpression: 'SET #status = :to, #version = :next, #updatedAt = :at, #round = :round, gsi2pk = :gpk, gsi2sk = :gsk',
        ConditionExpression: '#status = :from AND #version = :v',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version', '#updatedAt': 'updatedAt', '#round': 'round' },
        ExpressionAttributeValues: {
          ':to': 'SUBMITTED',
          ':from': 'RETURNED',
          ':v': app.version,
          ':next': app.version + 1,
          ':at': input.at,
          ':round': (app.round ?? 1) + 1,
          ':gpk': 'APPSTATUS#SUBMITTED',
          ':gsk': `${input.at}#${app.id}`,
        },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: keys.decision(decision.decisionId),
        UpdateExpression: decisionParts.expression,
        ConditionExpression: '#status = :pending AND deadlineMs > :now',
        ExpressionAttributeNames: { ...decisionParts.names, '#status': 'status' },
        ExpressionAttributeValues: { ...decisionParts.values, ':pending': 'pending', ':now': input.nowMs },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: auditItem(keys.application(app.id), input.audit.key, { ...input.audit.event, from: 'RETURNED', to: 'SUBMITTED' }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
  if (outcome.ok) return 'ok';
  if (outcome.reasons[1] === 'ConditionalCheckFailed') return 'decision-closed';
  return 'application-changed';
}

/** An accredited site as stored. */
export interface SiteRecord {
  readonly siteId: string;
  readonly certificateNumber: string;
  readonly status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'WITHDRAWN';
  readonly version: number;
  readonly institutionId: string;
  readonly institutionName: string;
  readonly provinceCode: string;
  readonly cityCode: string;
  readonly applicationId: string;
  readonly activatedAt: string;
  /**
   * Art.9(2): the rooms the site is accredited for (those that met the
   * standard at approval) with the candidates each seats at once; exam
   * sessions are scheduled only in these. Absent on sites stored before
   * rooms were recorded.
   */
  readonly accreditedRooms?: readonly AccreditedRoom[];
  /** Art.23(1): the last exam session held; none yet. */
  readonly lastExamAt: string | null;
  /** Start of the inactivity period the timer measures (Art.23(1)). */
  readonly inactivitySince: string;
  /** The next inactivity milestone (first: the T-90 days warning). */
  readonly nextMilestoneAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The stored item of a site (gsi1 by institution, gsi2 by status, gsi3 `MILESTONE` for the inactivity timer). */
export function siteItem(site: SiteRecord): Item {
  return {
    ...keys.site(site.siteId),
    type: 'site',
    ...site,
    gsi1pk: `INST#${site.institutionId}`,
    gsi1sk: `SITE#${site.createdAt}`,
    gsi2pk: `SITESTATUS#${site.status}`,
    gsi2sk: `${site.updatedAt}#${site.siteId}`,
    gsi3pk: 'MILESTONE',
    gsi3sk: `${site.nextMilestoneAt}#${site.siteId}`,
  };
}

export async function getSite(siteId: string): Promise<SiteRecord | undefined> {
  const item = await getItem(keys.site(siteId));
  return item ? stripKeys<SiteRecord>(item) : undefined;
}

// --- stalled accreditations ----------------------------------------------------
// | item | pk | sk |
// |---|---|---|
// | stalled-application marker | `STALLED` | `APP#<applicationId>` |
// The application carries its `stalled` mark (or null); the marker lists the
// stalled ones for admins with one Query on the base table. Stalls are
// exceptions (a review overdue after its escalations, a failed execution), so
// one partition holds them; the marker is written and removed in the same
// transaction as the mark.
import type { StalledMark } from '../../schemas/api/accreditation.schema.ts';

export const stalledKeys = { marker: (applicationId: string) => ({ pk: 'STALLED', sk: `APP#${applicationId}` }) };

/** A stalled accreditation as the admin list shows it. */
export interface StalledApplication extends StalledMark {
  readonly applicationId: string;
  readonly institutionId: string;
  readonly institutionName: string;
  readonly status: ApplicationStatus;
}

function stalledMarkerItem(app: ApplicationRecord, mark: StalledMark): Item {
  return {
    ...stalledKeys.marker(app.id),
    type: 'stalled-application',
    applicationId: app.id,
    institutionId: app.creditCode,
    institutionName: app.institutionName,
    status: app.status,
    ...mark,
  };
}

/**
 * Marks an application stalled (status unchanged) with the listing marker and
 * the audit item, in one transaction under the version read. `replayed` when
 * this step already did it (its audit item exists).
 */
export async function markStalledTx(input: { app: ApplicationRecord; mark: StalledMark; audit: { key: AuditKey; event: Omit<AuditEvent, 'at'> } }): Promise<{ replayed: boolean }> {
  const { app } = input;
  const outcome = await runTransaction([
    {
      Update: {
        TableName: tableName(),
        Key: keys.application(app.id),
        UpdateExpression: 'SET #stalled = :mark, #version = :next, #updatedAt = :at',
        ConditionExpression: '#version = :v AND #status = :status',
        ExpressionAttributeNames: { '#stalled': 'stalled', '#version': 'version', '#updatedAt': 'updatedAt', '#status': 'status' },
        ExpressionAttributeValues: { ':mark': input.mark, ':v': app.version, ':next': app.version + 1, ':at': input.mark.since, ':status': app.status },
      },
    },
    { Put: { TableName: tableName(), Item: stalledMarkerItem(app, input.mark) } },
    { Put: { TableName: tableName(), Item: auditItem(keys.application(app.id), input.audit.key, input.audit.event), ConditionExpression: 'attribute_not_exists(pk)' } },
  ]);
  if (outcome.ok) return { replayed: false };
  if (outcome.reasons[2] === 'ConditionalCheckFailed') return { replayed: true };
  throw new TransientError('the application changed while it was being marked stalled; retry');
}

/** Every stalled accreditation, oldest stall first. */
export async function listStalledApplications(): Promise<StalledApplication[]> {
  const items = await queryAll({ pk: 'STALLED', skPrefix: 'APP#' });
  return items.map((item) => stripKeys<StalledApplication>(item)).sort((a, b) => a.since.localeCompare(b.since));
}

/**
 * Ends a stall: the mark is cleared (null) and the marker removed with the
 * audit item, under the version read; with `close`, the application becomes
 * CLOSED in the same update. `replayed` when the audit item exists (this very
 * request already did it); `changed` when the application moved meanwhile.
 */
export async function endStallTx(input: {
  app: ApplicationRecord;
  set: Item;
  close?: { from: ApplicationStatus; at: string };
  audit: { key: AuditKey; event: Omit<AuditEvent, 'at'> };
}): Promise<'ok' | 'replayed' | 'changed'> {
  const { app } = input;
  const names: Record<string, string> = { '#stalled': 'stalled', '#version': 'version', '#updatedAt': 'updatedAt' };
  const values: Item = { ':null': null, ':v': app.version, ':next': app.version + 1, ':at': input.audit.key.at };
  const sets = ['#stalled = :null', '#version = :next', '#updatedAt = :at'];
  Object.entries(input.set).forEach(([k, v], i) => {
    names[`#s${i}`] = k;
    values[`:s${i}`] = v;
    sets.push(`#s${i} = :s${i}`);
  });
  let condition = '#version = :v';
  if (input.close) {
    Object.assign(names, { '#status': 'status', '#gpk': 'gsi2pk', '#gsk': 'gsi2sk' });
    Object.assign(values, { ':to': 'CLOSED', ':from': input.close.from, ':gpk': 'APPSTATUS#CLOSED', ':gsk': `${input.close.at}#${app.id}` });
    sets.push('#status = :to', '#gpk = :gpk', '#gsk = :gsk');
    condition += ' AND #status = :from';
  }
  const outcome = await runTransaction([
    {
      Update: {
        TableName: tableName(),
        Key: keys.application(app.id),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    { Delete: { TableName: tableName(), Key: stalledKeys.marker(app.id) } },
    { Put: { TableName: tableName(), Item: auditItem(keys.application(app.id), input.audit.key, input.audit.event), ConditionExpression: 'attribute_not_exists(pk)' } },
  ]);
  if (outcome.ok) return 'ok';
  if (outcome.reasons[2] === 'ConditionalCheckFailed') return 'replayed';
  return 'changed';
}
// ═══ end of the accreditation workflow and decisions block ═════════════════

// ───────────────────────────────────────────────────────────────────────────
// Evidence (Art.3): evidence items, their validation results and the SHA-256
// lookup for files used by other institutions (gsi3 `SHA#<sha256>` /
// `<creditCode>#<applicationId>`, set only on valid items). Item status:
// `pending` (upload granted) → `valid` | `invalid` (validator, per object
// version, newest `sequencer` wins) and → `withdrawn` (removed by its uploader).
// ───────────────────────────────────────────────────────────────────────────

/** Stored status of an evidence item; `withdrawn` items are kept for the record but count nowhere. */
export type StoredEvidenceStatus = 'pending' | 'valid' | 'invalid' | 'withdrawn';

/** An evidence item as stored (`keys.evidence`). */
export type EvidenceRecord = Item & {
  readonly pk: string;
  readonly sk: string;
  readonly type: 'evidence';
  readonly applicationId: string;
  readonly kind: string;
  readonly itemId: string;
  readonly creditCode: string;
  readonly status: StoredEvidenceStatus;
  readonly version: number;
  readonly objectKey: string;
  readonly declaredContentType: string;
  readonly declaredSize: number;
  /** Display only, sanitised. */
  readonly fileName: string;
  readonly tags: string[];
  readonly uploaderSub: string;
  readonly createdAt: string;
  readonly uploadExpiresAt: string;
  /** Normalised (fixed-width) sequencer of the last object event recorded. */
  readonly lastSequencer?: string;
  /** False between recording a result and finishing its side effects (quarantine, domain event). */
  readonly settled?: boolean;
  readonly validatedVersionId?: string;
  readonly sha256?: string;
  readonly size?: number;
  readonly detectedType?: string;
  readonly width?: number;
  readonly height?: number;
  readonly reasons?: Array<{ code: string; zh: string; en: string; article: string }>;
  readonly reasonCodes?: string[];
  readonly duplicateOf?: Array<{ applicationId: string }>;
  readonly uploadedAt?: string;
  readonly validatedAt?: string;
  /** The applicant confirmed the file carries its seal (Art.3), for the kinds that must be stamped. */
  readonly sealConfirmed?: boolean;
  /** A reviewer's marks on the validated version (Art.3); an empty list is a cleared mark. Removed when a new version is validated. */
  readonly reviewMarks?: { marks: string[]; note?: string; by: string; at: string };
};

/** Writes a new evidence item with its audit event in one transaction (retried requests are answered by the idempotency middleware). */
export async function createEvidenceItem(record: EvidenceRecord, audit: { key: AuditKey; event: Omit<AuditEvent, 'at'> }): Promise<void> {
  const puts: Item[] = [record, auditItem(record, audit.key, audit.event)];
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: puts.map((item) => ({ Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } })),
      }),
    );
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    if (reasons.some((r) => r.Code === 'TransactionConflict')) throw new TransientError('lost a concurrent update; retry');
    if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) {
      throw new ConflictError('ALREADY_EXISTS', '记录已存在。', 'The record already exists.');
    }
    throw error;
  }
}

export function getEvidenceItem(applicationId: string, kind: string, itemId: string): Promise<EvidenceRecord | undefined> {
  return getItem<EvidenceRecord>(keys.evidence(applicationId, kind, itemId));
}

/** Every evidence record of an application (of one kind when given), keys kept, withdrawn ones included. */
export function listEvidenceRecords(applicationId: string, kind?: string): Promise<EvidenceRecord[]> {
  return queryAll<EvidenceRecord>({ pk: keys.application(applicationId).pk, skPrefix: kind ? `EVIDENCE#${kind}#` : 'EVIDENCE#' });
}

/** An evidence item by id alone (the routes carry no kind): one query of the application's evidence. */
export async function findEvidenceItem(applicationId: string, itemId: string): Promise<EvidenceRecord | undefined> {
  let start: Item | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        FilterExpression: 'itemId = :id',
        ExpressionAttributeValues: { ':pk': keys.application(applicationId).pk, ':sk': 'EVIDENCE#', ':id': itemId },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    const found = out.Items?.[0];
    if (found) return found as EvidenceRecord;
    start = out.LastEvaluatedKey;
  } while (start);
  return undefined;
}

/** A validation result to record on an item. */
export interface EvidenceValidationWrite {
  readonly key: { pk: string; sk: string };
  /** Normalised sequencer of the event: written only if newer than the stored one. */
  readonly sequencer: string;
  readonly set: Item;
  readonly remove: readonly string[];
  readonly audit: { key: AuditKey; event: Omit<AuditEvent, 'at'> };
}

/**
 * Records a validation result with its audit event, only if the event is
 * newer than the last one recorded and the item was not withdrawn: a retried
 * or duplicate event, or an older one arriving late, changes nothing.
 * @returns false when the condition did not hold (nothing written).
 */
export async function recordEvidenceValidation(write: EvidenceValidationWrite): Promise<boolean> {
  const names: Record<string, string> = { '#status': 'status', '#seq': 'lastSequencer', '#settled': 'settled' };
  const values: Item = { ':seq': write.sequencer, ':withdrawn': 'withdrawn', ':false': false };
  const sets = ['#seq = :seq', '#settled = :false'];
  Object.entries(write.set).forEach(([k, v], i) => {
    names[`#s${i}`] = k;
    values[`:s${i}`] = v;
    sets.push(`#s${i} = :s${i}`);
  });
  const removes = write.remove.map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: write.key,
              UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
              ConditionExpression: 'attribute_exists(pk) AND #status <> :withdrawn AND (attribute_not_exists(#seq) OR #seq < :seq)',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
          { Put: { TableName: tableName(), Item: auditItem(write.key, write.audit.key, write.audit.event), ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return false;
    if (reasons.some((r) => r.Code === 'TransactionConflict')) throw new TransientError('lost a concurrent update; retry');
    throw error;
  }
}

/** Marks the side effects of the recorded result done, unless a newer event was recorded since. */
export function markEvidenceSettled(key: { pk: string; sk: string }, sequencer: string): Promise<boolean> {
  return updateIf(key, { settled: true }, '#seq = :seq', { ':seq': sequencer }, { '#seq': 'lastSequencer' });
}

/**
 * Applications of OTHER institutions holding a valid item with this SHA-256
 * (gsi3, never a Scan). The institution's own entries are skipped by the key
 * condition: its sort keys lie between `<creditCode>#` and `<creditCode>$`.
 */
export async function findEvidenceOfOtherInstitutions(sha256: string, creditCode: string, limit = 10): Promise<Array<{ applicationId: string; creditCode: string }>> {
  const found = new Map<string, { applicationId: string; creditCode: string }>();
  const ranges: Array<[string, Item]> = [
    ['gsi3pk = :pk AND gsi3sk < :own', { ':pk': `SHA#${sha256}`, ':own': `${creditCode}#` }],
    ['gsi3pk = :pk AND gsi3sk > :own', { ':pk': `SHA#${sha256}`, ':own': `${creditCode}$` }],
  ];
  for (const [condition, values] of ranges) {
    const out = await documentClient().send(
      new QueryCommand({ TableName: tableName(), IndexName: 'gsi3', KeyConditionExpression: condition, ExpressionAttributeValues: values, Limit: limit }),
    );
    for (const item of out.Items ?? []) {
      const applicationId = String(item.applicationId ?? '');
      if (applicationId && item.creditCode !== creditCode) found.set(applicationId, { applicationId, creditCode: String(item.creditCode) });
    }
  }
  return [...found.values()].slice(0, limit);
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

const evidenceResetKey = (applicationId: string, kind: string) => ({ pk: keys.application(applicationId).pk, sk: `EVIDENCE-RESET#${kind}` });

/** The resets of every kind of an application (one query of its partition). */
export async function listEvidenceAttemptsResets(applicationId: string): Promise<EvidenceAttemptsReset[]> {
  return (await queryAll({ pk: keys.application(applicationId).pk, skPrefix: 'EVIDENCE-RESET#' })).map((item) => stripKeys<EvidenceAttemptsReset>(item));
}

export async function getEvidenceAttemptsReset(applicationId: string, kind: string): Promise<EvidenceAttemptsReset | undefined> {
  const item = await getItem(evidenceResetKey(applicationId, kind));
  return item ? stripKeys<EvidenceAttemptsReset>(item) : undefined;
}

/**
 * Records a reset with its audit event in one transaction, only if no other
 * reset was recorded since `previousResetAt` (two admins at once: one wins).
 * @returns false when another reset came first (nothing written).
 */
export async function recordEvidenceAttemptsReset(
  reset: EvidenceAttemptsReset,
  previousResetAt: string | undefined,
  audit: { key: AuditKey; event: Omit<AuditEvent, 'at'> },
): Promise<boolean> {
  const key = evidenceResetKey(reset.applicationId, reset.kind);
  const outcome = await runTransaction([
    {
      Put: {
        TableName: tableName(),
        Item: { ...key, type: 'evidence-reset', ...reset },
        ConditionExpression: previousResetAt ? 'resetAt = :previous' : 'attribute_not_exists(pk)',
        ...(previousResetAt ? { ExpressionAttributeValues: { ':previous': previousResetAt } } : {}),
      },
    },
    { Put: { TableName: tableName(), Item: auditItem(key, audit.key, audit.event), ConditionExpression: 'attribute_not_exists(pk)' } },
  ]);
  return outcome.ok;
}

// ───────────────────────────────────────────────────────────────────────────
// Sites by institution (gsi1 `INST#<creditCode>` / `SITE#<createdAt>`).
// ───────────────────────────────────────────────────────────────────────────

/** Every site an institution has had (a handful at most: a new one only after revocation or withdrawal). */
export async function listSitesOfInstitution(creditCode: string): Promise<SiteRecord[]> {
  const items = await queryAll<Item>({ index: 'gsi1', pk: `INST#${creditCode}`, skPrefix: 'SITE#' });
  return items.map((item) => stripKeys<SiteRecord>(item));
}

// ───────────────────────────────────────────────────────────────────────────
// Mail log (`MAIL#<mailId>` / `MAIL`): one item per sent message id, so a
// message queued twice (a retried workflow step) is sent once. Kept 90 days.
// ───────────────────────────────────────────────────────────────────────────

const MAIL_LOG_DAYS = 90;

/** Claims a message id for sending; false when it was already sent. A claim left by a failed send can be taken again. */
export async function claimMailSend(mailId: string, tag: string): Promise<boolean> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { pk: `MAIL#${mailId}`, sk: 'MAIL', type: 'mail', mailId, tag, status: 'sending', claimedAt: nowIso(), expiresAt: Math.floor(Date.now() / 1000) + MAIL_LOG_DAYS * 86_400 },
        ConditionExpression: 'attribute_not_exists(pk) OR #status <> :sent',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent' },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Records that a message was handed to the provider. */
export async function markMailSent(mailId: string, providerMessageId: string): Promise<void> {
  await updateIf({ pk: `MAIL#${mailId}`, sk: 'MAIL' }, { status: 'sent', providerMessageId, sentAt: nowIso() }, 'attribute_exists(pk)');
}

/** Sites in one status, newest change first (gsi2 `SITESTATUS#<status>`): the organisation's register of exam sites. */
export async function listSitesByStatus(status: SiteRecord['status'], page: { cursor?: string; limit?: number }): Promise<Page<SiteRecord>> {
  const out = await queryPage({ index: 'gsi2', pk: `SITESTATUS#${status}`, newestFirst: true, ...page });
  return { items: out.items.map((item) => stripKeys<SiteRecord>(item)), cursor: out.cursor };
}
