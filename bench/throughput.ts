import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../functions/adapters/aws-clients.ts';
import { writeTally } from '../functions/adapters/stores/table.ts';
import { makeValidForm } from '../test/unit/domain/fixtures/valid-form.ts';
import { creditCode, evidenceFiles } from '../local/demo-scenario.ts';
import { seedDemoData } from '../local/seed.ts';
import { LOCAL_TABLE, startLocalStack, type LocalStack } from '../local/stack.ts';

/**
 * Local-stack throughput (issue 11 item 4): C applicants at once, each
 * taking a fresh institution through a full accreditation (form, seven
 * evidence files through presigned POSTs, submit, material review, site
 * visit, final decision, ACTIVE site) as a browser would: API calls without
 * waiting for the stack to go idle, then polling for what happens behind
 * them (validation, the reviewers' e-mailed links, the final status). A
 * level runs until its `lifecycles` have completed.
 *
 * Reported per level: lifecycles per second, latency of the API calls
 * (polls left out), item writes per lifecycle (the kernel's tally), and
 * efficiency = achieved rate ÷ (DynamoDB Local's conditional-put rate,
 * measured in the same process and run, ÷ item writes per lifecycle). This
 * measures our orchestration over the emulators (everything but DynamoDB
 * Local shares this process's one event loop), not AWS.
 */
export interface ThroughputLevel {
  readonly concurrency: number;
  readonly lifecycles: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly calls: number };
  /** Status polls per lifecycle (the waiting browser's GETs, not timed). */
  readonly pollsPerLifecycle: number;
  readonly writesPerLifecycle: number;
  readonly bound: number;
  readonly efficiency: number;
}

export interface ThroughputReport {
  readonly conditionalPutsPerSecond: number;
  readonly levels: readonly ThroughputLevel[];
  readonly failures: number;
  readonly seconds: number;
}

const REVIEWERS = [
  { sub: 'demo-reviewer', email: 'reviewer1@org.example' },
  { sub: 'demo-reviewer-2', email: 'reviewer2@org.example' },
] as const;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * How often a waiting applicant's browser asks again (evidence validated?
 * application out of screening?): every 1.5 s, as the portal does
 * (web/src/components/upload-box.tsx, web/src/pages/application-status.tsx).
 * The bench polled every 250 ms before: six times the load of real
 * browsers, most of all the requests at 50 and 200 at once.
 */
const POLL_MS = 1500;

function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** A browser-like client: a token per user, kept (as the portal keeps it); every non-poll call timed. */
class Client {
  private readonly tokens = new Map<string, Promise<string>>();
  latencies: number[] = [];
  polls = 0;
  constructor(private readonly stack: LocalStack) {}

