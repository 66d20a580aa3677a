import {
  candidateRecordSchema,
  sessionRecordSchema,
  sessionResultRecordSchema,
  type CandidateRecord,
  type SessionRecord,
  type SessionResultRecord,
} from '../../../schemas/records/session.record.ts';
import { ConflictError, TransientError } from '../../domain/errors.ts';
import { SESSION_LIFECYCLE, sessionTransition, type SessionTrigger } from '../../domain/site-operations/session-lifecycle.ts';
import { nowIso } from '../../shared/clock.ts';
import {
  auditOp,
  getItem,
  parseRecord,
  putNewOp,
  queryAll,
  queryPage,
  runTransaction,
  updateOp,
  type Actor,
  type AuditKey,
  type Item,
  type Key,
  type Page,
  type TransactItem,
} from './table.ts';

export type { CandidateRecord, SessionRecord, SessionResultRecord };

/**
 * Exam sessions of a site (Art.13–14):
 * | item | pk | sk |
 * |---|---|---|
 * | session | `SITE#<siteId>` | `SESSION#<sessionId>` |
 * | candidate | `SESSION#<sessionId>` | `CANDIDATE#<idHash>` (the keyed hash: a candidate once per session) |
 * | attendance | `SESSION#<sessionId>` | `RESULT` |
 * No index: a site's sessions are a query of its partition, a session's
 * candidates a query of its own. Every item carries `expiresAt` (TTL, the
 * retention setting). Session events are audited under `SITE#<siteId>`, so
 * they appear in the site's timeline; no candidate data goes into them.
 */
const siteOwner = (siteId: string) => `SITE#${siteId}`;
const sessionKey = (siteId: string, sessionId: string): Key => ({ pk: siteOwner(siteId), sk: `SESSION#${sessionId}` });
const candidateKey = (sessionId: string, idHash: string): Key => ({ pk: `SESSION#${sessionId}`, sk: `CANDIDATE#${idHash}` });
const resultKey = (sessionId: string): Key => ({ pk: `SESSION#${sessionId}`, sk: 'RESULT' });

/** DynamoDB's limit of items per transaction, less the session's own update. */
const CANDIDATES_PER_TRANSACTION = 99;

export async function getSession(siteId: string, sessionId: string): Promise<SessionRecord | undefined> {
  const item = await getItem(sessionKey(siteId, sessionId));
  return item ? parseRecord(sessionRecordSchema, item) : undefined;
}

/** One page of a site's sessions, newest first. */
export async function listSessions(siteId: string, page: { cursor?: string; limit?: number }): Promise<Page<SessionRecord>> {
  const out = await queryPage({ pk: siteOwner(siteId), skPrefix: 'SESSION#', newestFirst: true, ...page });
  return { items: out.items.map((item) => parseRecord(sessionRecordSchema, item)), cursor: out.cursor };
}

/**
 * Art.22 "在没有组织考试的情况下": the site's sessions still SCHEDULED (a
 * session between its start and end is in progress; it stays SCHEDULED
 * until recorded as held or cancelled).
 */
export async function openSessionsOf(siteId: string): Promise<SessionRecord[]> {
  const items = await queryAll({ pk: siteOwner(siteId), skPrefix: 'SESSION#', filter: { attribute: 'status', equals: 'SCHEDULED' } });
  return items.map((item) => parseRecord(sessionRecordSchema, item));
}

/** A new SCHEDULED session with its audit item. */
export async function createSession(session: SessionRecord, audit: { key: AuditKey; actor: Actor }): Promise<void> {
  const outcome = await runTransaction([
    putNewOp({ ...sessionKey(session.siteId, session.sessionId), type: 'session', ...session }),
    auditOp(siteOwner(session.siteId), {
      key: audit.key,
      event: {
        actor: audit.actor,
        action: 'session-scheduled',
        to: SESSION_LIFECYCLE.initial,
        article: 'Art.13',
        details: { sessionId: session.sessionId, startsAt: session.startsAt, rooms: session.rooms, capacity: session.capacity },
      },
    }),
  ]);
  if (!outcome.ok) throw new ConflictError('ALREADY_EXISTS', '考试场次已存在。', 'The session already exists.');
}

/** Every candidate of a session, by hash order (bounded by the session's capacity). */
export async function listCandidates(sessionId: string): Promise<CandidateRecord[]> {
  return (await queryAll({ pk: `SESSION#${sessionId}`, skPrefix: 'CANDIDATE#' })).map((item) => parseRecord(candidateRecordSchema, item));
}

/** The attendance of a held session, if recorded. */
export async function getSessionResult(sessionId: string): Promise<SessionResultRecord | undefined> {
  const item = await getItem(resultKey(sessionId));
  return item ? parseRecord(sessionResultRecordSchema, item) : undefined;
}

/** Why a batch of candidates was not written. */
export type AddCandidatesOutcome =
  | { readonly ok: true }
  /** Indexes (in the batch) of candidates already registered for the session. */
  | { readonly ok: false; readonly duplicates: readonly number[] }
  | { readonly ok: false; readonly full: true }
  | { readonly ok: false; readonly notScheduled: true };

/**
 * Writes candidates of a SCHEDULED session in one transaction with the
 * session's count (at most its capacity): each under `attribute_not_exists`
 * of its hash key, so a candidate is registered once per session.
 */
