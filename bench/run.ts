import { performance } from 'node:perf_hooks';
import { screenApplication } from '../functions/domain/screening/index.ts';
import { makeScreeningInput, makeValidForm } from '../test/unit/domain/fixtures/valid-form.ts';
import { applicationFormSchema } from '../schemas/application-form.schema.ts';
import { VirtualClock } from '../local/clock.ts';
import { LocalStepFunctions } from '../local/stepfunctions/index.ts';
import { inspectPdf, pngDimensions, sniffContentType } from '../functions/domain/evidence-inspection.ts';
import { makePdf, makePng } from '../local/demo-files.ts';
import { startLocalStack } from '../local/stack.ts';
import { seedDemoData } from '../local/seed.ts';
import { LocalApiClient } from '../local/api-client.ts';
import { createHash } from 'node:crypto';
import { measureAccreditationWritesApart } from './accreditation-writes.ts';
import { evidenceReadTally } from '../functions/adapters/evidence-store.ts';
import { WorkflowTestHarness } from '../test/workflows/helpers/workflow-harness.ts';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { measureBundles, type BundleReport } from './bundles.ts';
import { priceLifecycle, PRICES_US_EAST_1 } from './prices.ts';
import { measureThroughputApart, throughputLevels } from './throughput.ts';
import { benchCampaignSites, measureCampaignApart } from './campaign.ts';
import { localAppConfig } from '../local/local-config.ts';
import { localPorts } from '../local/ports.ts';

/**
 * `npm run bench`: figures for the hot paths, printed, never asserted (timed
 * assertions flake). Targets, from the product brief: screening and form
 * validation far below a Lambda's budget (< 5 ms per application), the local
 * engine fast enough that a demo crosses two years in seconds.
 *
 * Issue 11 adds, each beside its reference measured in the same run: every
 * Lambda bundle against a bundle of only its AWS SDK (bench/bundles.ts),
 * what a happy-path accreditation uses and costs at list prices
 * (bench/accreditation-writes.ts, bench/prices.ts), and the local stack's
 * throughput at 1 to 200 concurrent applicants (bench/throughput.ts).
 * Everything is also written to bench/results.json.
 *
 * Issue 10 §6 and issue 11 §5: an evaluation campaign over
 * `BENCH_CAMPAIGN_SITES` seeded sites (default 200) run to its end on the
 * local stack (bench/campaign.ts, `npm run bench:campaign` on its own): time
 * to start every evaluation, notices sent, DynamoDB requests (no Scan), peak
 * memory.
 *
 * Ports: `BENCH_PORT_BASE` (default 4910): the in-process stack on the base,
 * the cost measurement's on base + 50, the throughput's on base + 100, the
 * campaign's on base + 160 (not + 150: with the default base its gateway
 * would be on 5060, a port fetch refuses as SIP's).
 */
const benchStarted = performance.now();
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 4910);
const loadAtStart = loadavg()[0]!;

// Bundles first, while nothing else of the bench runs: their import times are the figures most sensitive to a busy machine.
const bundles: BundleReport = await measureBundles({ appConfig: JSON.stringify(localAppConfig(localPorts(PORT_BASE))), runs: Number(process.env.BENCH_IMPORT_RUNS ?? 11) });
console.log(`bundles: ${bundles.handlers.length} handlers built and imported ${bundles.runs} times each in ${bundles.seconds.toFixed(0)} s`);

interface Figure {
  name: string;
  runs: number;
  perOpMs: number;
  opsPerSec: number;
  heapMb: number;
  target?: string;
}

const figures: Figure[] = [];

async function measure(name: string, runs: number, fn: (i: number) => unknown, target?: string): Promise<void> {
  for (let i = 0; i < Math.min(50, runs); i++) await fn(i);
  globalThis.gc?.();
  const start = performance.now();
  for (let i = 0; i < runs; i++) await fn(i);
  const elapsed = performance.now() - start;
  figures.push({
    name,
    runs,
    perOpMs: elapsed / runs,
    opsPerSec: (runs / elapsed) * 1000,
    heapMb: process.memoryUsage().heapUsed / 1024 / 1024,
    target,
  });
}

