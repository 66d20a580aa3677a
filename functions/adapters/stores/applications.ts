import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';
import * as z from 'zod/mini';
import { ConflictError, TransientError } from '../../domain/errors.ts';
import { stalledMarkSchema, type StalledMark } from '../../../schemas/api/accreditation.schema.ts';
import type { ApplicationStatus, ApplicationTrigger } from '../../domain/application-lifecycle.ts';
import { APPLICATION_LIFECYCLE, APPLICATION_STATUSES } from '../../domain/application-lifecycle.ts';
import {
  applicationFormRecordSchema,
  applicationRecordSchema,
  screeningRecordSchema,
  type ApplicationRecord as StoredApplication,
} from '../../../schemas/records/application.record.ts';
import type { ScreeningResult } from '../../../schemas/findings.schema.ts';
import {
  appendAudit,
  auditOp,
  countSharded,
  getItem,
  getMany,
  listAllAudit,
  listAuditPage,
  parseRecord,
  putNewOp,
  putOp,
  queryAll,
  queryPage,
  querySharded,
  queryAllSharded,
  runTransaction,
  shardedKey,
  tableName,
  transition,
  updateOp,
  type AuditWrite,
  type Item,
  type Key,
  type Page,
  type TransactItem,
  type TransitionResult,
} from './table.ts';

/**
 * Applications. An application is three items in its partition `APP#<id>`,
 * split by how often each changes (the status record is rewritten at every
 * status change and must stay under 1 KB):
 * | item | sk | gsi1 | gsi2 |
 * |---|---|---|---|
 * | status record | `APP` | `INST#<creditCode>` / `APP#<createdAt>` | `APPSTATUS#<status>#<shard>` / `<statusSince>#<id>` |
 * | form (~5 KB) | `APP#FORM` | | |
 * | latest screening result | `APP#SCREENING` | | |
 * | open-application lock | pk `INST#<creditCode>`, sk `OPENAPP` | | |
 * Audit events (`AUDIT#…`) and evidence items (`EVIDENCE#…`) share the
 * partition. The status list is sharded (`SHARDS`) so that 100,000
 * applications in one status do not share one index partition.
 */

export type ApplicationStatusRecord = StoredApplication;

/** An application as use cases see it: the status record with its form and latest screening. */
export type ApplicationRecord = StoredApplication & { readonly form: Item; readonly screening?: ScreeningResult };

const pk = (id: string) => `APP#${id}`;
const statusKey = (id: string): Key => ({ pk: pk(id), sk: 'APP' });
const formKey = (id: string): Key => ({ pk: pk(id), sk: 'APP#FORM' });
const screeningKey = (id: string): Key => ({ pk: pk(id), sk: 'APP#SCREENING' });
const lockKey = (creditCode: string): Key => ({ pk: `INST#${creditCode}`, sk: 'OPENAPP' });

function statusIndex(id: string, status: string, since: string): Item {
  return { gsi2pk: shardedKey(`APPSTATUS#${status}`, id), gsi2sk: `${since}#${id}` };
}

function statusItem(record: StoredApplication): Item {
  return {
    ...statusKey(record.id),
    type: 'application',
    ...record,
    gsi1pk: `INST#${record.creditCode}`,
    gsi1sk: `APP#${record.createdAt}`,
    ...statusIndex(record.id, record.status, record.updatedAt),
  };
}

/**
 * The status item of an application as this store writes it (for bulk
 * seeding of the local stack: sites seeded without going through an
 * accreditation still point at an application, as every real site does).
 */
export function applicationStatusItem(record: StoredApplication): Item {
  return statusItem(parseRecord(applicationRecordSchema, record));
}

/**
 * The form item holds the form as Brotli-compressed JSON (`formGz`): a
 * complete form is about 5 KB of mostly Chinese text and compresses to
 * about a third, and write units are counted per started KB (twice over
 * in a transaction), so every draft save costs a third as much.
 */
