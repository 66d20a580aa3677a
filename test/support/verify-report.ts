import { mkdirSync, writeFileSync } from 'node:fs';

/**
 * The figures a verification suite (test/verify) leaves for `npm run verify`:
 * one row per named check with its outcome, and totals, written to
 * `.local/verify/<suite>.json` when the file's tests are done.
 */
export interface VerifyReport {
  /**
   * Runs one named check and records its outcome (the text it returns, or
   * the first line of the failure) before rethrowing, so the test still fails.
   */
  check(name: string, body: () => Promise<string> | string): Promise<void>;
  /** Writes `.local/verify/<suite>.json` (call it in `afterAll`). */
  write(extra?: Record<string, unknown>): void;
}

export function verifyReport(suite: string): VerifyReport {
  const rows: Array<{ name: string; result: string }> = [];
  let passed = 0;
  let failed = 0;
  return {
    async check(name, body) {
      try {
        rows.push({ name, result: await body() });
        passed++;
      } catch (error) {
        rows.push({ name, result: `FAILED: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}` });
        failed++;
        throw error;
      }
    },
    write(extra = {}) {
      mkdirSync('.local/verify', { recursive: true });
      writeFileSync(`.local/verify/${suite}.json`, `${JSON.stringify({ suite, rows, totals: { checks: rows.length, passed, failed, ...extra } }, null, 2)}\n`);
    },
  };
}
