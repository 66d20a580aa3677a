import { afterEach, describe, expect, it, vi } from 'vitest';

/** A fresh copy of the metrics module, reading the environment as a cold start would. */
async function loadMetrics(env: Record<string, string>) {
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  vi.resetModules();
  return import('../../../functions/shared/metrics.ts');
}

describe('shared/metrics (Powertools Metrics, EMF)', () => {
  const lines: string[] = [];
  const capture = () => {
    lines.length = 0;
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
  };
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('writes one EMF line per business metric in the configured namespace, with its own dimensions', async () => {
    const { businessMetrics } = await loadMetrics({ POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_METRICS_NAMESPACE: 'ExamSiteTest', POWERTOOLS_SERVICE_NAME: 'decide' });
    capture();

    businessMetrics.decisionMade('final-decision', 'approve', 90_000);
    businessMetrics.screeningOutcome('return');

    const emf = lines.map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> } });
    expect(emf.map((e) => e._aws.CloudWatchMetrics[0]?.Metrics[0]?.Name)).toEqual(['DecisionsMade', 'DecisionLatency', 'ScreeningOutcomes']);
    expect(emf.every((e) => e._aws.CloudWatchMetrics[0]?.Namespace === 'ExamSiteTest')).toBe(true);
    expect(emf[0]).toMatchObject({ DecisionsMade: 1, kind: 'final-decision', outcome: 'approve', service: 'decide' });
    expect(emf[1]).toMatchObject({ DecisionLatency: 90, kind: 'final-decision' });
    expect(emf[1]?.outcome).toBeUndefined();
    expect(emf[1]?._aws.CloudWatchMetrics[0]?.Metrics[0]?.Unit).toBe('Seconds');
    expect(emf[2]).toMatchObject({ ScreeningOutcomes: 1, outcome: 'return' });
  });

  it('prints nothing under POWERTOOLS_DEV, as the tests run (the local stack prints the lines to stdout)', async () => {
    const { businessMetrics } = await loadMetrics({ POWERTOOLS_DEV: 'true' });
    capture();

    businessMetrics.applicationSubmitted('first');
    businessMetrics.evidenceInvalid('venue-photo');

    expect(lines).toEqual([]);
  });
});