export async function addCandidates(session: SessionRecord, candidates: readonly CandidateRecord[]): Promise<AddCandidatesOutcome> {
  if (candidates.length === 0) return { ok: true };
  if (candidates.length > CANDIDATES_PER_TRANSACTION) throw new Error(`at most ${CANDIDATES_PER_TRANSACTION} candidates per call`);
  const count = updateOp(
    sessionKey(session.siteId, session.sessionId),
    { set: { updatedAt: nowIso() } },
    {
      expression: '#status = :scheduled AND #count <= :room',
      names: { '#status': 'status', '#count': 'registeredCount' },
      values: { ':scheduled': 'SCHEDULED', ':room': session.capacity - candidates.length },
    },
  );
  // `ADD` keeps concurrent imports from overwriting each other's count.
  count.Update!.UpdateExpression = `${count.Update!.UpdateExpression} ADD #count :n`;
  count.Update!.ExpressionAttributeValues = { ...count.Update!.ExpressionAttributeValues, ':n': candidates.length };
  const puts: TransactItem[] = candidates.map((c) => putNewOp({ ...candidateKey(session.sessionId, c.idHash), type: 'candidate', ...c }));
  const outcome = await runTransaction([count, ...puts]);
  if (outcome.ok) return { ok: true };
  const duplicates = outcome.reasons.slice(1).flatMap((reason, i) => (reason === 'ConditionalCheckFailed' ? [i] : []));
  if (duplicates.length) return { ok: false, duplicates };
  if (outcome.reasons[0] === 'ConditionalCheckFailed') {
    const latest = await getSession(session.siteId, session.sessionId);
    if (!latest || latest.status !== 'SCHEDULED') return { ok: false, notScheduled: true };
    return { ok: false, full: true };
  }
  throw new TransientError('candidate registration cancelled; retry');
}

/** Outcome of a guarded session change. */
export type SessionChangeOutcome = { readonly ok: true; readonly session: SessionRecord } | { readonly ok: false; readonly reason: 'stale' | 'status' | 'extra'; readonly index?: number };

/**
 * A guarded status change of a session (a row of SESSION_LIFECYCLE: from, to
 * and article from the table) with its audit item and, in the same
 * transaction, `extra` writes (the attendance item, the site's timer).
 */
export async function changeSessionStatus(input: {
  readonly session: SessionRecord;
  readonly trigger: SessionTrigger;
  readonly to: 'HELD' | 'CANCELLED';
  readonly set: Item;
  readonly audit: { key: AuditKey; actor: Actor; reason?: string; details?: Item };
  readonly extra?: readonly TransactItem[];
}): Promise<SessionChangeOutcome> {
  const { session } = input;
  const row = sessionTransition(session.status, input.to, input.trigger);
  const at = input.audit.key.at;
  const update = updateOp(
    sessionKey(session.siteId, session.sessionId),
    { set: { ...input.set, status: row.to, version: session.version + 1, updatedAt: at } },
    { expression: '#status = :from AND #version = :v', names: { '#status': 'status', '#version': 'version' }, values: { ':from': row.from, ':v': session.version } },
  );
  const audit = auditOp(siteOwner(session.siteId), {
    key: input.audit.key,
    event: {
      actor: input.audit.actor,
      action: `session-${row.trigger}`,
      from: row.from,
      to: row.to,
      article: row.article,
      ...(input.audit.reason ? { reason: input.audit.reason } : {}),
      details: { sessionId: session.sessionId, ...(input.audit.details ?? {}) },
    },
  });
  const outcome = await runTransaction([update, audit, ...(input.extra ?? [])]);
  if (outcome.ok) return { ok: true, session: (await getSession(session.siteId, session.sessionId)) ?? session };
  if (outcome.reasons[0] === 'ConditionalCheckFailed') {
    const latest = await getSession(session.siteId, session.sessionId);
    return { ok: false, reason: latest && latest.status === session.status ? 'stale' : 'status' };
  }
  const failed = outcome.reasons.findIndex((r, i) => i >= 2 && r === 'ConditionalCheckFailed');
  if (failed >= 0) return { ok: false, reason: 'extra', index: failed - 2 };
  // The audit item exists: this very request already ran.
  return { ok: true, session: (await getSession(session.siteId, session.sessionId)) ?? session };
}

/** The Put of a held session's attendance, for the transaction that records it held. */
export function sessionResultOp(result: SessionResultRecord): TransactItem {
  return putNewOp({ ...resultKey(result.sessionId), type: 'session-result', ...result });
}

/**
 * Cancels every open session of a site (a revoked or withdrawn site, Art.22–23),
 * each under its own guarded change; returns the sessions cancelled now.
 */
export async function cancelOpenSessions(
  siteId: string,
  input: { reason: string; actor: Actor } | { readonly at: string; readonly article: string; readonly revocationId: string },
): Promise<SessionRecord[]> {
  // The revocation workflow names its case; a person names a reason.
  const { reason, actor } =
    'revocationId' in input
      ? { reason: `revocation ${input.revocationId} (${input.article})`, actor: { kind: 'system' as const, id: `revocation:${input.revocationId}` } }
      : input;
  const cancelled: SessionRecord[] = [];
  for (const session of await openSessionsOf(siteId)) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = attempt === 0 ? session : await getSession(siteId, session.sessionId);
      if (!current || current.status !== 'SCHEDULED') break;
      const at = nowIso();
      const outcome = await changeSessionStatus({
        session: current,
        trigger: 'cancel-site-ended',
        to: 'CANCELLED',
        set: { cancelled: { at, reason, by: actor.id } },
        audit: { key: { at, key: `cancel-open-sessions#${session.sessionId}` }, actor, reason },
      });
      if (outcome.ok) {
        cancelled.push(outcome.session);
        break;
      }
      if (outcome.reason === 'status') break;
    }
  }
  return cancelled;
}
