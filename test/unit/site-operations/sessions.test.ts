import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../functions/shared/logger.ts';
import { queryAll } from '../../../functions/adapters/stores/table.ts';
import { cancelOpenSessions, getSession, openSessionsOf } from '../../../functions/adapters/stores/sessions.ts';
import { getSite } from '../../../functions/adapters/stores/sites.ts';
import type { DomainError } from '../../../functions/domain/errors.ts';
import {
  cancelSession,
  getSessionDetail,
  listSiteSessions,
  parseCandidateRows,
  recordSessionHeld,
  registerCandidates,
  scheduleSession,
} from '../../../functions/use-cases/site-operations/sessions.ts';
import { armInactivityTimer } from '../../../functions/use-cases/site-operations/inactivity-timer.ts';
import type { LocalStack } from '../../../local/stack.ts';
import { callerFor, seedMember, seedSite, setSiteStatus, startSiteOperationsStack } from '../../support/site-operations.ts';

/**
 * Exam sessions (Art.13–14) through the use cases, against DynamoDB Local and
 * the Scheduler emulator of the local stack (no fakes): tenancy, the site's
 * status with its article, the accredited rooms, candidates' ID numbers
 * (checked, once per session, never stored or answered unmasked), the
 * eligibility rule, capacity, holding with attendance, and the re-armed
 * two-year timer.
 */
const START = '2027-03-01T00:00:00.000Z';
const DAY = 86_400_000;
const INST = '12440100455861238H';
const OTHER = '12440100455861239F';
// Valid GB 11643 numbers (check characters computed): adults, and one born 2015 (too young in 2026).
const ID_A = '11010519491231002X';
const ID_B = '440106199003071231';
const ID_YOUNG = '440106201501011231';
const ALL_IDS = [ID_A, ID_B, ID_YOUNG];

let stack: LocalStack;
let member: ReturnType<typeof callerFor>;
let outsider: ReturnType<typeof callerFor>;
const reviewer = callerFor('reviewer-1', ['reviewer']);
const logLines: string[] = [];
let restoreLogs: () => void;

const at = (days: number, hours = 0) => new Date(Date.parse(START) + days * DAY + hours * 3_600_000).toISOString();
const plan = (overrides: Record<string, unknown> = {}) => ({ title: '2026 春季考试', startsAt: at(10, 1), endsAt: at(10, 4), rooms: ['机房A'], capacity: 40, ...overrides });

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call was refused').toBeDefined();
  return error as DomainError;
}

beforeAll(async () => {
  stack = await startSiteOperationsStack(850, 'sessions', { startAt: START });
  // Every log line of the handlers and use cases, to check that no ID number reaches one.
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    logLines.push(String(chunk));
    return write(chunk as string, ...(rest as []));
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    logLines.push(String(chunk));
    return writeErr(chunk as string, ...(rest as []));
  }) as typeof process.stderr.write;
  // The Powertools logger writes through the console in tests (POWERTOOLS_DEV): capture that too, at DEBUG.
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logLines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    }),
  );
  logger.setLogLevel('DEBUG');
  restoreLogs = () => {
    process.stdout.write = write;
    process.stderr.write = writeErr;
    for (const spy of spies) spy.mockRestore();
    logger.setLogLevel('ERROR');
  };
  member = await seedMember('manager-1', INST);
  outsider = await seedMember('manager-2', OTHER);
  await seedSite('01JSITEA000000000000000001', INST, START);
  await armInactivityTimer('01JSITEA000000000000000001');
}, 120_000);

afterAll(async () => {
  restoreLogs?.();
  await stack?.stop();
});

const SITE = '01JSITEA000000000000000001';

