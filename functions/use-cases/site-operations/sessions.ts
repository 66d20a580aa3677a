import { ulid } from 'ulid';
import type * as z from 'zod/mini';
import { hashCandidateId } from '../../adapters/candidate-id-hash.ts';
import {
  addCandidates,
  changeSessionStatus,
  createSession,
  getSession,
  getSessionResult,
  listCandidates,
  listSessions,
  sessionResultOp,
  type CandidateRecord,
  type SessionRecord,
} from '../../adapters/stores/sessions.ts';
import { getSite, siteTimerOp, type SiteRecord } from '../../adapters/stores/sites.ts';
import type { Page } from '../../adapters/stores/table.ts';
import { ConflictError, DomainError, NotFoundError, TransientError, ValidationError } from '../../domain/errors.ts';
import { canonicalIdNumber, maskIdNumber } from '../../domain/site-operations/candidate-identity.ts';
import { currentEligibilityRule, eligibilityRule, refuseCandidate } from '../../domain/site-operations/eligibility.ts';
import { afterSessionHeld } from '../../domain/site-operations/inactivity.ts';
import { countsAsHeld, refuseExamActivity, refuseSessionPlan, type Refusal } from '../../domain/site-operations/operating-rules.ts';
import { sessionStatusAt } from '../../domain/site-operations/session-lifecycle.ts';
import {
  candidateInputSchema,
  registerCandidatesSchema,
  type candidateViewSchema,
  type RecordHeldInput,
  type registerCandidatesReportSchema,
  type ScheduleSessionInput,
  type sessionDetailSchema,
  type sessionViewSchema,
} from '../../../schemas/api/sessions.schema.ts';
import { nowIso, nowMs } from '../../shared/clock.ts';
import { csvRecords } from '../../shared/csv.ts';
import { parseWith } from '../../shared/validation.ts';
import { appConfig } from '../../shared/env.ts';
import { actorOf, type Caller } from '../../shared/identity.ts';
import { logger } from '../../shared/logger.ts';
import { isStaff } from '../applications/access.ts';
import { requireMembership } from '../registry/membership.ts';
import { armInactivityTimer, inactivityStateOf, timerUpdateOf } from './inactivity-timer.ts';

/**
 * Exam sessions of a site (Art.13–14). Only the site's own members write
 * (tenancy from the membership record); staff read. Only an ACTIVE site
 * schedules, registers or holds (Art.21: a SUSPENDED one is refused).
 * Candidates' ID numbers are checked, then kept only as a keyed hash (the
 * duplicate check) and a masked form; they never reach a log, an event, an
 * e-mail or a response unmasked.
 */

export type SessionView = z.infer<typeof sessionViewSchema>;
export type SessionDetail = z.infer<typeof sessionDetailSchema>;
export type CandidateView = z.infer<typeof candidateViewSchema>;
export type RegisterReport = z.infer<typeof registerCandidatesReportSchema>;
type RowError = RegisterReport['rowErrors'][number];

const DAY_MS = 86_400_000;

/** A rule the request breaks, as the API error (409 for the site's state, 400 for the request). */
export class SessionRefusedError extends DomainError {
  constructor(refusal: Refusal, kind: 'invalid' | 'conflict', details?: unknown) {
    super(refusal.code, kind, refusal.zh, refusal.en, refusal.article, details);
  }
}

const siteNotFound = () => new NotFoundError('Site', '考核站点');
const sessionNotFound = () => new NotFoundError('Exam session', '考试场次');

/** The site, when the caller is one of its members (another institution's site answers 404, as if it did not exist). */
async function siteOfMember(caller: Caller, siteId: string): Promise<SiteRecord> {
  const site = await getSite(siteId);
  if (!site) throw siteNotFound();
  const membership = await requireMembership(caller);
  if (membership.creditCode !== site.institutionId) throw siteNotFound();
  return site;
}

/** The site, for a member to schedule, register or hold: ACTIVE only (Art.21, 22, 23). */
async function activeSiteOfMember(caller: Caller, siteId: string): Promise<SiteRecord> {
  const site = await siteOfMember(caller, siteId);
  const refusal = refuseExamActivity(site.status);
  if (refusal) throw new SessionRefusedError(refusal, 'conflict');
  return site;
}

