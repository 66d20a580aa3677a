/**
 * `npm run verify` (issue 12): runs the verification suites under
 * `test/verify/` and prints what they left in `.local/verify/`: the route
 * fuzzer's line per route, each named check of the other suites (model-based
 * lifecycles, the fault matrix, hostile files, security), and one summary
 * table. Exits with vitest's status.
 *
 * - `npm run verify`: the long settings (`VERIFY_LONG=1`: 1,000 generated
 *   invalid inputs per route, the longer model-based runs).
 * - `npm run verify -- --quick`: the sizes `npm test` runs.
 * - `npm run verify -- --report`: runs nothing; prints what the suites of
 *   the last `npm test` left (what CI runs after `npm test`).
 * FUZZ_RUNS, FUZZ_SEED and MODEL_SEED override the run modes.
 * Exits non-zero when a suite failed, a check failed, a 5xx was answered or
 * a transition was lost or doubled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, '.local', 'verify');
const fuzzReport = path.join(root, '.local', 'verify-fuzz.json');
const quick = process.argv.includes('--quick');
const reportOnly = process.argv.includes('--report');
let status = 0;
const started = Date.now();
if (!reportOnly) {
  rmSync(dir, { recursive: true, force: true });
  rmSync(fuzzReport, { force: true });
  mkdirSync(dir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, FUZZ_REPORT: fuzzReport };
  if (!quick) {
    env.VERIFY_LONG = '1';
    env.FUZZ_RUNS ??= '1000';
  }
  const vitest = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/verify', '--reporter=dot'], { cwd: root, stdio: 'inherit', env });
  status = vitest.status ?? 1;
}
const seconds = Math.round((Date.now() - started) / 1000);

interface FuzzRow {
  route: string;
  cases: number;
  ok: number;
  fiveXx: number;
  byCode: Record<string, number>;
}
interface SuiteReport {
  suite: string;
  rows: Array<{ name: string; result: string }>;
  totals: Record<string, unknown>;
}

const summary: Array<[string, string]> = [];

if (existsSync(fuzzReport)) {
  const { seed, rows } = JSON.parse(readFileSync(fuzzReport, 'utf8')) as { seed: number; rows: FuzzRow[] };
  const width = Math.max(...rows.map((r) => r.route.length));
  console.log(`\nFuzzing: every API route, generated invalid input (seed ${seed})`);
  console.log(`${'route'.padEnd(width)}  cases  <400  5xx  4xx by status and code`);
  for (const r of rows) {
    const codes = Object.entries(r.byCode)
      .sort((a, b) => b[1] - a[1])
      .map(([code, n]) => `${code}×${n}`)
      .join(' ');
    console.log(`${r.route.padEnd(width)}  ${String(r.cases).padStart(5)}  ${String(r.ok).padStart(4)}  ${String(r.fiveXx).padStart(3)}  ${codes}`);
  }
  const total = rows.reduce((sum, r) => sum + r.cases, 0);
  const fiveXx = rows.reduce((sum, r) => sum + r.fiveXx, 0);
  if (fiveXx > 0) status ||= 1;
  summary.push(['routes fuzzed', String(rows.length)], ['invalid inputs tried', String(total)], ['5xx answers', String(fiveXx)]);
}

const reports = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as SuiteReport)
  : [];
for (const report of reports) {
  console.log(`\n${report.suite}`);
  const width = Math.min(100, Math.max(0, ...report.rows.map((r) => r.name.length)));
  for (const row of report.rows) console.log(`  ${row.name.padEnd(width)}  ${row.result}`);
  const totals = Object.entries(report.totals)
    .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
  console.log(`  ${totals}`);
  const bad = ['failed', 'fiveXx', 'lostOrDoubled', 'violations', 'foreignReads'].some((k) => typeof report.totals[k] === 'number' && (report.totals[k] as number) > 0);
  if (bad || report.rows.some((r) => r.result.startsWith('FAILED'))) status ||= 1;
  for (const [k, v] of Object.entries(report.totals)) {
    if (typeof v === 'number' || typeof v === 'string') summary.push([`${report.suite}: ${k}`, String(v)]);
  }
}

if (summary.length > 0) {
  const width = Math.max(...summary.map(([k]) => k.length));
  console.log(`\nVerification (${reportOnly ? 'reports of the last test run' : quick ? 'CI sizes' : 'long run'})${reportOnly ? '' : `, ${seconds} s`}`);
  for (const [k, v] of summary) console.log(`  ${k.padEnd(width)}  ${v}`);
} else {
  console.error(reportOnly ? 'no verification reports in .local/: run npm test (or npm run verify) first' : 'the verification suites left no report');
  status ||= 1;
}
process.exit(status);