describe('scheduling (Art.9(2), Art.13)', () => {
  it('schedules a session in an accredited room within its capacity, for the site’s own members only', async () => {
    const session = await scheduleSession(member, SITE, plan());
    expect(session).toMatchObject({ siteId: SITE, status: 'SCHEDULED', rooms: ['机房A'], capacity: 40, registeredCount: 0, eligibilityRule: '2026-1' });
    // Kept for the retention setting after its end (default 1095 days), then expired by TTL.
    expect(Date.parse(session.expiresAt)).toBe(Math.floor((Date.parse(session.endsAt) + 1095 * DAY) / 1000) * 1000);
    const stored = await getSession(SITE, session.sessionId);
    expect(stored?.expiresAt).toBe(Math.floor(Date.parse(session.expiresAt) / 1000));
    // Staff read; another institution's member does not even see it.
    expect((await listSiteSessions(reviewer, SITE, {})).items.map((s) => s.sessionId)).toContain(session.sessionId);
    expect((await refusal(listSiteSessions(outsider, SITE, {}))).code).toBe('NOT_FOUND');
    expect((await refusal(scheduleSession(outsider, SITE, plan()))).code).toBe('NOT_FOUND');
    // Staff are never members: they cannot schedule for a site.
    expect((await refusal(scheduleSession(reviewer, SITE, plan()))).code).toBe('NO_MEMBERSHIP');
  });

  it('refuses a room that is not accredited, a capacity above the rooms’ seats at once, and a start in the past, citing Art.9(2)', async () => {
    const notAccredited = await refusal(scheduleSession(member, SITE, plan({ rooms: ['礼堂'] })));
    expect(notAccredited).toMatchObject({ code: 'SESSION_ROOM_NOT_ACCREDITED', kind: 'invalid', article: 'Art.9(2)' });
    const over = await refusal(scheduleSession(member, SITE, plan({ rooms: ['机房A', '机房B'], capacity: 71 })));
    expect(over).toMatchObject({ code: 'SESSION_OVER_CAPACITY', article: 'Art.9(2)' });
    expect(over.zh).toContain('70');
    expect((await scheduleSession(member, SITE, plan({ rooms: ['机房A', '机房B'], capacity: 70 }))).capacity).toBe(70);
    expect((await refusal(scheduleSession(member, SITE, plan({ startsAt: at(-1), endsAt: at(-1, 2) })))).code).toBe('SESSION_IN_THE_PAST');
  });

  it.each([
    ['SUSPENDED', 'SITE_SUSPENDED', 'Art.21'],
    ['WITHDRAWN', 'SITE_WITHDRAWN', 'Art.22'],
    ['REVOKED', 'SITE_REVOKED', 'Art.23'],
  ] as const)('refuses a %s site with %s (%s)', async (status, code, article) => {
    const siteId = `01JSITE${status.padEnd(19, 'X')}`;
    await seedSite(siteId, INST, START);
    const session = await scheduleSession(member, siteId, plan());
    await setSiteStatus(siteId, status);
    const scheduled = await refusal(scheduleSession(member, siteId, plan()));
    expect(scheduled).toMatchObject({ code, kind: 'conflict', article });
    expect(scheduled.zh.length).toBeGreaterThan(0);
    expect((await refusal(registerCandidates(member, siteId, session.sessionId, [{ name: '张三', idNumber: ID_A, category: 'student' }]))).code).toBe(code);
    expect((await refusal(recordSessionHeld(member, siteId, session.sessionId, { attendance: [], violations: [], incidents: [] }))).article).toBe(article);
  });
});

