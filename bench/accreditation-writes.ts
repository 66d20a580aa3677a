import { readTally, writeTally, writeTallyByKind } from '../functions/adapters/stores/table.ts';
import { startLocalStack, type LocalStack } from '../local/stack.ts';
import { seedDemoData } from '../local/seed.ts';
import { DemoScenario, demoInstitutions } from '../local/demo-scenario.ts';
import { SupervisionDriver } from '../local/demo-supervision.ts';

/**
 * Write units and item writes of a phase: `units` as DynamoDB Local reports
 * them (ConsumedCapacity), `billed` by AWS's billing rules (Local reports a
 * transaction as two units per started KB of all its items together, AWS
 * bills two per started KB of each: see the table kernel's `WriteCounts`).
 */
export interface WriteFigures {
  readonly units: number;
  readonly billed: number;
  readonly items: number;
  readonly requests: number;
  /** By kind of write (the table kernel's `writeTallyByKind`), most billed first. */
  readonly byKind?: Readonly<Record<string, { readonly units: number; readonly billed: number; readonly indexes: number; readonly requests: number }>>;
}

type Tallies = ReturnType<typeof writeTally> & { readonly kinds: ReturnType<typeof writeTallyByKind> };

function tallies(): Tallies {
  return { ...writeTally(), kinds: writeTallyByKind() };
}

function since(start: Tallies): WriteFigures {
  const now = writeTally();
  const byKind: Record<string, { units: number; billed: number; indexes: number; requests: number }> = {};
  for (const [kind, t] of Object.entries(writeTallyByKind())) {
    const before = start.kinds[kind];
    const requests = t.requests - (before?.requests ?? 0);
    if (requests > 0) {
      byKind[kind] = { units: t.units - (before?.units ?? 0), billed: t.billed - (before?.billed ?? 0), indexes: t.indexes - (before?.indexes ?? 0), requests };
    }
  }
  const sorted = Object.fromEntries(Object.entries(byKind).sort((a, b) => b[1].billed - a[1].billed));
  return { units: now.units - start.units, billed: now.billed - start.billed, items: now.items - start.items, requests: now.requests - start.requests, byKind: sorted };
}

/**
 * What a phase of a lifecycle used, counted in the local stack: Lambda
 * invocations and billed milliseconds per function (the local runtime's
 * tally), DynamoDB read units and read requests (the table kernel's tally),
 * S3 requests by HTTP method (the local S3's tally), e-mails sent (the SES
 * outbox), events put on the bus, and state transitions (StateEntered events
 * of every execution, children included).
 */
export interface UsageFigures {
  readonly lambda: Readonly<Record<string, { readonly invocations: number; readonly billedMs: number }>>;
  readonly reads: { readonly units: number; readonly requests: number };
  readonly s3: Readonly<Record<string, number>>;
  readonly mails: number;
  readonly events: number;
  readonly transitions: number;
}

function transitionsSoFar(stack: LocalStack): number {
  let total = 0;
  for (const machine of stack.engine.listStateMachines()) {
    for (const e of stack.engine.listExecutions(machine.stateMachineArn)) total += stack.engine.stateTransitions(e.executionArn, false);
  }
  return total;
}

/** What the stack has used so far. */
export function usageSoFar(stack: LocalStack): UsageFigures {
  return {
    lambda: stack.runtime.invocationTally(),
    reads: readTally(),
    s3: stack.s3.requestTally(),
    mails: stack.ses.messages().length,
    events: stack.events.events().length,
    transitions: transitionsSoFar(stack),
  };
}

/** What the stack used between two readings of {@link usageSoFar}. */
export function usageBetween(start: UsageFigures, end: UsageFigures): UsageFigures {
  const lambda: Record<string, { invocations: number; billedMs: number }> = {};
  for (const [name, t] of Object.entries(end.lambda)) {
    const before = start.lambda[name] ?? { invocations: 0, billedMs: 0 };
    if (t.invocations > before.invocations) lambda[name] = { invocations: t.invocations - before.invocations, billedMs: t.billedMs - before.billedMs };
  }
  const s3: Record<string, number> = {};
  for (const [method, n] of Object.entries(end.s3)) if (n > (start.s3[method] ?? 0)) s3[method] = n - (start.s3[method] ?? 0);
  return {
    lambda,
    reads: { units: end.reads.units - start.reads.units, requests: end.reads.requests - start.reads.requests },
    s3,
    mails: end.mails - start.mails,
    events: end.events - start.events,
    transitions: end.transitions - start.transitions,
  };
}