/** The site, for a reader: staff, or its members. */
async function siteForReader(caller: Caller, siteId: string): Promise<SiteRecord> {
  if (!isStaff(caller)) return siteOfMember(caller, siteId);
  const site = await getSite(siteId);
  if (!site) throw siteNotFound();
  return site;
}

async function sessionOf(site: SiteRecord, sessionId: string): Promise<SessionRecord> {
  const session = await getSession(site.siteId, sessionId);
  if (!session) throw sessionNotFound();
  return session;
}

/** The end of a session's retention: its end + `sessionRetentionDays` (epoch seconds, DynamoDB TTL). */
export function retentionOf(endsAt: string): number {
  return Math.floor((Date.parse(endsAt) + appConfig().sessionRetentionDays * DAY_MS) / 1000);
}

export function sessionView(session: SessionRecord, now: string = nowIso()): SessionView {
  return {
    sessionId: session.sessionId,
    siteId: session.siteId,
    ...(session.title ? { title: session.title } : {}),
    status: sessionStatusAt(session.status, session.startsAt, session.endsAt, now),
    started: Date.parse(session.startsAt) <= Date.parse(now),
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    rooms: session.rooms,
    capacity: session.capacity,
    registeredCount: session.registeredCount,
    eligibilityRule: session.eligibilityRule,
    createdAt: session.createdAt,
    ...(session.cancelled ? { cancelled: { at: session.cancelled.at, reason: session.cancelled.reason } } : {}),
    ...(session.held ? { held: session.held } : {}),
    expiresAt: new Date(session.expiresAt * 1000).toISOString(),
  };
}

function candidateView(candidate: CandidateRecord, present?: boolean): CandidateView {
  return {
    candidateId: candidate.candidateId,
    name: candidate.name,
    idNumberMasked: candidate.idNumberMasked,
    category: candidate.category,
    registeredAt: candidate.registeredAt,
    ...(present === undefined ? {} : { present }),
  };
}

/** Schedules a session in the site's accredited rooms, capacity at most their seats at once (Art.9(2), Art.13). */
export async function scheduleSession(caller: Caller, siteId: string, input: ScheduleSessionInput): Promise<SessionView> {
  const site = await activeSiteOfMember(caller, siteId);
  const now = nowIso();
  const startsAt = new Date(input.startsAt).toISOString();
  const endsAt = new Date(input.endsAt).toISOString();
  const refusals = refuseSessionPlan({
    rooms: (site.accreditedRooms ?? []).map((r) => ({ name: r.name, capacity: r.capacity })),
    roomNames: input.rooms,
    capacity: input.capacity,
    startsAt,
    endsAt,
    now,
  });
  if (refusals.length) throw new SessionRefusedError(refusals[0]!, 'invalid', { refusals });
  const session: SessionRecord = {
    sessionId: ulid(nowMs()),
    siteId: site.siteId,
    institutionId: site.institutionId,
    ...(input.title ? { title: input.title } : {}),
    status: 'SCHEDULED',
    version: 1,
    startsAt,
    endsAt,
    rooms: input.rooms,
    capacity: input.capacity,
    registeredCount: 0,
    eligibilityRule: currentEligibilityRule().version,
    createdAt: now,
    createdBy: caller.sub,
    updatedAt: now,
    expiresAt: retentionOf(endsAt),
  };
  await createSession(session, { key: { at: now, key: caller.requestId }, actor: actorOf(caller, 'applicant') });
  return sessionView(session, now);
}

/** A site's sessions, newest first (its members and staff). */
export async function listSiteSessions(caller: Caller, siteId: string, page: { cursor?: string; limit?: number }): Promise<Page<SessionView>> {
  const site = await siteForReader(caller, siteId);
  const out = await listSessions(site.siteId, page);
  const now = nowIso();
  return { items: out.items.map((s) => sessionView(s, now)), ...(out.cursor ? { cursor: out.cursor } : {}) };
}

/** One session with its candidates (ID numbers masked) and, once held, their attendance. */
export async function getSessionDetail(caller: Caller, siteId: string, sessionId: string): Promise<SessionDetail> {
  const site = await siteForReader(caller, siteId);
  const session = await sessionOf(site, sessionId);
  const [candidates, result] = await Promise.all([listCandidates(session.sessionId), session.held ? getSessionResult(session.sessionId) : undefined]);
  const present = new Map((result?.attendance ?? []).map((a) => [a.candidateId, a.present]));
  return {
    ...sessionView(session),
    candidates: candidates.sort((a, b) => a.registeredAt.localeCompare(b.registeredAt) || a.candidateId.localeCompare(b.candidateId)).map((c) => candidateView(c, present.get(c.candidateId))),
  };
}

