/**
 * `npm run verify` (issue 12): runs the verification suites under
 * `test/verify/` with the long settings — 1,000 generated invalid inputs per
 * API route (FUZZ_RUNS, FUZZ_SEED override) — and prints one table per
 * route: cases, answers under 400, refusals by status and code, 5xx (must
 * be 0). Exits with vitest's status.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const report = path.join(root, '.local', 'verify-fuzz.json');
mkdirSync(path.dirname(report), { recursive: true });
rmSync(report, { force: true });

const runs = process.env.FUZZ_RUNS ?? '1000';
const started = Date.now();
const vitest = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/verify', '--reporter=dot'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_REPORT: report },
});
const seconds = Math.round((Date.now() - started) / 1000);

interface Row {
  route: string;
  cases: number;
  ok: number;
  fiveXx: number;
  byCode: Record<string, number>;
}

if (existsSync(report)) {
  const { seed, rows } = JSON.parse(readFileSync(report, 'utf8')) as { seed: number; rows: Row[] };
  const width = Math.max(...rows.map((r) => r.route.length));
  const lines = rows.map((r) => {
    const codes = Object.entries(r.byCode)
      .sort((a, b) => b[1] - a[1])
      .map(([code, n]) => `${code}×${n}`)
      .join(' ');
    return `${r.route.padEnd(width)}  ${String(r.cases).padStart(5)}  ${String(r.ok).padStart(4)}  ${String(r.fiveXx).padStart(3)}  ${codes}`;
  });
  const total = rows.reduce((sum, r) => sum + r.cases, 0);
  const fiveXx = rows.reduce((sum, r) => sum + r.fiveXx, 0);
  console.log(`\nFuzzing: every API route, generated invalid input (seed ${seed})`);
  console.log(`${'route'.padEnd(width)}  cases  <400  5xx  4xx by status and code`);
  for (const line of lines) console.log(line);
  console.log(`\nroutes ${rows.length} · inputs tried ${total} · 5xx ${fiveXx} · ${seconds} s`);
}
process.exit(vitest.status ?? 1);
