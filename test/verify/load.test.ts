import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAllAudit } from '../../functions/adapters/stores/table.ts';
import { idNumberCheckChar } from '../../schemas/validators/id-number.ts';
import type { LocalStack } from '../../local/stack.ts';
import { seedMember, seedSite } from '../support/site-operations.ts';
import { startSeededStack } from '../support/local-stack.ts';

/**
 * Issue 12 (load): many signed-in users at once against one local stack,
 * each in a loop of what site managers, reviewers, admins and the public do
 * — read their site, its sessions and timeline, schedule, register
 * candidates into and cancel exam sessions, record a staff training (some
 * sent twice at once, as a double click with one `Idempotency-Key`), read
 * the public register, the reports and the task list, and try to read
 * another institution's site — for a stretch of real time. Then it checks:
 * no 5xx; no other institution's site ever answered; every session the API
 * said it scheduled exists once, every one it said it cancelled is
 * cancelled, no other session exists (nothing lost, nothing doubled); one
 * training per idempotency key; each site's audit trail holds no event
 * twice. Latency p50 / p95 / p99 per call are printed and written to
 * `.local/verify/load.json`.
 *
 * Sizes: `npm test` 20 users for 15 s; `VERIFY_LONG=1` (`npm run verify`)
 * 200 users for 300 s. LOAD_USERS, LOAD_SECONDS, LOAD_SEED override. This
 * measures our code over the emulators on this machine, not AWS.
 */
const LONG = process.env.VERIFY_LONG === '1';
const USERS = Number(process.env.LOAD_USERS ?? (LONG ? 200 : 20));
const SECONDS = Number(process.env.LOAD_SECONDS ?? (LONG ? 300 : 15));
const SEED = Number(process.env.LOAD_SEED ?? 4242);
const CREDIT_PREFIX = '12440100LOAD';

type Outcome = { status: number; ms: number; action: string };