const input = makeScreeningInput();
await measure('screenApplication (2 rooms, all Art.3/9-11 checks)', 5000, () => screenApplication(input), '< 5 ms');

const bigForm = makeValidForm();
bigForm.examRooms = Array.from({ length: 20 }, (_, i) => ({ ...bigForm.examRooms[0]!, name: `R${i}`, candidateSubnet: `10.0.${i}.0/24`, invigilatorPc: { ...bigForm.examRooms[0]!.invigilatorPc, fixedIp: `10.0.${i}.2`, subnetMask: '255.255.255.0' } }));
await measure('screenApplication (20 rooms)', 1000, () => screenApplication({ ...input, form: bigForm }), '< 5 ms');
await measure('applicationFormSchema.safeParse (complete form)', 5000, () => applicationFormSchema.safeParse(bigForm), '< 2 ms');

const clock = new VirtualClock();
const engine = new LocalStepFunctions({ clock, invokeFunction: async (_name, payload) => payload });
const arn = engine.register('bench', {
  StartAt: 'Screen',
  States: {
    Screen: { Type: 'Task', Resource: '${ScreenFunctionArn}', Next: 'Wait' },
    Wait: { Type: 'Wait', Seconds: 86400 * 30, Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
}, { ScreenFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:screen' });
await measure('local Step Functions: execution with a task and a 30-day Wait', 200, async (i) => {
  const { executionArn } = engine.startExecution({ stateMachineArn: arn, name: `e${i}-${performance.now()}`, input: '{}' });
  await engine.advanceClock(86400 * 30 * 1000);
  await engine.waitForCompletion(executionArn);
}, '< 20 ms');
await engine.close();
clock.dispose();

/**
 * State transitions per accreditation on the happy path (the unit Step
 * Functions Standard bills): the real ASL of workflows/accreditation and its
 * decision-task children, with task functions that answer as the real ones
 * do on that path. Budget (issue 8): at most 25.
 */
async function accreditationTransitions(): Promise<{ parent: number; total: number; children: number }> {
  const deadlines = { returnSeconds: 1_209_600, reviewSeconds: 864_000, reminderSeconds: 172_800, siteVisitSeconds: 2_592_000, decisionSeconds: 864_000 };
  const decided = { version: 1, eventId: 'e', applicationId: 'A', institutionId: 'I', status: 'APPROVED', outcome: 'approve', article: 'Art.5', decidedAt: '2025-01-01T00:00:00.000Z', siteId: 'S' };
  const harness = new WorkflowTestHarness({
    installClock: false,
    functions: {
      'screen-application': () => ({ applicationId: 'A', institutionId: 'I', outcome: 'pass', round: 1, returnsSoFar: 0, maxReturnRounds: 3, findingsCount: 0, deadlines }),
      'open-decision-task': () => ({ opened: true }),
      'activate-site': () => ({ applicationDecided: decided, siteActivated: { version: 1, eventId: 'e', siteId: 'S', certificateNumber: 'C' } }),
    },
  });
  try {
    const arn = await harness.start('accreditation', { applicationId: 'A', institutionId: 'I' }, 'accreditation-bench');
    const answer = async (kind: string, output: object) => harness.sendTaskSuccess((await harness.nextDecision(kind, arn)).token, output);
    await answer('material-review', { outcome: 'approve-for-visit', reason: 'ok', findings: [], visitorSub: 'v', decidedBy: 'r1' });
    await answer('site-visit', { outcome: 'approve', recommendation: 'approve', reason: 'ok', summary: 'ok', findings: [], decidedBy: 'v' });
    await answer('final-decision', { outcome: 'approve', reason: 'ok', findings: [], decidedBy: 'r2' });
    if ((await harness.result(arn)).status !== 'SUCCEEDED') throw new Error('the bench accreditation did not succeed');
    return { parent: harness.engine.stateTransitions(arn, false), total: harness.transitions(arn), children: harness.engine.childExecutions(arn).length };
  } finally {
    await harness.close();
  }
}
const transitions = await accreditationTransitions();
// Printed at once: it needs no local stack, so a later part failing does not hide it.
console.log(
  `state transitions per accreditation (happy path): ${transitions.total} = ${transitions.parent} in accreditation + ${transitions.total - transitions.parent} in its ${transitions.children} decision-task children (target ≤ 25); each decision's reminder execution adds 2`,
);

const pdf = makePdf('bench', 'bench', 64 * 1024);
const png = makePng(1920, 1080, 'bench');
await measure('evidence inspection: magic bytes + PDF head/tail + PNG size', 20000, () => {
  sniffContentType(pdf.subarray(0, 64));
  inspectPdf(pdf.subarray(0, 65536), pdf.subarray(-1024));
  pngDimensions(png.subarray(0, 64));
}, '< 0.1 ms');

const evidenceFigures: Array<{ size: number; ms: number; bytes: number; requests: number }> = [];
// Through the local stack: HTTP, JWT check, handler, DynamoDB Local.
const stack = await startLocalStack({ portBase: PORT_BASE, dataDir: '.local/bench' });
try {
  await seedDemoData(stack);
  const api = new LocalApiClient(stack);
  const created = await api.expect<{ id: string }>(201, 'demo-applicant', 'POST', '/v1/applications', {});
  const token = await stack.issuer.issueToken('demo-applicant');
  const latencies: number[] = [];
  await measure('GET /v1/applications/{id} through the local gateway (p50 below)', 200, async () => {
    const t = performance.now();
    const res = await fetch(`${stack.baseUrl}/v1/applications/${created.id}`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    latencies.push(performance.now() - t);
  }, '< 50 ms');
  latencies.sort((a, b) => a - b);
  console.log(`local GET latency: p50 ${latencies[Math.floor(latencies.length * 0.5)]!.toFixed(1)} ms, p95 ${latencies[Math.floor(latencies.length * 0.95)]!.toFixed(1)} ms`);

  // Evidence validation O(1) in file size (issue 11): the same kind at 100 KB and at its 20 MB limit, through the
  // presigned POST and the S3 event, timed from the upload's answer until the item is validated.
  for (const size of [100 * 1024, 20 * 1024 * 1024 - 4096]) {
    const file = makePdf('bench evidence', `bench-${size}`, size);
    const grant = await api.expect<{ itemId: string; upload: { url: string; fields: Record<string, string> } }>(201, 'demo-applicant', 'POST', `/v1/applications/${created.id}/evidence`, {
      kind: 'policies', fileName: 'rules.pdf', contentType: 'application/pdf', size: file.length, sealConfirmed: true, sha256: createHash('sha256').update(file).digest('hex'),
    });
    const before = evidenceReadTally();
    if ((await api.upload(grant.upload, file, 'application/pdf', 'rules.pdf')) >= 300) throw new Error('the bench upload was refused');
    const t = performance.now();
    for (;;) {
      const list = await api.expect<{ kinds: Array<{ items: Array<{ itemId: string; status: string }> }> }>(200, 'demo-applicant', 'GET', `/v1/applications/${created.id}/evidence`);
      const item = list.kinds.flatMap((k) => k.items).find((i) => i.itemId === grant.itemId);
      if (item && item.status !== 'pending') break;
      await stack.advance('PT1S');
    }
    const after = evidenceReadTally();
    evidenceFigures.push({ size: file.length, ms: performance.now() - t, bytes: after.bytes - before.bytes, requests: after.requests - before.requests });
  }
} finally {
  await stack.stop();
}

// DynamoDB writes of one accreditation, counted from ConsumedCapacity (issue 8: target ≤ 60 write units).
const writes = await measureAccreditationWritesApart(PORT_BASE + 50);
const total = { units: writes.preparation.units + writes.accreditation.units, billed: writes.preparation.billed + writes.accreditation.billed, items: writes.preparation.items + writes.accreditation.items };
const cost = priceLifecycle([writes.preparation, writes.accreditation]);
const supervisionCost = priceLifecycle([writes.supervision]);

// Local-stack throughput (issue 11 item 4), in a process of its own.
const throughput = await measureThroughputApart(PORT_BASE + 100, throughputLevels());

// An evaluation campaign at scale (issue 10 §6, issue 11 §5), in a process of its own.
const campaign = await measureCampaignApart(PORT_BASE + 160, benchCampaignSites());

console.log('\nbenchmark                                                   runs    ms/op    ops/s   heap MB  target');
for (const f of figures) {
  console.log(
    `${f.name.padEnd(58)} ${String(f.runs).padStart(6)} ${f.perOpMs.toFixed(3).padStart(8)} ${f.opsPerSec.toFixed(0).padStart(8)} ${f.heapMb.toFixed(1).padStart(8)}  ${f.target ?? ''}`,
  );
}
console.log('\nDynamoDB writes per happy-path accreditation                              write units: billed (by AWS\'s rules) / as DynamoDB Local reports them   item writes');
const evidenceFiles = writes.preparation.usage.lambda['request-evidence-upload']?.invocations ?? 0;
const writeRow = (label: string, w: { billed: number; units: number; items: number }) =>
  console.log(`  ${label.padEnd(86)} ${`${w.billed} / ${w.units}`.padStart(10)} ${String(w.items).padStart(12)}`);
writeRow(`preparation: create, form, ${evidenceFiles} evidence files uploaded and validated`, writes.preparation);
writeRow('accreditation: submit, screening, 3 decisions, ACTIVE site', writes.accreditation);
writeRow('total (target ≤ 60 write units)', total);
console.log('  Local reports a transaction as 2 units per started KB of all its items together; AWS bills 2 per started KB of each item.');
console.log('  where they go (billed units by kind of write, both phases; index entries and requests in brackets):');
const byKind = new Map<string, { billed: number; indexes: number; requests: number }>();
for (const phase of [writes.preparation, writes.accreditation]) {
  for (const [kind, t] of Object.entries(phase.byKind ?? {})) {
    const entry = byKind.get(kind) ?? { billed: 0, indexes: 0, requests: 0 };
    entry.billed += t.billed;
    entry.indexes += t.indexes;
    entry.requests += t.requests;
    byKind.set(kind, entry);
  }
}
for (const [kind, t] of [...byKind].sort((a, b) => b[1].billed - a[1].billed).slice(0, 12)) {
  console.log(`    ${String(t.billed).padStart(4)}  ${kind} (${t.indexes} for index entries, ${t.requests} requests)`);
}
console.log('\nevidence validation (policies PDF, upload answered → validated; target: bytes read ≤ 64 KiB, 20 MB ≤ 1.2 × the time of 100 KB)');
for (const e of evidenceFigures) {
  console.log(`  ${(e.size / 1024 / 1024).toFixed(2).padStart(6)} MB: ${e.ms.toFixed(0).padStart(5)} ms, ${e.bytes} bytes read in ${e.requests} ranged GETs`);
}
if (evidenceFigures.length === 2) console.log(`  ratio 20 MB / 100 KB: ${(evidenceFigures[1]!.ms / evidenceFigures[0]!.ms).toFixed(2)}`);

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
const ratioed = bundles.handlers.filter((h) => h.ratioSize !== null);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
console.log(
  `\nbundles vs a bundle of only the AWS SDK clients each uses (same esbuild settings; import: fresh node, median of ${bundles.runs}, less an empty module's ${bundles.emptyImportMs.toFixed(1)} ms; target every ratio ≤ ${bundles.limit})`,
);
console.log(`  ${ratioed.length} handlers with SDK clients: size ratio median ${med(ratioed.map((h) => h.ratioSize!)).toFixed(2)}, ${bundles.overSize} above ${bundles.limit}; import ratio median ${med(ratioed.map((h) => h.ratioImport!)).toFixed(2)}, ${bundles.overImport} above ${bundles.limit}`);
const worst = (key: 'ratioSize' | 'ratioImport') => [...ratioed].sort((a, b) => b[key]! - a[key]!).slice(0, 6);
console.log('  handler                          size   SDK ref  ratio   import  SDK ref  ratio');
for (const h of [...new Set([...worst('ratioSize'), ...worst('ratioImport')])]) {
  console.log(
    `  ${h.name.padEnd(30)} ${kb(h.bytes).padStart(7)} ${kb(h.reference.bytes).padStart(8)} ${h.ratioSize!.toFixed(2).padStart(6)} ${h.importMs.toFixed(0).padStart(6)} ms ${h.reference.importMs.toFixed(0).padStart(5)} ms ${h.ratioImport!.toFixed(2).padStart(6)}`,
  );
}
for (const h of bundles.handlers.filter((x) => x.ratioSize === null)) console.log(`  ${h.name.padEnd(30)} ${kb(h.bytes).padStart(7)}   no SDK       ${h.importMs.toFixed(0).padStart(6)} ms`);

const usd = (n: number) => `$${n < 0.01 ? n.toFixed(6) : n.toFixed(4)}`;
console.log(`\ncost per happy-path accreditation (preparation + accreditation; us-east-1 list prices, ${PRICES_US_EAST_1.asOf}; China regions are priced apart, in CNY)`);
console.log(`  state transitions            ${String(cost.transitions).padStart(8)}  ${usd(cost.usd.stepFunctions).padStart(10)}  (target ≤ 25; Standard workflows, $0.025 per 1,000)`);
console.log(`  Lambda invocations           ${String(cost.lambdaInvocations).padStart(8)}  ${usd(cost.usd.lambda).padStart(10)}  (${cost.lambdaGbSeconds.toFixed(2)} GB-s: durations measured over the emulators × each function's memory; arm64)`);
console.log(`  API requests (HTTP API)      ${String(cost.apiRequests).padStart(8)}  ${usd(cost.usd.apiGateway).padStart(10)}`);
console.log(`  DynamoDB read units          ${String(cost.readUnits).padStart(8)}  ${usd(cost.readUnits * PRICES_US_EAST_1.readUnit).padStart(10)}`);
console.log(`  DynamoDB write units         ${String(cost.writeUnits).padStart(8)}  ${usd(cost.writeUnits * PRICES_US_EAST_1.writeUnit).padStart(10)}  (target ≤ 60)`);
console.log(`  S3 requests (PUT/POST, GET/HEAD) ${`${cost.s3Requests.writes}+${cost.s3Requests.reads}`.padStart(4)}  ${usd(cost.usd.s3).padStart(10)}`);
console.log(`  e-mails (SES; SQS ×3)        ${String(cost.emails).padStart(8)}  ${usd(cost.usd.ses + cost.usd.sqs).padStart(10)}`);
console.log(`  events (EventBridge)         ${String(cost.events).padStart(8)}  ${usd(cost.usd.eventBridge).padStart(10)}`);
console.log(`  total                                  ${usd(cost.usd.total).padStart(10)}  (daily schedule runs seen meanwhile, a fixed daily cost, left out: ${cost.scheduledInvocationsLeftOut})`);
const s = supervisionCost;
console.log('\ncost of a site\'s supervision to revocation (Art.19–21: a campaign over it, its report, rectification ordered, the report, a failed review, revocation after the representation window)');
console.log(`  state transitions ${s.transitions}, Lambda invocations ${s.lambdaInvocations} (${s.lambdaGbSeconds.toFixed(2)} GB-s), API requests ${s.apiRequests}, read units ${s.readUnits}, write units ${s.writeUnits} in ${writes.supervision.items} item writes, e-mails ${s.emails}, events ${s.events}: total ${usd(s.usd.total)}`);

console.log(`\nlocal-stack throughput: full accreditations, C applicants at once — this measures our orchestration over the emulators on this machine, not AWS`);
console.log(`  DynamoDB Local conditional puts: ${throughput.conditionalPutsPerSecond.toFixed(0)}/s (measured in the same run); efficiency = rate ÷ (puts/s ÷ item writes per lifecycle); target ≥ 0.5 at 50`);
console.log('  at once  lifecycles  seconds  per s   p50 ms   p95 ms   p99 ms  polls/lc  writes/lc  bound/s  efficiency');
for (const l of throughput.levels) {
  console.log(
    `  ${String(l.concurrency).padStart(7)} ${String(l.lifecycles).padStart(11)} ${l.seconds.toFixed(1).padStart(8)} ${l.perSecond.toFixed(2).padStart(6)} ${l.latencyMs.p50.toFixed(0).padStart(8)} ${l.latencyMs.p95.toFixed(0).padStart(8)} ${l.latencyMs.p99.toFixed(0).padStart(8)} ${(l.pollsPerLifecycle ?? 0).toFixed(0).padStart(9)} ${l.writesPerLifecycle.toFixed(0).padStart(10)} ${l.bound.toFixed(2).padStart(8)} ${l.efficiency.toFixed(2).padStart(11)}`,
  );
}
if (throughput.failures) console.log(`  ${throughput.failures} lifecycles failed (see stderr)`);

const phaseSeconds = (prefix: string) => campaign.phases.find((p) => p.phase.startsWith(prefix))?.seconds ?? 0;
console.log(`\nevaluation campaign over ${campaign.sites.toLocaleString('en')} seeded sites (BENCH_CAMPAIGN_SITES), run to its end on the virtual clock; mail at ${String(campaign.mailRatePerSecond)}/s`);
console.log(`  every evaluation started and notified: ${phaseSeconds('open').toFixed(1)} s; reminder ${phaseSeconds('virtual day 0').toFixed(1)} s; deadline and close ${phaseSeconds('virtual day 8').toFixed(1)} s; in all ${campaign.seconds.toFixed(1)} s`);
console.log(`  notices ${campaign.notices.sent} to ${campaign.notices.sites} sites (twice: ${campaign.notices.twice}); reminders ${campaign.reminders.sent} (twice: ${campaign.reminders.twice}); missed-deadline mails ${campaign.missedMails}`);
console.log(`  DynamoDB requests: ${Object.entries(campaign.dynamodbOperations).map(([op, n]) => `${n} ${op}`).join(', ')}; Scan ${campaign.scans}`);
const waiting = (machine: string) => campaign.executions[machine]?.RUNNING ?? 0;
console.log(`  assessments opened (Art.21: every evaluation, submitted or missed): ${waiting('site-assessment')} waiting for a reviewer, ${waiting('decision-task')} decision tasks open; workflows failed: ${campaign.failedExecutions}`);
if (campaign.failedExecutions > 0) {
  console.log(`  FAILED workflows by state machine: ${JSON.stringify(campaign.executions)}; first failure: ${JSON.stringify(campaign.firstFailure)}`);
  process.exitCode = 1;
}
console.log(`  peak RSS ${campaign.memory.peakRssMb} MB; heap after a campaign step first ${campaign.memory.heapAfterStepMb.first} / median ${campaign.memory.heapAfterStepMb.median} / max ${campaign.memory.heapAfterStepMb.max} MB (the emulators in the same process)`);

const benchSeconds = (performance.now() - benchStarted) / 1000;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; node ${process.version}, ${process.arch}; load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end`;
console.log(`\n${machine}; rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB; whole bench ${benchSeconds.toFixed(0)} s`);
writeFileSync(
  new URL('./results.json', import.meta.url),
  `${JSON.stringify(
    {
      machine,
      benchSeconds,
      figures,
      transitions,
      evidence: evidenceFigures,
      writes,
      cost: { ...cost, prices: PRICES_US_EAST_1 },
      supervisionCost,
      bundles,
      throughput,
      campaign,
    },
    null,
    1,
  )}\n`,
);