describe('candidates (Art.14): ID numbers checked, once per session, never kept or answered unmasked', () => {
  let sessionId: string;

  beforeAll(async () => {
    sessionId = (await scheduleSession(member, SITE, plan({ capacity: 3 }))).sessionId;
  });

  it('registers a candidate from the form with the ID number masked, and refuses the same person again however it is written', async () => {
    const report = await registerCandidates(member, SITE, sessionId, [{ name: '张三', idNumber: ID_A, category: 'student' }]);
    expect(report.registered).toEqual([expect.objectContaining({ name: '张三', idNumberMasked: '110***********002X', category: 'student' })]);
    expect(report).toMatchObject({ rowErrors: [], registeredCount: 1, capacity: 3, eligibilityRule: '2026-1' });
    const again = await refusal(registerCandidates(member, SITE, sessionId, [{ name: '张三', idNumber: ` ${ID_A.slice(0, 6)} ${ID_A.slice(6).toLowerCase()}`, category: 'student' }]));
    expect(again).toMatchObject({ code: 'CANDIDATES_REJECTED', article: 'Art.14' });
    expect((again.details as { rowErrors: Array<{ code: string }> }).rowErrors.map((e) => e.code)).toEqual(['CANDIDATE_ALREADY_REGISTERED']);
  });

  it('imports a CSV with per-row errors: invalid number, ineligible category and age (the rule as data), duplicate within the file, full session', async () => {
    const csv = [
      'name,idNumber,category',
      `李四,${ID_B},public`,
      '王五,440106199003071235,student',
      `赵六,${ID_YOUNG},student`,
      `钱七,${ID_B},student`,
      `孙八,${ID_A.slice(0, 17)}X,teacher`,
    ].join('\r\n');
    const rows = parseCandidateRows(csv, 'text/csv; charset=utf-8');
    const report = await registerCandidates(member, SITE, sessionId, rows);
    expect(report.registered.map((c) => c.name)).toEqual(['李四']);
    expect(report.rowErrors.map((e) => [e.row, e.code])).toEqual([
      [2, 'ID_NUMBER_INVALID'],
      [3, 'CANDIDATE_TOO_YOUNG'],
      [4, 'CANDIDATE_ALREADY_REGISTERED'],
      [5, 'CANDIDATE_CATEGORY_NOT_ELIGIBLE'],
    ]);
    expect(report.rowErrors.every((e) => e.message.zh && e.message.en)).toBe(true);
    expect(report.registeredCount).toBe(2);
    expect(() => parseCandidateRows('name,id\n张三,1', 'text/csv')).toThrow(/header/);
  });

  it('stops at the session’s capacity (Art.9(2)) and reports the rows that did not fit', async () => {
    const report = await registerCandidates(member, SITE, sessionId, [
      { name: '周九', idNumber: '110105194912310038', category: 'public' },
      { name: '吴十', idNumber: '110105194912310054', category: 'public' },
    ]);
    expect(report.registered.map((c) => c.name)).toEqual(['周九']);
    expect(report.rowErrors).toEqual([expect.objectContaining({ row: 2, code: 'SESSION_FULL', article: 'Art.9(2)' })]);
    expect(report.registeredCount).toBe(3);
  });

  it('keeps only the keyed hash and the masked form: no ID number in any stored item, response or log line', async () => {
    const detail = await getSessionDetail(reviewer, SITE, sessionId);
    expect(detail.candidates).toHaveLength(3);
    const items = [...(await queryAll({ pk: `SESSION#${sessionId}` })), ...(await queryAll({ pk: `SITE#${SITE}` }))];
    // The capture works: the registrations above were logged (without the numbers).
    expect(logLines.some((l) => l.includes('candidates registered'))).toBe(true);
    const everything = JSON.stringify([items, detail]) + logLines.join('');
    for (const id of ALL_IDS) {
      expect(everything).not.toContain(id);
      expect(everything.toUpperCase()).not.toContain(id.toUpperCase());
    }
    // The hash is keyed: not a plain SHA-256 of the number.
    const hashes = items.filter((i) => String(i.sk).startsWith('CANDIDATE#')).map((i) => String(i.idHash));
    expect(hashes).toHaveLength(3);
    const { createHash } = await import('node:crypto');
    expect(hashes).not.toContain(createHash('sha256').update(ID_A).digest('base64url'));
    expect(JSON.stringify(detail)).not.toContain('idHash');
  });
});

