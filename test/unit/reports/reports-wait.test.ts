import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as getReports } from '../../../functions/handlers/get-reports.handler.ts';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import { REPORT_MAX_AGE_MS, type Reports } from '../../../functions/use-cases/reports/reports.ts';
import { useTestTable } from '../../support/table.ts';
import { httpEvent, invoke, lambdaContext, setRegistryEnv } from '../registry/helpers/http.ts';

/**
 * A reports computation that takes longer than a request may wait: the
 * first one answers 202 with Retry-After and goes on to become the
 * snapshot; a later one answers the last snapshot. The computation is held
 * at its first read (the pilot-college register) until the test lets it go;
 * the request has no time left to wait for it.
 */
const gate = vi.hoisted(() => {
  let open!: () => void;
  let promise = Promise.resolve();
  return {
    close: () => {
      promise = new Promise<void>((resolve) => (open = resolve));
    },
    open: () => open(),
    wait: () => promise,
  };
});
vi.mock('../../../functions/adapters/stores/register.ts', async (original) => ({
  ...(await original<typeof import('../../../functions/adapters/stores/register.ts')>()),
  allPilotColleges: async () => {
    await gate.wait();
    return [];
  },
}));

setRegistryEnv();
const START = Date.parse('2026-12-01T04:00:00.000Z');
let now = START;
installTimeSource({ now: () => now });
useTestTable({ clear: 'once' });

const admin = () => httpEvent({ sub: 'admin-1', groups: ['admin'], path: '/v1/admin/reports' });

/**
 * Calls the handler while the computation is held, with 3 s left in its
 * Lambda context: the 3 s it keeps for answering leave it no time to wait.
 */
async function callHeld(): Promise<{ statusCode: number; headers: Record<string, string>; body: unknown }> {
  gate.close();
  const context = { ...lambdaContext, getRemainingTimeInMillis: () => 3_000 } as Context;
  const res = (await getReports(admin(), context)) as { statusCode: number; headers?: Record<string, string>; body: string };
  return { statusCode: res.statusCode, headers: res.headers ?? {}, body: JSON.parse(res.body) };
}

/** Lets the held computation end, and waits until its snapshot is stored (the next call answers 200 from it). */
async function release(): Promise<Reports> {
  gate.open();
  await vi.waitUntil(async () => (await invoke<Reports>(getReports, admin())).statusCode === 200, { timeout: 10_000, interval: 50 });
  return (await invoke<Reports>(getReports, admin())).body;
}

afterAll(() => {
  installTimeSource(undefined);
});

describe('a reports computation longer than a request may wait', () => {
  beforeAll(() => {
    now = START;
  });

  it('answers 202 with Retry-After while there is no snapshot yet, and the computation goes on to become the snapshot', async () => {
    const res = await callHeld();
    expect(res.statusCode).toBe(202);
    expect(res.headers?.['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ status: 'computing', retryAfterSeconds: 5, message: { zh: expect.stringContaining('报表'), en: expect.stringContaining('reports') } });
    const stored = await release();
    expect(stored.generatedAt).toBe(new Date(START).toISOString());
  });

  it('answers the last snapshot when a recomputation overruns, then the new one once it is stored', async () => {
    now = START + REPORT_MAX_AGE_MS + 1_000;
    const res = await callHeld();
    expect(res.statusCode).toBe(200);
    expect((res.body as Reports).generatedAt).toBe(new Date(START).toISOString());
    const next = await release();
    expect(next.generatedAt).toBe(new Date(now).toISOString());
  });
});