const notOpen = (session: SessionRecord) =>
  new ConflictError('SESSION_NOT_OPEN', `考试场次状态为 ${session.status}，不能再变更。`, `The session is ${session.status}; it can no longer be changed.`);

/** Cancels a scheduled session (the site's members; also while SUSPENDED, which stops exams). */
export async function cancelSession(caller: Caller, siteId: string, sessionId: string, input: { reason: string }): Promise<SessionView> {
  const site = await siteOfMember(caller, siteId);
  for (let attempt = 0; attempt < 3; attempt++) {
    const session = await sessionOf(site, sessionId);
    if (session.status !== 'SCHEDULED') throw notOpen(session);
    const at = nowIso();
    const outcome = await changeSessionStatus({
      session,
      trigger: 'cancel',
      to: 'CANCELLED',
      set: { cancelled: { at, reason: input.reason, by: caller.sub } },
      audit: { key: { at, key: caller.requestId }, actor: actorOf(caller, 'applicant'), reason: input.reason },
    });
    if (outcome.ok) return sessionView(outcome.session);
  }
  throw new TransientError('the session kept changing; retry');
}

/** Parses one row into a candidate, or the row's errors (never echoing the ID number). */
async function candidateOfRow(
  raw: unknown,
  row: number,
  rule: NonNullable<ReturnType<typeof eligibilityRule>>,
  session: SessionRecord,
  caller: Caller,
): Promise<{ candidate: CandidateRecord } | { errors: RowError[] }> {
  const parsed = candidateInputSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(row)'))].join(', ');
    return { errors: [{ row, code: 'CANDIDATE_ROW_INVALID', message: { zh: `第 ${row} 行缺少或填错字段：${fields}。`, en: `Row ${row}: missing or invalid field(s) ${fields}.` } }] };
  }
  const canonical = canonicalIdNumber(parsed.data.idNumber);
  if (!canonical) {
    return {
      errors: [{ row, code: 'ID_NUMBER_INVALID', article: 'Art.14', message: { zh: `第 ${row} 行身份证号码无效（校验位或出生日期不符）。`, en: `Row ${row}: the ID number is not valid (check character or birth date).` } }],
    };
  }
  const refusals = refuseCandidate(rule, { canonicalId: canonical, category: parsed.data.category }, session.startsAt);
  if (refusals.length) {
    return { errors: refusals.map((r) => ({ row, code: r.code, ...(r.article ? { article: r.article } : {}), message: { zh: `第 ${row} 行：${r.zh}`, en: `Row ${row}: ${r.en}` } })) };
  }
  return {
    candidate: {
      candidateId: ulid(nowMs()),
      sessionId: session.sessionId,
      name: parsed.data.name,
      idNumberMasked: maskIdNumber(canonical),
      idHash: await hashCandidateId(canonical),
      category: parsed.data.category,
      registeredAt: nowIso(),
      registeredBy: caller.sub,
      expiresAt: session.expiresAt,
    },
  };
}

const duplicateError = (row: number): RowError => ({
  row,
  code: 'CANDIDATE_ALREADY_REGISTERED',
  article: 'Art.14',
  message: { zh: `第 ${row} 行：该考生已报名本场考试。`, en: `Row ${row}: this candidate is already registered for the session.` },
});
const fullError = (row: number, capacity: number): RowError => ({
  row,
  code: 'SESSION_FULL',
  article: 'Art.9(2)',
  message: { zh: `第 ${row} 行：本场考试已满 ${capacity} 人。`, en: `Row ${row}: the session is full (${capacity} candidates).` },
});

/**
 * Registers candidates (Art.14): each row's ID number checked, the
 * eligibility rule of the session applied, a candidate once per session (by
 * keyed hash, also within the import), at most the session's capacity.
 * Valid rows are registered, the others reported by row; when no row is
 * valid the request fails (400 CANDIDATES_REJECTED) with the row errors.
 */
