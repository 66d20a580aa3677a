import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { LocalApiClient } from '../local/api-client.ts';
import { seedBulkSites } from '../local/bulk-sites.ts';
import { seedDemoData } from '../local/seed.ts';
import { startLocalStack } from '../local/stack.ts';

/**
 * `npm run bench:campaign [-- --sites 10000]` (and `npm run bench`, at
 * `BENCH_CAMPAIGN_SITES`, default 200, in a process of its own): an evaluation campaign over N
 * sites (default 1,000) on the local stack, run to its end on the virtual
 * clock (selection, notices, the reminder, the deadline), then printed: wall
 * time by phase, notices sent (each site exactly once?), DynamoDB operations
 * by type from the request log in front of DynamoDB Local (Scan must be 0),
 * peak RSS and the heap after each campaign step. Figures, never asserted.
 *
 * Everything runs in one process (DynamoDB Local is a Java child), so the
 * heap also holds the emulators' state that grows with the campaign (the SES
 * outbox keeps every mail, the Step Functions emulator every execution's
 * history); the heap sampled right after each campaign step, and its spread
 * from the first step to the last, is the figure for the step itself.
 */
export interface CampaignReport {
  readonly sites: number;
  readonly seconds: number;
  readonly notices: { readonly sent: number; readonly sites: number; readonly twice: number };
  readonly reminders: { readonly sent: number; readonly twice: number };
  readonly missedMails: number;
  readonly scans: number;
  /** Workflow executions at the end, by state machine and status. */
  readonly executions: Record<string, Record<string, number>>;
  /** Executions that failed, timed out or were aborted (the bench fails if any). */
  readonly failedExecutions: number;
  readonly dynamodbOperations: Record<string, number>;
  readonly memory: { readonly peakRssMb: number; readonly heapAfterStepMb: { readonly first: number; readonly median: number; readonly max: number } };
  readonly phases: ReadonlyArray<{ readonly phase: string; readonly seconds: number }>;
  readonly [more: string]: unknown;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Seeds `sites` ACTIVE sites on a fresh local stack, runs one campaign over all of them to its end, and reports. */
export async function measureCampaign(options: { sites: number; mailRatePerSecond: number; portBase: number }): Promise<CampaignReport> {
  const SITES = options.sites;
  const MAIL_RATE = options.mailRatePerSecond;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

  const stack = await startLocalStack({ portBase: options.portBase, dataDir: '.local/bench-campaign', dailySchedules: false, mailRatePerSecond: MAIL_RATE });
  const api = new LocalApiClient(stack);
  const phases: Array<{ phase: string; seconds: number }> = [];
  async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    const out = await fn();
    phases.push({ phase: name, seconds: Math.round((performance.now() - start) / 100) / 10 });
    return out;
  }

  // The heap right after each step of the campaign workflow (the Lambda's own footprint, sampled in-process).
  const stepHeaps: number[] = [];
  const invoke = stack.runtime.invoke.bind(stack.runtime);
  // Wall time of the campaign's steps by action (populate, notify, remind, close, finish).
  const stepSeconds: Record<string, { steps: number; seconds: number }> = {};
  stack.runtime.invoke = async (name: string, payload: unknown) => {
    const started = performance.now();
    const out = await invoke(name, payload);
    if (name === 'evaluation-campaign-step') {
      stepHeaps.push(process.memoryUsage().heapUsed);
      const action = String((payload as { action?: unknown }).action);
      const t = (stepSeconds[action] ??= { steps: 0, seconds: 0 });
      t.steps += 1;
      t.seconds = Math.round((t.seconds + (performance.now() - started) / 1000) * 10) / 10;
    }
    return out;
  };

