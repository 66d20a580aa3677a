import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { LocalApiClient } from '../local/api-client.ts';
import { seedBulkSites } from '../local/bulk-sites.ts';
import { seedDemoData } from '../local/seed.ts';
import { startLocalStack } from '../local/stack.ts';

/**
 * `npm run bench:campaign [-- --sites 10000]`: an evaluation campaign over N
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
const { values } = parseArgs({
  options: {
    sites: { type: 'string', default: '1000' },
    'mail-rate': { type: 'string', default: '200' },
    'port-base': { type: 'string', default: process.env.BENCH_PORT_BASE ?? '5900' },
  },
});
const SITES = Number(values.sites);
const MAIL_RATE = Number(values['mail-rate']);
if (!Number.isInteger(SITES) || SITES < 1 || SITES > 100_000) throw new Error('--sites: a whole number from 1 to 100000');

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

const stack = await startLocalStack({ portBase: Number(values['port-base']), dataDir: '.local/bench-campaign', dailySchedules: false, mailRatePerSecond: MAIL_RATE });
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
stack.runtime.invoke = async (name: string, payload: unknown) => {
  const out = await invoke(name, payload);
  if (name === 'evaluation-campaign-step') stepHeaps.push(process.memoryUsage().heapUsed);
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
  const sorted = [...stepHeaps].sort((a, b) => a - b);

  const report = {
    sites: SITES,
    preview: preview.count,
    campaign: { status: campaign.status, siteCount: campaign.siteCount, progress: campaign.progress },
    seconds: Math.round(elapsed * 10) / 10,
    phases,
    mailRatePerSecond: MAIL_RATE,
    notices: { sent: [...notices.values()].reduce((a, b) => a + b, 0), sites: notices.size, twice: [...notices.values()].filter((n) => n > 1).length },
    reminders: { sent: [...reminders.values()].reduce((a, b) => a + b, 0), twice: [...reminders.values()].filter((n) => n > 1).length },
    missedMails: [...missed.values()].reduce((a, b) => a + b, 0),
    scans: requests.Scan ?? 0,
    dynamodbOperations: requests,
    memory: {
      peakRssMb: mb(peakRss),
      heapBeforeMb: mb(heapBefore),
      heapAfterMb: mb(process.memoryUsage().heapUsed),
      campaignSteps: stepHeaps.length,
      heapAfterStepMb: { min: mb(sorted[0] ?? 0), median: mb(sorted[Math.floor(sorted.length / 2)] ?? 0), max: mb(sorted[sorted.length - 1] ?? 0), first: mb(stepHeaps[0] ?? 0), last: mb(stepHeaps[stepHeaps.length - 1] ?? 0) },
      outboxMails: mails.length,
    },
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  clearInterval(sampler);
  await stack.stop();
}
