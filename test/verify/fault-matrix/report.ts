import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';

/**
 * The fault matrix's bookkeeping: one named test per fault, each a row of
 * `.local/verify/faults.json` — `survived` when its test passed, or
 * `mapped:<file>` when the fault is proven by a test elsewhere whose name
 * the row checks is still there (so the list cannot rot). A row whose test
 * failed stays `failed`.
 */
export interface FaultRow {
  readonly name: string;
  result: string;
}

const rows: FaultRow[] = [];
const figures: Record<string, number> = {};

/** A figure for the report's totals (e.g. how many Task states had their Retry checked). */
export function figure(name: string, value: number): void {
  figures[name] = value;
}

/** A fault proven here: `body` injects it and asserts nothing was lost and nothing happened twice. */
export function fault(name: string, body: () => Promise<void>, timeout?: number): void {
  const row: FaultRow = { name, result: 'failed' };
  rows.push(row);
  it(name, async () => {
    await body();
    row.result = 'survived';
  }, timeout);
}

/** A fault proven by `testName` in `file` (repository-relative): asserts that test still exists there. */
export function mapped(name: string, file: string, testName: string): void {
  const row: FaultRow = { name, result: 'failed' };
  rows.push(row);
  it(`${name} — proven by ${file}`, () => {
    const text = readFileSync(file, 'utf8');
    const escaped = testName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(text, `${file} has the test "${testName}"`).toMatch(new RegExp(`\\bit(\\.each\\([^)]*\\))?\\(\\s*(['"\`])${escaped}\\2`));
    row.result = `mapped:${file}`;
  });
}

/** Writes `.local/verify/faults.json` once the file's tests ran. */
export function writeFaultReport(): void {
  afterAll(() => {
    mkdirSync('.local/verify', { recursive: true });
    const survived = rows.filter((r) => r.result === 'survived').length;
    const mappedRows = rows.filter((r) => r.result.startsWith('mapped:')).length;
    const report = { suite: 'faults', rows, totals: { faults: rows.length, survived, mapped: mappedRows, failed: rows.length - survived - mappedRows, ...figures } };
    writeFileSync('.local/verify/faults.json', `${JSON.stringify(report, null, 2)}\n`);
  });
}

/** Reads a JSON file of the repository (for the tests' own checks). */
export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