/** A valid 18-digit resident ID number (GB 11643 check character), distinct per n. */
function idNumber(n: number): string {
  const first17 = `44010619900101${String(n % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

/** A credit code for load institution i (18 characters; its check character is not what is under test here). */
const creditOf = (i: number) => `${CREDIT_PREFIX}${String(i).padStart(5, '0')}X`.slice(0, 18);

describe(`load: ${USERS} users for ${SECONDS} s of real time against the local stack`, () => {
  let stack: LocalStack;
  const sites: Array<{ siteId: string; sub: string }> = [];
  const outcomes: Outcome[] = [];
  const scheduled = new Map<string, Set<string>>();
  const cancelled = new Map<string, Set<string>>();
  const trainingKeys = new Map<string, Set<string>>();
  let foreignReads = 0;

  beforeAll(async () => {
    ({ stack } = await startSeededStack(1560, 'load'));
    const activatedAt = new Date(stack.clock.now() - 30 * 86_400_000).toISOString();
    for (let i = 0; i < USERS; i++) {
      const siteId = `LOADSITE${String(i).padStart(6, '0')}`;
      const sub = `load-user-${i}`;
      await seedSite(siteId, creditOf(i), activatedAt);
      await seedMember(sub, creditOf(i));
      stack.issuer.addUser({ sub, email: `${sub}@example.cn`, name: `站长 ${i}`, groups: ['applicant'], label: `站长 ${i}` });
      sites.push({ siteId, sub });
      scheduled.set(siteId, new Set());
      cancelled.set(siteId, new Set());
      trainingKeys.set(siteId, new Set());
    }
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  async function call(action: string, sub: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const auth: Record<string, string> = sub ? { authorization: `Bearer ${await stack.issuer.issueToken(sub)}` } : {};
    const started = performance.now();
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...auth, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    outcomes.push({ status: res.status, ms: performance.now() - started, action });
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  }

  /** One user's loop until the deadline (a seeded random walk over the actions), then one of each write. */
  async function user(index: number, until: number): Promise<void> {
    await walk(index, until);
    const { siteId, sub } = sites[index]!;
    const base = `/v1/sites/${siteId}`;
    const startsAt = stack.clock.now() + (300 + index) * 86_400_000;
    const res = await call('schedule session', sub, 'POST', `${base}/sessions`, { title: '期末考试', startsAt: new Date(startsAt).toISOString(), endsAt: new Date(startsAt + 3 * 3_600_000).toISOString(), rooms: ['机房B'], capacity: 30 });
    if (res.status !== 201) throw new Error(`schedule session ${res.status} ${JSON.stringify(res.body)}`);
    scheduled.get(siteId)!.add(String(res.body.sessionId));
    await call('register candidate', sub, 'POST', `${base}/sessions/${res.body.sessionId}/candidates`, { candidates: [{ name: '考生末轮', idNumber: idNumber(index), category: 'student' }] });
    const cancel = await call('cancel session', sub, 'POST', `${base}/sessions/${res.body.sessionId}/cancel`, { reason: '考场调整，改期举行。' });
    if (cancel.status === 200) cancelled.get(siteId)!.add(String(res.body.sessionId));
    const key = `load-${siteId}-final`;
    const body = { traineeName: '考务员末轮', title: '考务组织培训', trainedOn: '2026-11-20', organiser: 'organisation' };
    const answers = await Promise.all([0, 1].map(() => call('record training', sub, 'POST', `${base}/trainings`, body, { 'idempotency-key': key })));
    if (answers.some((a) => a.status === 201)) trainingKeys.get(siteId)!.add(key);
  }

  async function walk(index: number, until: number): Promise<void> {
    const { siteId, sub } = sites[index]!;
    const other = sites[(index + 1) % sites.length]!;
    const rng = fc.sample(fc.integer({ min: 0, max: 999 }), { numRuns: 4000, seed: SEED + index });
    let step = 0;
    const base = `/v1/sites/${siteId}`;
    while (performance.now() < until) {
      const r = rng[step++ % rng.length]!;
      const n = index * 10_000 + step;
      const open = [...scheduled.get(siteId)!].filter((id) => !cancelled.get(siteId)!.has(id));
      if (r < 150) {
        await call('read site', sub, 'GET', base);
      } else if (r < 250) {
        await call('list sessions', sub, 'GET', `${base}/sessions`);
      } else if (r < 370) {
        const startsAt = stack.clock.now() + (40 + (n % 200)) * 86_400_000;
        const res = await call('schedule session', sub, 'POST', `${base}/sessions`, {
          title: `跨境电商多平台运营 ${n}`,
          startsAt: new Date(startsAt).toISOString(),
          endsAt: new Date(startsAt + 3 * 3_600_000).toISOString(),
          rooms: ['机房A'],
          capacity: 20,
        });
        if (res.status === 201) scheduled.get(siteId)!.add(String(res.body.sessionId));
      } else if (r < 470 && open.length > 0) {
        const sessionId = open[n % open.length]!;
        await call('register candidate', sub, 'POST', `${base}/sessions/${sessionId}/candidates`, { candidates: [{ name: `考生${n}`, idNumber: idNumber(n), category: 'student' }] });
      } else if (r < 520 && open.length > 0) {
        const sessionId = open[0]!;
        const res = await call('cancel session', sub, 'POST', `${base}/sessions/${sessionId}/cancel`, { reason: '考场调整，改期举行。' });
        if (res.status === 200) cancelled.get(siteId)!.add(sessionId);
      } else if (r < 600) {
        const key = `load-${siteId}-${step}`;
        const body = { traineeName: `考务员${step}`, title: '考务组织培训', trainedOn: '2026-11-20', organiser: 'site' };
        // Every third one is a double click: the same request twice at once.
        const copies = step % 3 === 0 ? 2 : 1;
        const answers = await Promise.all(Array.from({ length: copies }, () => call('record training', sub, 'POST', `${base}/trainings`, body, { 'idempotency-key': key })));
        if (answers.some((a) => a.status === 201)) trainingKeys.get(siteId)!.add(key);
      } else if (r < 700) {
        await call('public register', undefined, 'GET', `/v1/register/sites?provinceCode=440000&limit=20`);
      } else if (r < 760) {
        await call('timeline', sub, 'GET', `${base}/timeline`);
      } else if (r < 820) {
        const res = await call("another institution's site", sub, 'GET', `/v1/sites/${other.siteId}`);
        if (res.status < 400) foreignReads++;
      } else if (r < 880) {
        await call('admin reports', 'demo-admin', 'GET', '/v1/admin/reports');
      } else if (r < 940) {
        await call('admin site search', 'demo-admin', 'GET', '/v1/sites?provinceCode=440000&status=ACTIVE&limit=20');
      } else {
        await call('reviewer tasks', 'demo-reviewer', 'GET', '/v1/tasks');
      }
    }
  }

  it('answers every call without a 5xx, never shows one institution another’s site, and loses or doubles nothing', async () => {
    const started = performance.now();
    const until = started + SECONDS * 1000;
    await Promise.all(sites.map((_, i) => user(i, until)));
    const wall = (performance.now() - started) / 1000;
    await stack.settle();

    // What the API said happened is what is stored, once.
    const problems: string[] = [];
    for (const { siteId, sub } of sites) {
      const list = await call('check', sub, 'GET', `/v1/sites/${siteId}/sessions?limit=100`);
      const stored = new Map<string, string>((list.body.items as Array<{ sessionId: string; status: string }>).map((s) => [s.sessionId, s.status]));
      for (const id of scheduled.get(siteId)!) if (!stored.has(id)) problems.push(`${siteId}: session ${id} lost`);
      for (const id of stored.keys()) if (!scheduled.get(siteId)!.has(id)) problems.push(`${siteId}: session ${id} not asked for`);
      for (const id of cancelled.get(siteId)!) if (stored.get(id) !== 'CANCELLED') problems.push(`${siteId}: session ${id} is ${stored.get(id)}, not CANCELLED`);
      const trainings = await call('check', sub, 'GET', `/v1/sites/${siteId}/trainings`);
      const count = (trainings.body.items as unknown[]).length;
      if (count !== trainingKeys.get(siteId)!.size) problems.push(`${siteId}: ${count} trainings for ${trainingKeys.get(siteId)!.size} keys`);
      // The trail holds each recorded training once (a doubled request would leave two events).
      const audit = await listAllAudit(`SITE#${siteId}`);
      const trained = audit.filter((a) => a.action === 'training-recorded').map((a) => String((a.details as { trainingId?: string } | undefined)?.trainingId));
      if (trained.length !== count || new Set(trained).size !== trained.length) problems.push(`${siteId}: ${trained.length} training events for ${count} trainings`);
      if (list.body.items.length > 100) problems.push(`${siteId}: more sessions than one page`);
    }

    const load = outcomes.filter((o) => o.action !== 'check');
    const ms = load.map((o) => o.ms).sort((a, b) => a - b);
    const pct = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))] ?? 0);
    const fiveXx = load.filter((o) => o.status >= 500);
    const byAction = new Map<string, { calls: number; ok: number; refused: number }>();
    for (const o of load) {
      const row = byAction.get(o.action) ?? { calls: 0, ok: 0, refused: 0 };
      row.calls++;
      if (o.status < 400) row.ok++;
      else row.refused++;
      byAction.set(o.action, row);
    }
    const sessionsScheduled = [...scheduled.values()].reduce((sum, s) => sum + s.size, 0);
    const sessionsCancelled = [...cancelled.values()].reduce((sum, s) => sum + s.size, 0);
    const trainings = [...trainingKeys.values()].reduce((sum, s) => sum + s.size, 0);
    const totals = {
      users: USERS,
      seconds: Math.round(wall),
      calls: load.length,
      callsPerSecond: Math.round((load.length / wall) * 10) / 10,
      p50Ms: pct(50),
      p95Ms: pct(95),
      p99Ms: pct(99),
      fiveXx: fiveXx.length,
      foreignReads,
      sessionsScheduled,
      sessionsCancelled,
      trainings,
      lostOrDoubled: problems.length,
    };
    mkdirSync('.local/verify', { recursive: true });
    writeFileSync(
      '.local/verify/load.json',
      `${JSON.stringify({ suite: `load (${USERS} users, ${SECONDS} s, seed ${SEED})`, rows: [...byAction].map(([name, r]) => ({ name, result: `${r.calls} calls, ${r.ok} answered, ${r.refused} refused (4xx)` })), totals }, null, 2)}\n`,
    );
    console.log(`load: ${JSON.stringify(totals)}`);

    expect(fiveXx.map((o) => `${o.action} ${o.status}`)).toEqual([]);
    expect(foreignReads).toBe(0);
    expect(problems).toEqual([]);
    // The load did what it says: sessions scheduled and cancelled, trainings recorded, by every kind of caller.
    expect(sessionsScheduled).toBeGreaterThan(0);
    expect(sessionsCancelled).toBeGreaterThan(0);
    expect(trainings).toBeGreaterThan(0);
    expect([...byAction.values()].every((r) => r.ok > 0 || r.refused > 0)).toBe(true);
  }, (SECONDS + 600) * 1000);
});