  try {
    await seedDemoData(stack);
    await phase(`seed ${SITES} sites (BatchWriteItem)`, () => seedBulkSites(SITES, { prefix: 'BN', at: new Date(stack.clock.now()).toISOString() }));
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    stack.dynamoRequests.reset();
    const startedAt = performance.now();

    const preview = await phase('live count (campaign-previews)', () => api.expect<{ count: number }>(200, 'demo-admin', 'POST', '/v1/admin/campaign-previews', { selection: { kind: 'filter', statuses: ['ACTIVE'] } }));
    const deadline = new Date(stack.clock.now() + 10 * 86_400_000).toISOString();
    const opened = await phase('open → select → notify (settled)', () =>
      api.expect<{ campaignId: string }>(202, 'demo-admin', 'POST', '/v1/admin/campaigns', { title: `bench ${SITES}`, deadline, selection: { kind: 'filter', statuses: ['ACTIVE'] } }),
    );
    await phase('virtual day 0 → 8: the reminder', () => stack.advance('P8D'));
    await phase('virtual day 8 → 11: deadline, missed recorded, closed', () => stack.advance('P3D'));
    const elapsed = (performance.now() - startedAt) / 1000;

    const campaign = await api.expect<{ status: string; siteCount: number; progress: Record<string, number> }>(200, 'demo-admin', 'GET', `/v1/admin/campaigns/${opened.campaignId}?limit=1`);
    const mails = stack.ses.messages();
    const recipientsOf = (re: RegExp) => {
      const per = new Map<string, number>();
      for (const m of mails.filter((x) => re.test(x.subject))) for (const to of m.to) per.set(to, (per.get(to) ?? 0) + 1);
      return per;
    };
    const notices = recipientsOf(/检查评估通知/);
    const reminders = recipientsOf(/即将截止/);
    const missed = recipientsOf(/逾期未提交/);
    const requests = stack.dynamoRequests.snapshot();
    // Every workflow the campaign started, by state machine and status: at the end the assessments (Art.21) wait for reviewers; none may have failed.
    const executions: Record<string, Record<string, number>> = {};
    // The first failed task of the innermost failed execution, for the report (what a reader of the alarm would look up).
    let firstFailure: { machine: string; execution: string; error?: string; cause?: string } | undefined;
    for (const machine of stack.engine.listStateMachines()) {
      for (const e of stack.engine.listExecutions(machine.stateMachineArn)) {
        const byStatus = (executions[machine.name] ??= {});
        byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
        if (e.status !== 'FAILED' || (firstFailure && machine.name !== 'decision-task')) continue;
        const failed = stack.engine.getExecutionHistory(e.executionArn).find((h) => h.type === 'TaskFailed' || h.type === 'LambdaFunctionFailed');
        const details = (failed?.details ?? {}) as { error?: string; cause?: string };
        firstFailure = { machine: machine.name, execution: e.name, error: details.error, cause: details.cause?.slice(0, 500) };
      }
    }
    const sorted = [...stepHeaps].sort((a, b) => a - b);

    const report = {
      sites: SITES,
      preview: preview.count,
      campaign: { status: campaign.status, siteCount: campaign.siteCount, progress: campaign.progress },
      seconds: Math.round(elapsed * 10) / 10,
      phases,
      campaignSteps: stepSeconds,
      mailRatePerSecond: MAIL_RATE,
      notices: { sent: [...notices.values()].reduce((a, b) => a + b, 0), sites: notices.size, twice: [...notices.values()].filter((n) => n > 1).length },
      reminders: { sent: [...reminders.values()].reduce((a, b) => a + b, 0), twice: [...reminders.values()].filter((n) => n > 1).length },
      missedMails: [...missed.values()].reduce((a, b) => a + b, 0),
      scans: requests.Scan ?? 0,
      executions,
      ...(firstFailure ? { firstFailure } : {}),
      failedExecutions: Object.values(executions).reduce((sum, byStatus) => sum + (byStatus.FAILED ?? 0) + (byStatus.TIMED_OUT ?? 0) + (byStatus.ABORTED ?? 0), 0),
      dynamodbOperations: requests,
      lambda: stack.runtime.invocationTally(),
      memory: {
        peakRssMb: mb(peakRss),
        heapBeforeMb: mb(heapBefore),
        heapAfterMb: mb(process.memoryUsage().heapUsed),
        campaignSteps: stepHeaps.length,
        heapAfterStepMb: { min: mb(sorted[0] ?? 0), median: mb(sorted[Math.floor(sorted.length / 2)] ?? 0), max: mb(sorted[sorted.length - 1] ?? 0), first: mb(stepHeaps[0] ?? 0), last: mb(stepHeaps[stepHeaps.length - 1] ?? 0) },
        outboxMails: mails.length,
      },
    };
    return report;
  } finally {
    clearInterval(sampler);
    await stack.stop();
  }
}

const CAMPAIGN_LINE = 'CAMPAIGN_REPORT ';

/** {@link measureCampaign} in a node process of its own (its heap and the emulators' apart from the caller's), logs at error level. */
export async function measureCampaignApart(portBase: number, sites: number): Promise<CampaignReport> {
  const { execFile } = await import('node:child_process');
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', import.meta.filename, '--sites', String(sites), '--port-base', String(portBase), '--line'],
      { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, LOG_LEVEL: 'error' } },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err.slice(-4000)}`)) : resolve(out)),
    );
  });
  const line = stdout.split('\n').find((l) => l.startsWith(CAMPAIGN_LINE));
  if (!line) throw new Error(`the campaign measurement printed no result:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(CAMPAIGN_LINE.length));
}

/** The campaign size of `npm run bench` (`BENCH_CAMPAIGN_SITES`, default 200: CI runs the bench, within its 30 minutes). */
export function benchCampaignSites(): number {
  return parseSites(process.env.BENCH_CAMPAIGN_SITES ?? '200', 'BENCH_CAMPAIGN_SITES');
}

function parseSites(value: string, what: string): number {
  const sites = Number(value);
  if (!Number.isInteger(sites) || sites < 1 || sites > 100_000) throw new Error(`${what}: a whole number from 1 to 100000`);
  return sites;
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({
    options: {
      sites: { type: 'string', default: '1000' },
      'mail-rate': { type: 'string', default: '100' },
      'port-base': { type: 'string', default: process.env.BENCH_PORT_BASE ?? '5900' },
      line: { type: 'boolean', default: false },
    },
  });
  const report = await measureCampaign({ sites: parseSites(values.sites, '--sites'), mailRatePerSecond: Number(values['mail-rate']), portBase: Number(values['port-base']) });
  console.log(values.line ? `${CAMPAIGN_LINE}${JSON.stringify(report)}` : JSON.stringify(report, null, 2));
  process.exit(0);
}