  async call<T>(status: number, sub: string, method: string, path: string, body?: unknown, poll = false): Promise<T> {
    let token = this.tokens.get(sub);
    if (!token) this.tokens.set(sub, (token = this.stack.issuer.issueToken(sub)));
    const t = performance.now();
    const res = await fetch(`${this.stack.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!poll) this.latencies.push(performance.now() - t);
    else this.polls += 1;
    if (res.status !== status) throw new Error(`${method} ${path} as ${sub}: expected ${status}, got ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** The outbox read once, as it grows: per application id, the decision links mailed to each reviewer; per address, invitation codes. */
class Mailboxes {
  private seen = 0;
  private readonly links = new Map<string, Array<{ sub: string; decisionId: string }>>();
  private readonly codes = new Map<string, string>();
  constructor(private readonly stack: LocalStack) {}

  /** The next message in the outbox, or a second, whichever comes first (a reviewer's mailbox is read when mail arrives, not on a timer). */
  private nextMail(): Promise<void> {
    return Promise.race([this.stack.ses.nextMessage(), sleep(1000)]);
  }

  private refresh(): void {
    const all = this.stack.ses.messages();
    for (; this.seen < all.length; this.seen++) {
      const m = all[this.seen]!;
      const code = /#code=([A-Za-z0-9_-]{20,100})/.exec(m.text)?.[1];
      if (code) for (const to of m.to) this.codes.set(to, code);
      const decisionId = /\/decisions\/([A-Za-z0-9_-]{20,})/.exec(m.text)?.[1];
      const reviewer = REVIEWERS.find((r) => m.to.includes(r.email));
      if (!decisionId || !reviewer) continue;
      // The decision mails name the application (mail-templates: "申请编号：…" / "application …").
      for (const app of new Set([...m.text.matchAll(/(?:申请编号：|application )([0-9A-Za-z_-]{6,64})/g)].map((x) => x[1]!))) {
        const list = this.links.get(app) ?? [];
        list.push({ sub: reviewer.sub, decisionId });
        this.links.set(app, list);
      }
    }
  }

  async decisionLink(applicationId: string, used: Set<string>, exclude?: string): Promise<{ sub: string; decisionId: string }> {
    for (const giveUp = performance.now() + 600_000; ; ) {
      this.refresh();
      const link = (this.links.get(applicationId) ?? []).find((l) => !used.has(l.decisionId) && l.sub !== exclude);
      if (link) return link;
      if (performance.now() > giveUp) throw new Error(`no decision link for ${applicationId}`);
      await this.nextMail();
    }
  }

  async invitationCode(address: string): Promise<string> {
    for (const giveUp = performance.now() + 600_000; ; ) {
      this.refresh();
      const code = this.codes.get(address);
      if (code) return code;
      if (performance.now() > giveUp) throw new Error(`no invitation for ${address}`);
      await this.nextMail();
    }
  }
}

interface Applicant {
  readonly sub: string;
  readonly email: string;
  readonly creditCode: string;
  readonly name: string;
}

/** An institution on the pilot register with its site manager signed up (not timed). */
async function onboard(stack: LocalStack, client: Client, mail: Mailboxes, i: number): Promise<Applicant> {
  const code = creditCode(`12440100MB${String(i).padStart(7, '0')}`);
  const a: Applicant = { sub: `bench-applicant-${i}`, email: `bench${i}@college.example`, creditCode: code, name: `基准测试职业学院${i}` };
  stack.issuer.addUser({ sub: a.sub, email: a.email, name: `站点负责人${i}`, groups: ['applicant'], label: 'Bench applicant' });
  await client.call(200, 'demo-admin', 'PUT', `/v1/admin/pilot-colleges/${code}`, { name: a.name, provinceCode: '440000', cityCode: '440100', active: true });
  await client.call(201, 'demo-admin', 'POST', '/v1/admin/invitations', { creditCode: code, email: a.email, name: `站点负责人${i}` });
  await client.call(201, a.sub, 'POST', '/v1/invitations/accept', { code: await mail.invitationCode(a.email) });
  return a;
}

/** One full accreditation of an onboarded applicant, as the applicant's browser and the reviewers' would drive it. */
async function accredit(stack: LocalStack, client: Client, mail: Mailboxes, used: Set<string>, a: Applicant): Promise<void> {
  const created = await client.call<{ id: string; version: number }>(201, a.sub, 'POST', '/v1/applications', {});
  const id = created.id;
  const form = makeValidForm();
  form.institution = { ...form.institution, name: a.name, creditCode: a.creditCode, provinceCode: '440000', cityCode: '440100' };
  await client.call(200, a.sub, 'PUT', `/v1/applications/${id}/form`, { version: created.version, form });
  await Promise.all(
    evidenceFiles(a.creditCode).map(async (f) => {
      const grant = await client.call<{ upload: { url: string; fields: Record<string, string> } }>(201, a.sub, 'POST', `/v1/applications/${id}/evidence`, {
        kind: f.kind,
        fileName: f.fileName,
        contentType: f.contentType,
        size: f.file.length,
        ...(f.tags ? { tags: f.tags } : {}),
        sha256: createHash('sha256').update(f.file).digest('hex'),
        sealConfirmed: true,
      });
      const body = new FormData();
      for (const [k, v] of Object.entries(grant.upload.fields)) body.append(k, v);
      body.append('file', new Blob([f.file], { type: f.contentType }), f.fileName);
      const res = await fetch(grant.upload.url, { method: 'POST', body });
      await res.arrayBuffer();
      if (res.status >= 300) throw new Error(`upload of ${f.kind} answered ${res.status}`);
    }),
  );
  // The portal waits for every file to be validated before it offers Submit.
  for (let i = 0; ; i++) {
    const list = await client.call<{ kinds: Array<{ items: Array<{ status: string }> }> }>(200, a.sub, 'GET', `/v1/applications/${id}/evidence`, undefined, true);
    if (list.kinds.flatMap((k) => k.items).every((item) => item.status !== 'pending')) break;
    if (i > 600) throw new Error(`evidence of ${id} never validated`);
    await sleep(POLL_MS);
  }
  await client.call(202, a.sub, 'POST', `/v1/applications/${id}/submit`);
  const decide = async (outcome: string, extra: Record<string, unknown>, exclude?: string): Promise<string> => {
    const link = await mail.decisionLink(id, used, exclude);
    used.add(link.decisionId);
    await client.call(200, link.sub, 'GET', `/v1/decisions/${link.decisionId}`);
    await client.call(200, link.sub, 'POST', `/v1/decisions/${link.decisionId}`, { outcome, reason: 'Bench decision.', ...extra });
    return link.sub;
  };
  await decide('approve-for-visit', {});
  const visitor = await decide('approve', { recommendation: 'approve', findings: [] });
  await decide('approve', {}, visitor);
  for (let i = 0; ; i++) {
    const detail = await client.call<{ application: { status: string } }>(200, a.sub, 'GET', `/v1/applications/${id}`, undefined, true);
    if (detail.application.status === 'APPROVED') return;
    if (i > 600) throw new Error(`${id} ended ${detail.application.status}`);
    await sleep(POLL_MS);
  }
}

/** Conditional puts (`attribute_not_exists(pk)`, new keys) per second through the handlers' own DynamoDB path, 32 at once for `ms`. */
let putKey = 0;
async function conditionalPutRate(ms: number): Promise<number> {
  const deadline = performance.now() + ms;
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < deadline) {
        const k = putKey++;
        await documentClient().send(
          new PutCommand({ TableName: LOCAL_TABLE, Item: { pk: `BENCH#PUT#${k}`, sk: 'PUT', type: 'bench', at: k }, ConditionExpression: 'attribute_not_exists(pk)' }),
        );
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

/** `levels`: [concurrency, lifecycles to complete]. */
export async function measureThroughput(portBase: number, levels: ReadonlyArray<readonly [number, number]>): Promise<ThroughputReport> {
  const started = performance.now();
  const stack = await startLocalStack({ portBase, dataDir: '.local/bench-throughput', dailySchedules: false, mailRatePerSecond: 100 });
  try {
    await seedDemoData(stack);
    const client = new Client(stack);
    const mail = new Mailboxes(stack);
    const used = new Set<string>();
    // Every applicant of every level signed up first (not timed), 20 at a time.
    const total = levels.reduce((sum, [, n]) => sum + n, 1);
    const applicants: Applicant[] = [];
    for (let i = 0; i < total; i += 20) applicants.push(...(await Promise.all(Array.from({ length: Math.min(20, total - i) }, (_, j) => onboard(stack, client, mail, i + j)))));
    // One lifecycle first, untimed, so every handler on the path is loaded (cold starts are not throughput).
    const warm = applicants.shift()!;
    await accredit(stack, client, mail, used, warm);
    await stack.settle();
    await conditionalPutRate(1000); // DynamoDB Local's JIT warms up first
    const putsPerSecond = await conditionalPutRate(3000);

    const out: ThroughputLevel[] = [];
    let failures = 0;
    for (const [concurrency, lifecycles] of levels) {
      const queue = applicants.splice(0, lifecycles);
      client.latencies = [];
      client.polls = 0;
      const writesBefore = writeTally().items;
      const t = performance.now();
      let completed = 0;
      await Promise.all(
        Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
          for (let a = queue.shift(); a; a = queue.shift()) {
            try {
              await accredit(stack, client, mail, used, a);
              completed++;
            } catch (error) {
              failures++;
              console.error(`[throughput] ${a.sub}: ${(error as Error).message}`);
            }
          }
        }),
      );
      const seconds = (performance.now() - t) / 1000;
      await stack.settle();
      const writesPerLifecycle = completed ? (writeTally().items - writesBefore) / completed : 0;
      const perSecond = completed / seconds;
      const bound = writesPerLifecycle ? putsPerSecond / writesPerLifecycle : 0;
      const sorted = [...client.latencies].sort((x, y) => x - y);
      out.push({
        concurrency,
        lifecycles: completed,
        seconds,
        perSecond,
        latencyMs: { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), calls: sorted.length },
        pollsPerLifecycle: completed ? client.polls / completed : 0,
        writesPerLifecycle,
        bound,
        efficiency: bound ? perSecond / bound : 0,
      });
      console.error(`[throughput] ${concurrency} at once: ${completed} in ${seconds.toFixed(1)} s`);
    }
    return { conditionalPutsPerSecond: putsPerSecond, levels: out, failures, seconds: (performance.now() - started) / 1000 };
  } finally {
    await stack.stop();
  }
}

/** The default levels (what CI runs), or e.g. `BENCH_THROUGHPUT_LEVELS="1:3,10:20,50:50,200:200"` (concurrency:lifecycles). */
export function throughputLevels(spec = process.env.BENCH_THROUGHPUT_LEVELS ?? '1:2,10:10,50:50'): Array<[number, number]> {
  return spec.split(',').map((part) => {
    const [c, n] = part.split(':').map(Number);
    if (!Number.isInteger(c) || !Number.isInteger(n) || c! < 1 || n! < 1) throw new Error(`BENCH_THROUGHPUT_LEVELS: "${part}" is not concurrency:lifecycles`);
    return [c!, n!];
  });
}

export const THROUGHPUT_LINE = 'throughput ';

/** Runs {@link measureThroughput} in a child process (the handlers' AWS clients are made once per process, for one stack). */
export async function measureThroughputApart(portBase: number, levels: ReadonlyArray<readonly [number, number]>): Promise<ThroughputReport> {
  const { execFile } = await import('node:child_process');
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, String(portBase), levels.map(([c, n]) => `${c}:${n}`).join(',')],
      { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, LOG_LEVEL: 'error' } },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err.slice(-4000)}`)) : resolve(out)),
    );
  });
  const line = stdout.split('\n').find((l) => l.startsWith(THROUGHPUT_LINE));
  if (!line) throw new Error(`the throughput measurement printed no result:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(THROUGHPUT_LINE.length));
}

if (process.argv[1] === import.meta.filename) {
  const report = await measureThroughput(Number(process.argv[2] ?? 32100), throughputLevels(process.argv[3]));
  console.log(`${THROUGHPUT_LINE}${JSON.stringify(report)}`);
  process.exit(0);
}