export async function registerCandidates(caller: Caller, siteId: string, sessionId: string, rows: readonly unknown[]): Promise<RegisterReport> {
  const site = await activeSiteOfMember(caller, siteId);
  const session = await sessionOf(site, sessionId);
  if (session.status !== 'SCHEDULED') throw notOpen(session);
  if (Date.parse(session.startsAt) <= nowMs()) {
    throw new ConflictError('SESSION_STARTED', '考试已开始，不能再报名。', 'The session has started; registration is closed.', 'Art.14');
  }
  if (rows.length === 0) throw new ValidationError({ rows: 0 }, 'The import has no rows.', '导入内容没有数据行。');
  if (rows.length > 500) throw new ValidationError({ rows: rows.length }, 'At most 500 candidates per request.', '每次最多报名 500 名考生。');
  const rule = eligibilityRule(session.eligibilityRule) ?? currentEligibilityRule();
  const rowErrors: RowError[] = [];
  const accepted: Array<{ row: number; candidate: CandidateRecord }> = [];
  const seen = new Set<string>();
  for (const [index, raw] of rows.entries()) {
    const row = index + 1;
    const out = await candidateOfRow(raw, row, rule, session, caller);
    if ('errors' in out) rowErrors.push(...out.errors);
    else if (seen.has(out.candidate.idHash)) rowErrors.push(duplicateError(row));
    else {
      seen.add(out.candidate.idHash);
      accepted.push({ row, candidate: out.candidate });
    }
  }
  let room = session.capacity - session.registeredCount;
  const registered: CandidateRecord[] = [];
  let pending = accepted;
  while (pending.length) {
    const fits = pending.slice(0, Math.max(0, Math.min(room, 99)));
    if (fits.length === 0) {
      for (const p of pending) rowErrors.push(fullError(p.row, session.capacity));
      break;
    }
    const outcome = await addCandidates(session, fits.map((p) => p.candidate));
    if (outcome.ok) {
      registered.push(...fits.map((p) => p.candidate));
      room -= fits.length;
      pending = pending.slice(fits.length);
    } else if ('duplicates' in outcome) {
      const dup = new Set(outcome.duplicates);
      for (const i of dup) rowErrors.push(duplicateError(fits[i]!.row));
      pending = pending.filter((_, i) => !(i < fits.length && dup.has(i)));
    } else if ('full' in outcome) {
      // Another import took the seats meanwhile: read how many are left.
      const latest = await getSession(session.siteId, session.sessionId);
      room = latest ? latest.capacity - latest.registeredCount : 0;
      if (room <= 0) {
        for (const p of pending) rowErrors.push(fullError(p.row, session.capacity));
        break;
      }
    } else {
      throw notOpen({ ...session, status: 'CANCELLED' });
    }
  }
  rowErrors.sort((a, b) => a.row - b.row);
  const latest = (await getSession(session.siteId, session.sessionId)) ?? session;
  logger.info('candidates registered', { siteId, sessionId, registered: registered.length, rejected: rowErrors.length });
  const report: RegisterReport = {
    registered: registered.map((c) => candidateView(c)),
    rowErrors,
    registeredCount: latest.registeredCount,
    capacity: latest.capacity,
    eligibilityRule: rule.version,
  };
  if (registered.length === 0) {
    throw new DomainError('CANDIDATES_REJECTED', 'invalid', '没有考生报名成功，详见各行错误。', 'No candidate was registered; see the errors by row.', 'Art.14', { rowErrors, registeredCount: latest.registeredCount, capacity: latest.capacity });
  }
  return report;
}

/**
 * Records a session as held (Art.14): the attendance of every registered
 * candidate, violations and incidents (what Art.20 evaluates). In the same
 * transaction the site's two-year timer starts a new period
 * (`afterSessionHeld`, Art.23(1)) when at least one candidate was present;
 * the site must still be ACTIVE then (Art.21). The schedule is re-armed
 * right after; a crash in between is caught by the stale fire or the
 * daily reconciliation.
 */
