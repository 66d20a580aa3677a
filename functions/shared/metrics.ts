import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Business metrics as CloudWatch embedded-metric-format (EMF) lines, through
 * Powertools for AWS Lambda Metrics. The namespace comes from the typed
 * config (`metricsNamespace`), which the CDK function construct passes as
 * `POWERTOOLS_METRICS_NAMESPACE`; the service dimension is the function name.
 * Locally the lines go to stdout; tests run with `POWERTOOLS_DEV`, which turns
 * them off. Each metric is emitted when it happens (`singleMetric`), with its
 * own dimensions, so nothing waits for the end of an invocation and an
 * invocation that records nothing prints nothing.
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || 'ExamSite',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'exam-site',
});

/** One metric with its own dimensions, emitted at once (dimensions of one metric do not leak into the others). */
function single(name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number, dimensions: Record<string, string>): void {
  const one = metrics.singleMetric();
  for (const [key, dimension] of Object.entries(dimensions)) one.addDimension(key, dimension);
  one.addMetric(name, unit, value);
}

/** The business metrics the system records (names are part of the dashboards: change them with care). */
export const businessMetrics = {
  /** An application submitted (Art.4): the first submission, or a resubmission after a return for correction. */
  applicationSubmitted(submission: 'first' | 'resubmission'): void {
    single('ApplicationsSubmitted', MetricUnit.Count, 1, { submission });
  },
  /** A reviewer's decision delivered to the workflow, with the time from the task opening to the decision. */
  decisionMade(kind: string, outcome: string, latencyMs: number): void {
    single('DecisionsMade', MetricUnit.Count, 1, { kind, outcome });
    single('DecisionLatency', MetricUnit.Seconds, Math.max(0, latencyMs) / 1000, { kind });
  },
  /** An evidence file version found invalid by the validator (Art.3). */
  evidenceInvalid(kind: string): void {
    single('EvidenceFoundInvalid', MetricUnit.Count, 1, { kind });
  },
  /** The outcome of a machine screening (Art.3, Art.9–11): pass, return or refuse. */
  screeningOutcome(outcome: string): void {
    single('ScreeningOutcomes', MetricUnit.Count, 1, { outcome });
  },
};