function formItem(id: string, form: Item, formVersion: number): Item {
  return { ...formKey(id), type: 'application-form', formGz: encodeForm(form), formVersion };
}

/** The stored bytes of a form (Brotli, text mode). */
export function encodeForm(form: Item): Uint8Array {
  return brotliCompressSync(Buffer.from(JSON.stringify(form), 'utf8'), BROTLI_OPTIONS);
}

const BROTLI_OPTIONS = { params: { [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT, [zlibConstants.BROTLI_PARAM_QUALITY]: 9 } };

/** The form of a form item: compressed (`formGz`) or, for items written before, inline (`form`). */
export function formOf(item: Item): Item {
  const record = parseRecord(applicationFormRecordSchema, item);
  if (record.formGz) {
    const form: unknown = JSON.parse(brotliDecompressSync(record.formGz).toString('utf8'));
    if (!isObject(form)) throw new Error('stored form is not an object');
    return form;
  }
  return record.form ?? {};
}

function screeningItem(id: string, screening: ScreeningResult): Item {
  return { ...screeningKey(id), type: 'application-screening', screening };
}

/** Splits a use case's record into the status record and its bodies. */
function split(record: Item): { status: Item; form?: Item; screening?: ScreeningResult } {
  const { form, screening, ...status } = record;
  return { status, form, screening };
}

function isObject(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function assemble(items: readonly Item[]): ApplicationRecord | undefined {
  const head: Item | undefined = items.find((i) => i.sk === 'APP');
  if (!head) return undefined;
  const { form: _form, screening: _screening, ...rest } = head;
  const status = parseRecord(applicationRecordSchema, rest);
  const formRaw = items.find((i) => i.sk === 'APP#FORM');
  const screeningRaw = items.find((i) => i.sk === 'APP#SCREENING');
  // Items written before the form and screening had their own items carry them inline: read them from there.
  const inline = { form: head.form, screening: head.screening };
  const form = formRaw ? formOf(formRaw) : isObject(inline.form) ? inline.form : {};
  const screening = screeningRaw
    ? parseRecord(screeningRecordSchema, screeningRaw).screening
    : inline.screening !== undefined
      ? parseRecord(screeningRecordSchema, { screening: inline.screening }).screening
      : undefined;
  return { ...status, form, ...(screening ? { screening } : {}) };
}

/** An application with its form and screening (one query of its head items), or undefined. */
export async function getApplication(id: string): Promise<ApplicationRecord | undefined> {
  return assemble(await queryAll({ pk: pk(id), skPrefix: 'APP', consistent: true }));
}

/** The status record alone (lists and access checks that need no form). */
export async function getApplicationStatus(id: string): Promise<ApplicationStatusRecord | undefined> {
  const item = await getItem(statusKey(id));
  return item ? parseRecord(applicationRecordSchema, item) : undefined;
}

/** Which application of an institution holds the open-application lock, if any. */
export async function getOpenApplicationId(creditCode: string): Promise<string | undefined> {
  const item = await getItem(lockKey(creditCode));
  return typeof item?.applicationId === 'string' ? item.applicationId : undefined;
}

/**
 * Creates an application (status record, form, audit item) and takes the
 * institution's open-application lock in the same transaction. The lock may
 * be taken over only from `staleApplicationId` (an application the caller
 * saw closed): `open` means another open application holds it.
 */
export async function createApplication(record: ApplicationRecord, audit: AuditWrite, staleApplicationId?: string): Promise<'ok' | 'open'> {
  const { status, form } = split(record);
  const outcome = await runTransaction([
    putNewOp(
      { ...lockKey(record.creditCode), type: 'open-application', applicationId: record.id, creditCode: record.creditCode, at: record.createdAt },
      staleApplicationId ? { expression: 'applicationId = :stale', values: { ':stale': staleApplicationId } } : undefined,
    ),
    putNewOp(statusItem(parseRecord(applicationRecordSchema, { ...status, formVersion: 1 }))),
    putNewOp(formItem(record.id, form ?? {}, 1)),
    auditOp(pk(record.id), audit),
  ]);
  if (outcome.ok) return 'ok';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'open';
  throw new ConflictError('ALREADY_EXISTS', '记录已存在。', 'The record already exists.');
}

/**
 * Saves the draft form under the optimistic lock: only at `expectedVersion`
 * and while the application is in one of `editable`. The status record gets
 * its new version (no index key changes); the form item is replaced. False
 * when either condition fails.
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
  const outcome = await runTransaction([
    updateOp(
      statusKey(input.id),
      { set: { version: input.expectedVersion + 1, formVersion: input.expectedVersion + 1, updatedAt: input.at, updatedBy: input.by } },
      { expression: `#version = :v AND #status IN (${input.editable.map((_, i) => `:e${i}`).join(', ')})`, names: { '#version': 'version', '#status': 'status' }, values },
    ),
    putOp(formItem(input.id, input.form, input.expectedVersion + 1)),
  ]);
  return outcome.ok;
}

/** The rows of the application lifecycle for these triggers (all to one status). */
export function applicationRows(...triggers: ApplicationTrigger[]) {
  const rows = APPLICATION_LIFECYCLE.transitions.filter((t) => triggers.includes(t.trigger));
  if (rows.length === 0) throw new Error(`no lifecycle row for ${triggers.join(', ')}`);
  return rows;
}

/** A status change of an application: rows of `APPLICATION_LIFECYCLE`, with its audit item. */
export interface ApplicationTransition {
  readonly id: string;
  /** The lifecycle rows this change may take (by trigger); from, to and article come from them. */
  readonly triggers: readonly ApplicationTrigger[];
  readonly expectedVersion?: number;
  /** Attributes to set; `screening` goes to its own item. */
  readonly set?: Item;
  readonly audit: { key: AuditWrite['key']; event: Omit<AuditWrite['event'], 'action' | 'article' | 'from' | 'to'> & { action?: string } };
  /** More writes in the same transaction (the new site, a decision task). */
  readonly extra?: readonly TransactItem[];
}

/** The transaction items of a transition, for a caller that composes them (kernel `transition`). */
function transitionInput(input: ApplicationTransition) {
  const rows = applicationRows(...input.triggers);
  const to = rows[0]!.to;
  const { status: set, screening } = split(input.set ?? {});
  return {
    key: statusKey(input.id),
    rows,
    expectedVersion: input.expectedVersion,
    set: { ...set, ...statusIndex(input.id, to, input.audit.key.at) },
    audit: input.audit,
    extra: [...(screening ? [putOp(screeningItem(input.id, screening))] : []), ...(input.extra ?? [])],
  };
}

/**
 * Applies a guarded status change of an application (see kernel
 * `transition`): the row's from/to/article are the only ones written.
 */
export async function transitionApplication(input: ApplicationTransition): Promise<{ record: ApplicationRecord; replayed: boolean }> {
  const result: TransitionResult = await transition(transitionInput(input));
  const record = await getApplication(input.id);
  if (!record) throw new Error(`application ${input.id} vanished after ${result.replayed ? 'a replayed' : 'a'} transition`);
  return { record, replayed: result.replayed };
}

/**
 * The transaction items of RETURNED → SUBMITTED (next round), for the
 * resubmission that also claims the correction task (decisions store).
 */
export function resubmitOps(app: ApplicationRecord, at: string, audit: { key: AuditWrite['key']; event: Omit<AuditWrite['event'], 'article'> }): TransactItem[] {
  const row = applicationRows('resubmit')[0]!;
  return [
    updateOp(
      statusKey(app.id),
      { set: { status: row.to, version: app.version + 1, updatedAt: at, round: (app.round ?? 1) + 1, ...statusIndex(app.id, row.to, at) } },
      { expression: '#status = :from AND #version = :v', names: { '#status': 'status', '#version': 'version' }, values: { ':from': row.from, ':v': app.version } },
    ),
    auditOp(pk(app.id), { key: audit.key, event: { ...audit.event, action: row.trigger, article: row.article, from: row.from, to: row.to } }),
  ];
}

/** Appends an audit event to an application's trail (idempotent by key). */
export function appendApplicationAudit(applicationId: string, audit: AuditWrite): Promise<void> {
  return appendAudit(pk(applicationId), audit);
}

/** The audit item of an application event, for transactions of other stores. */
export function applicationAuditOp(applicationId: string, audit: AuditWrite): TransactItem {
  return auditOp(pk(applicationId), audit);
}

/** The whole audit trail of an application, oldest first. */
export function applicationAuditTrail(applicationId: string): Promise<Item[]> {
  return listAllAudit(pk(applicationId));
}

/** One page of an application's audit trail, oldest first. */
export function applicationAuditPage(applicationId: string, page: { cursor?: string; limit?: number }): Promise<Page<Item>> {
  return listAuditPage(pk(applicationId), page);
}

async function records(items: readonly Item[]): Promise<ApplicationStatusRecord[]> {
  const full = await getMany(items.map((i) => statusKey(String(i.pk).slice('APP#'.length))));
  return full.map((item) => parseRecord(applicationRecordSchema, item));
}

/** Applications of one institution, newest first. */
export async function listApplicationsOfInstitution(creditCode: string, page: { cursor?: string; limit?: number }): Promise<Page<ApplicationStatusRecord>> {
  const out = await queryPage({ index: 'gsi1', pk: `INST#${creditCode}`, skPrefix: 'APP#', newestFirst: true, ...page });
  return { items: await records(out.items), cursor: out.cursor };
}

/** Applications in one status, the latest to enter it first (all shards, merged). */
export async function listApplicationsByStatus(status: ApplicationStatus, page: { cursor?: string; limit?: number }): Promise<Page<ApplicationStatusRecord>> {
  const out = await querySharded({ index: 'gsi2', prefix: `APPSTATUS#${status}`, newestFirst: true, ...page });
  return { items: await records(out.items), cursor: out.cursor };
}

/** How many applications are in a status (Select COUNT over its shards). */
export function countApplicationsInStatus(status: ApplicationStatus): Promise<number> {
  return countSharded({ index: 'gsi2', prefix: `APPSTATUS#${status}` });
}

/** The province of every application in a status (the index projects it). */
export async function provincesOfApplicationsInStatus(status: ApplicationStatus): Promise<string[]> {
  const items = await queryAllSharded({ index: 'gsi2', prefix: `APPSTATUS#${status}` });
  return items.map((i) => (typeof i.provinceCode === 'string' ? i.provinceCode : 'unknown'));
}

/**
 * Every application in a status with the time it entered it, from the index
 * projection alone (no record read): the reports group them by month and
 * pick the recent ones.
 */
export async function applicationsInStatusSince(status: ApplicationStatus): Promise<Array<{ applicationId: string; since: string }>> {
  const items = await queryAllSharded({ index: 'gsi2', prefix: `APPSTATUS#${status}` });
  return items.map((i) => {
    const sk = String(i.gsi2sk ?? '');
    const cut = sk.lastIndexOf('#');
    return { applicationId: typeof i.applicationId === 'string' ? i.applicationId : sk.slice(cut + 1), since: cut > 0 ? sk.slice(0, cut) : '' };
  });
}

/** The stored items of an application partition with a prefix (evidence store reads its own). */
export function applicationPartitionKey(applicationId: string): string {
  return pk(applicationId);
}


// ─── stalled accreditations ─────────────────────────────────────────────────
// | item | pk | sk |
// |---|---|---|
// | stalled-application marker | `STALLED` | `APP#<applicationId>` |
// The application carries its `stalled` mark (or null); the marker lists the
// stalled ones for admins with one Query on the base table. Stalls are
// exceptions (a review overdue after its escalations, a failed execution), so
// one partition holds them; the marker is written and removed in the same
// transaction as the mark.

const stalledMarkerKey = (applicationId: string): Key => ({ pk: 'STALLED', sk: `APP#${applicationId}` });

/** A stalled accreditation as the admin list shows it. */
export type StalledApplication = z.infer<typeof stalledApplicationSchema>;

const stalledApplicationSchema = z.extend(stalledMarkSchema, {
  applicationId: z.string(),
  institutionId: z.string(),
  institutionName: z.string(),
  status: z.enum(APPLICATION_STATUSES),
});

/**
 * Marks an application stalled (status unchanged) with the listing marker and
 * the audit item, in one transaction under the version read. `replayed` when
 * this step already did it (its audit item exists).
 */
export async function markApplicationStalled(input: { app: ApplicationStatusRecord; mark: StalledMark; audit: AuditWrite }): Promise<{ replayed: boolean }> {
  const { app } = input;
  const outcome = await runTransaction([
    updateOp(
      statusKey(app.id),
      { set: { stalled: input.mark, version: app.version + 1, updatedAt: input.mark.since } },
      { expression: '#version = :v AND #status = :status', names: { '#version': 'version', '#status': 'status' }, values: { ':v': app.version, ':status': app.status } },
    ),
    putOp({ ...stalledMarkerKey(app.id), type: 'stalled-application', applicationId: app.id, institutionId: app.creditCode, institutionName: app.institutionName, status: app.status, ...input.mark }),
    auditOp(pk(app.id), input.audit),
  ]);
  if (outcome.ok) return { replayed: false };
  if (outcome.reasons[2] === 'ConditionalCheckFailed') return { replayed: true };
  throw new TransientError('the application changed while it was being marked stalled; retry');
}

/** Every stalled accreditation, oldest stall first. */
export async function listStalledApplications(): Promise<StalledApplication[]> {
  const items = await queryAll({ pk: 'STALLED', skPrefix: 'APP#' });
  return items.map((item) => parseRecord(stalledApplicationSchema, item)).sort((a, b) => a.since.localeCompare(b.since));
}

/**
 * Ends a stall: the mark is cleared (null) and the marker removed with the
 * audit item, under the version read; with `close`, the application takes
 * that lifecycle row (its from, to and article) in the same update.
 * `replayed` when the audit item exists (this very request already did it);
 * `changed` when the application moved meanwhile.
 */
export async function endApplicationStall(input: {
  app: ApplicationStatusRecord;
  set: Item;
  close?: { trigger: ApplicationTrigger; at: string };
  audit: { key: AuditWrite['key']; event: Omit<AuditWrite['event'], 'article' | 'from' | 'to'> & { article?: string } };
}): Promise<'ok' | 'replayed' | 'changed'> {
  const { app } = input;
  const row = input.close ? applicationRows(input.close.trigger).find((r) => r.from === app.status) : undefined;
  if (input.close && !row) return 'changed';
  const statusChange = row && input.close ? { status: row.to, ...statusIndex(app.id, row.to, input.close.at) } : {};
  const event = row ? { ...input.audit.event, action: row.trigger, article: row.article, from: row.from, to: row.to } : input.audit.event;
  const outcome = await runTransaction([
    updateOp(
      statusKey(app.id),
      { set: { ...input.set, ...statusChange, stalled: null, version: app.version + 1, updatedAt: input.audit.key.at } },
      row
        ? { expression: '#version = :v AND #status = :from', names: { '#version': 'version', '#status': 'status' }, values: { ':v': app.version, ':from': row.from } }
        : { expression: '#version = :v', names: { '#version': 'version' }, values: { ':v': app.version } },
    ),
    { Delete: { TableName: tableName(), Key: stalledMarkerKey(app.id) } },
    auditOp(pk(app.id), { key: input.audit.key, event }),
  ]);
  if (outcome.ok) return 'ok';
  if (outcome.reasons[2] === 'ConditionalCheckFailed') return 'replayed';
  return 'changed';
}