export async function recordSessionHeld(caller: Caller, siteId: string, sessionId: string, input: RecordHeldInput): Promise<SessionView> {
  await activeSiteOfMember(caller, siteId);
  for (let attempt = 0; attempt < 3; attempt++) {
    const site = await getSite(siteId);
    if (!site) throw siteNotFound();
    const refusal = refuseExamActivity(site.status);
    if (refusal) throw new SessionRefusedError(refusal, 'conflict');
    const session = await sessionOf(site, sessionId);
    if (session.status !== 'SCHEDULED') throw notOpen(session);
    const now = nowIso();
    if (Date.parse(session.startsAt) > Date.parse(now)) {
      throw new ConflictError('SESSION_NOT_STARTED', '考试尚未开始，不能记录为已举行。', 'The session has not started yet; it cannot be recorded as held.', 'Art.14');
    }
    const candidates = await listCandidates(session.sessionId);
    const ids = new Set(candidates.map((c) => c.candidateId));
    const unknown = [...input.attendance.map((a) => a.candidateId), ...input.violations.flatMap((v) => (v.candidateId ? [v.candidateId] : []))].filter((id) => !ids.has(id));
    const listed = input.attendance.map((a) => a.candidateId);
    const missing = [...ids].filter((id) => !listed.includes(id));
    if (unknown.length || missing.length || new Set(listed).size !== listed.length) {
      throw new DomainError(
        'ATTENDANCE_MISMATCH',
        'invalid',
        '出勤记录须逐一对应本场考试的每名已报名考生（不多、不少、不重复）。',
        'The attendance must list every registered candidate of the session exactly once, and no one else.',
        'Art.14',
        { unknown: [...new Set(unknown)], missing, repeated: listed.length - new Set(listed).size },
      );
    }
    const heldAt = new Date(Math.min(Date.parse(session.endsAt), Date.parse(now))).toISOString();
    const counts = countsAsHeld(input.attendance);
    const present = input.attendance.filter((a) => a.present).length;
    const state = inactivityStateOf(site);
    const timer = timerUpdateOf(counts ? afterSessionHeld(state, heldAt) : state);
    const outcome = await changeSessionStatus({
      session,
      trigger: 'record-held',
      to: 'HELD',
      set: {
        held: { at: heldAt, present, absent: input.attendance.length - present, countsAsHeld: counts, violations: input.violations, incidents: input.incidents },
      },
      audit: {
        key: { at: now, key: caller.requestId },
        actor: actorOf(caller, 'applicant'),
        details: { present, absent: input.attendance.length - present, violations: input.violations.length, incidents: input.incidents.length, countsAsHeld: counts },
      },
      extra: [
        sessionResultOp({ sessionId: session.sessionId, attendance: input.attendance, recordedAt: now, expiresAt: session.expiresAt }),
        siteTimerOp(site, counts ? { ...timer, lastExamAt: heldAt } : timer, { requireActive: true }),
      ],
    });
    if (!outcome.ok) {
      if (outcome.reason === 'status') throw notOpen((await getSession(siteId, sessionId)) ?? session);
      // The session or the site changed meanwhile (suspended? another write?): read both again.
      continue;
    }
    if (counts) {
      try {
        await armInactivityTimer(site.siteId);
      } catch (error) {
        // Recorded; the old schedule's fire is stale and re-arms, the reconciliation repairs the rest.
        logger.warn('re-arming the two-year timer failed after a held session', { siteId, error: error instanceof Error ? error.name : 'unknown' });
      }
    }
    return sessionView(outcome.session, now);
  }
  throw new TransientError('the site or the session kept changing; retry');
}

const CSV_COLUMNS = ['name', 'idNumber', 'category'] as const;

/**
 * The rows of a registration body: `{ "candidates": [...] }` (the form sends
 * one), or `text/csv` with the header `name,idNumber,category`.
 */
export function parseCandidateRows(body: string, contentType: string | undefined): unknown[] {
  if (contentType?.toLowerCase().includes('text/csv')) {
    const [header, ...records] = csvRecords(body.replace(/^\uFEFF/, ''));
    const columns = (header ?? []).map((h) => h.trim());
    if (!CSV_COLUMNS.every((c) => columns.includes(c))) {
      throw new ValidationError([{ path: 'body', message: 'CSV header' }], 'The CSV header must be name,idNumber,category.', 'CSV 表头必须为 name,idNumber,category。');
    }
    return records.map((cells) => Object.fromEntries(columns.map((column, i) => [column, (cells[i] ?? '').trim()])));
  }
  const parsed = parseWith(registerCandidatesSchema, (() => {
    try {
      return JSON.parse(body || 'null') as unknown;
    } catch {
      throw new ValidationError([{ path: 'body', message: 'not JSON' }], 'The body is neither JSON nor text/csv.', '请求体既不是 JSON 也不是 CSV。');
    }
  })());
  return parsed.candidates;
}