describe('holding a session (Art.14, Art.20) re-arms the two-year timer (Art.23(1))', () => {
  let sessionId: string;

  beforeAll(async () => {
    sessionId = (await scheduleSession(member, SITE, plan({ startsAt: at(20, 1), endsAt: at(20, 4) }))).sessionId;
    await registerCandidates(member, SITE, sessionId, [
      { name: '张三', idNumber: ID_A, category: 'student' },
      { name: '李四', idNumber: ID_B, category: 'public' },
    ]);
  });

  it('refuses to record a session as held before it starts, and an attendance that does not match the candidates', async () => {
    expect((await refusal(recordSessionHeld(member, SITE, sessionId, { attendance: [], violations: [], incidents: [] }))).code).toBe('SESSION_NOT_STARTED');
    await stack.advance(Date.parse(at(20, 5)) - stack.clock.now());
    const detail = await getSessionDetail(member, SITE, sessionId);
    expect(detail.status).toBe('SCHEDULED');
    const [first] = detail.candidates;
    const mismatch = await refusal(recordSessionHeld(member, SITE, sessionId, { attendance: [{ candidateId: first!.candidateId, present: true }], violations: [], incidents: [] }));
    expect(mismatch).toMatchObject({ code: 'ATTENDANCE_MISMATCH', article: 'Art.14' });
    expect((await refusal(registerCandidates(member, SITE, sessionId, [{ name: '孙八', idNumber: '110105194912310038', category: 'public' }]))).code).toBe('SESSION_STARTED');
  });

  it('records attendance, violations and incidents and, in the same transaction, starts a new inactivity period; the schedule follows', async () => {
    const before = await getSite(SITE);
    const scheduleBefore = stack.scheduler.getSchedule(`site-${SITE}`, 'exam-site-local');
    expect(scheduleBefore.ScheduleExpression).toBe(`at(${at(640).slice(0, 19)})`);
    const detail = await getSessionDetail(member, SITE, sessionId);
    const [a, b] = detail.candidates;
    const held = await recordSessionHeld(member, SITE, sessionId, {
      attendance: [
        { candidateId: a!.candidateId, present: true },
        { candidateId: b!.candidateId, present: false },
      ],
      violations: [{ candidateId: a!.candidateId, description: '携带手机进入考场' }],
      incidents: [{ description: '机房B 断电 10 分钟' }],
    });
    expect(held).toMatchObject({ status: 'HELD', held: { at: at(20, 4), present: 1, absent: 1, countsAsHeld: true, incidents: [{ description: '机房B 断电 10 分钟' }] } });
    const site = await getSite(SITE);
    expect(site).toMatchObject({ lastExamAt: at(20, 4), inactivitySince: at(20, 4), warnedMilestones: [], nextMilestoneKind: 'warn-90', nextMilestoneAt: at(20 + 730 - 90, 4) });
    expect(site!.version).toBe(before!.version + 1);
    const schedule = stack.scheduler.getSchedule(`site-${SITE}`, 'exam-site-local');
    expect(schedule.ScheduleExpression).toBe(`at(${at(20 + 640, 4).slice(0, 19)})`);
    expect(schedule.ScheduleExpression).not.toBe(scheduleBefore.ScheduleExpression);
    const afterDetail = await getSessionDetail(reviewer, SITE, sessionId);
    expect(afterDetail.candidates.map((c) => c.present)).toEqual([true, false]);
    // Held once: a second record is refused.
    expect((await refusal(recordSessionHeld(member, SITE, sessionId, { attendance: [], violations: [], incidents: [] }))).code).toBe('SESSION_NOT_OPEN');
  });

  it('does not re-anchor the timer for a session nobody attended (Art.23(1), policy)', async () => {
    const empty = await scheduleSession(member, SITE, plan({ startsAt: at(21, 1), endsAt: at(21, 2) }));
    await registerCandidates(member, SITE, empty.sessionId, [{ name: '张三', idNumber: ID_A, category: 'student' }]);
    await stack.advance(Date.parse(at(21, 3)) - stack.clock.now());
    const [c] = (await getSessionDetail(member, SITE, empty.sessionId)).candidates;
    const held = await recordSessionHeld(member, SITE, empty.sessionId, { attendance: [{ candidateId: c!.candidateId, present: false }], violations: [], incidents: [] });
    expect(held.held?.countsAsHeld).toBe(false);
    expect((await getSite(SITE))?.lastExamAt).toBe(at(20, 4));
  });
});

describe('cancelling', () => {
  it('cancels a scheduled session with its reason; open sessions are listed and cancelled for a site that ends (Art.22, Art.23)', async () => {
    const siteId = '01JSITECANCEL0000000000001';
    await seedSite(siteId, INST, START);
    const one = await scheduleSession(member, siteId, plan({ startsAt: at(40, 1), endsAt: at(40, 2) }));
    const two = await scheduleSession(member, siteId, plan({ startsAt: at(41, 1), endsAt: at(41, 2) }));
    const three = await scheduleSession(member, siteId, plan({ startsAt: at(42, 1), endsAt: at(42, 2) }));
    const cancelled = await cancelSession(member, siteId, one.sessionId, { reason: '考场检修' });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancelled: { reason: '考场检修' } });
    expect((await refusal(cancelSession(member, siteId, one.sessionId, { reason: 'again' }))).code).toBe('SESSION_NOT_OPEN');
    expect((await refusal(cancelSession(outsider, siteId, two.sessionId, { reason: 'x' }))).code).toBe('NOT_FOUND');
    expect((await openSessionsOf(siteId)).map((s) => s.sessionId).sort()).toEqual([two.sessionId, three.sessionId].sort());
    const ended = await cancelOpenSessions(siteId, { reason: '站点资格已撤销', actor: { kind: 'system', id: 'test' } });
    expect(ended.map((s) => s.status)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(await openSessionsOf(siteId)).toEqual([]);
    const audit = await queryAll({ pk: `SITE#${siteId}`, skPrefix: 'AUDIT#' });
    expect(audit.map((a) => [a.action, a.article])).toEqual(
      expect.arrayContaining([
        ['session-scheduled', 'Art.13'],
        ['session-cancel', 'Art.13'],
        ['session-cancel-site-ended', 'Art.23'],
      ]),
    );
  });
});