/** A phase's writes and the rest of what it used. */
export type PhaseFigures = WriteFigures & { readonly usage: UsageFigures };

/** The phases measured: an accreditation in two, then the site's supervision to its revocation. */
export interface LifecycleFigures {
  readonly preparation: PhaseFigures;
  readonly accreditation: PhaseFigures;
  readonly supervision: PhaseFigures;
}

/**
 * One happy-path accreditation through the local stack, counted by the table
 * kernel (every write asks for ReturnConsumedCapacity): the application
 * prepared (created, form saved, eight evidence files uploaded and
 * validated), then accredited (submitted, screened, three decisions, the
 * ACTIVE site). Then the site's supervision (Art.19–21): an evaluation
 * campaign over it, its report, an assessment ordering rectification, the
 * rectification report, a failed review, and the revocation after the
 * representation window (the authority mailed, `SiteRevoked` published).
 * The handlers run in this process, so the kernel's tally is the stack's.
 */
export async function measureAccreditationWrites(portBase: number): Promise<LifecycleFigures> {
  const stack = await startLocalStack({ portBase, dataDir: '.local/bench-writes' });
  try {
    await seedDemoData(stack);
    const demo = new DemoScenario(stack);
    const { pilot } = demoInstitutions();
    const start = tallies();
    const usageAtStart = usageSoFar(stack);
    const id = await demo.apply(pilot);
    await stack.advance('PT1M');
    const preparation = { ...since(start), usage: usageBetween(usageAtStart, usageSoFar(stack)) };
    const submitted = tallies();
    const usageAtSubmit = usageSoFar(stack);
    await demo.submit(pilot, id);
    await demo.decide('approve-for-visit', 'Materials complete.');
    await stack.advance('P7D');
    const visit = await demo.decide('approve', 'As declared.', { recommendation: 'approve' });
    await stack.advance('P1D');
    await demo.decide('approve', 'Both passed (Art.4).', {}, visit.sub);
    await stack.advance('PT1M');
    const status = await demo.status(id);
    if (status !== 'APPROVED') throw new Error(`the bench accreditation ended ${status}, not APPROVED`);
    const accreditation = { ...since(submitted), usage: usageBetween(usageAtSubmit, usageSoFar(stack)) };

    const mine = await demo.api.expect<{ items: Array<{ siteId: string }> }>(200, pilot.user.sub, 'GET', '/v1/sites');
    const site = { inst: pilot, siteId: mine.items[0]!.siteId };
    const driver = new SupervisionDriver(stack, demo);
    const supervised = tallies();
    const usageAtCampaign = usageSoFar(stack);
    const campaignId = await driver.openCampaign([site], 8);
    await driver.submitReport(site, campaignId);
    await stack.advance('P8D');
    await stack.settle();
    await driver.decide('assessment', site, { outcome: 'rectify', reason: '工作计划不完整，限期整改。' }, { 'work-plan': 0 });
    await stack.advance('P5D');
    await driver.rectify(site, '已补充下一阶段工作计划初稿。');
    await stack.settle();
    await driver.decide('rectification-review', site, { outcome: 'fail', reason: '工作计划仍不完整。' });
    await driver.revokeAfterWindow(site);
    const siteStatus = await driver.siteStatus(site.siteId);
    if (siteStatus !== 'REVOKED') throw new Error(`the bench supervision ended ${siteStatus}, not REVOKED`);
    return { preparation, accreditation, supervision: { ...since(supervised), usage: usageBetween(usageAtCampaign, usageSoFar(stack)) } };
  } finally {
    await stack.stop();
  }
}

/** Marks the one stdout line the bench reads back from the child process. */
export const WRITES_LINE = 'accreditation-writes ';

/**
 * Runs {@link measureAccreditationWrites} in a child process: the handlers'
 * AWS clients are created once per process, so a second local stack in the
 * bench's own process would leave them pointing at the first stack's
 * (stopped) endpoints.
 */
export async function measureAccreditationWritesApart(portBase: number): Promise<LifecycleFigures> {
  const { execFile } = await import('node:child_process');
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', import.meta.filename, String(portBase)], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LOG_LEVEL: 'error' } }, (error, out, err) =>
      error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
    );
  });
  const line = stdout.split('\n').find((l) => l.startsWith(WRITES_LINE));
  if (!line) throw new Error(`the write measurement printed no result:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(WRITES_LINE.length));
}

if (process.argv[1] === import.meta.filename) {
  const figures = await measureAccreditationWrites(Number(process.argv[2] ?? 4960));
  console.log(`${WRITES_LINE}${JSON.stringify(figures)}`);
  process.exit(0);
}
