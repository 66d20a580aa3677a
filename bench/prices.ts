import { functions } from '../functions/catalog.ts';
import { DEFAULT_MEMORY_MB } from '../infra/constructs/app-function.ts';
import type { PhaseFigures } from './accreditation-writes.ts';

/**
 * AWS public list prices, US East (N. Virginia) `us-east-1`, in USD, as the
 * AWS pricing pages gave them in 2025 (DynamoDB on-demand after its
 * 2024-11-01 reduction); first tier, free tiers not deducted. The China
 * regions (cn-north-1 Beijing, cn-northwest-1 Ningxia) are priced apart, in
 * CNY, on amazonaws.cn, and differ (e.g. DynamoDB there is sold per capacity
 * unit-hour); this bench does not price them.
 */
export const PRICES_US_EAST_1 = {
  asOf: '2025 (AWS public pricing pages, us-east-1)',
  /** Step Functions Standard: $0.025 per 1,000 state transitions. */
  stateTransition: 0.025 / 1000,
  /** Lambda, arm64 (the stack's architecture): $0.20 per 1M requests, $0.0000133334 per GB-second. */
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
  /** DynamoDB on-demand, Standard table class: $0.625 per 1M write request units, $0.125 per 1M read request units. */
  writeUnit: 0.625 / 1e6,
  readUnit: 0.125 / 1e6,
  /** S3 Standard: $0.005 per 1,000 PUT, COPY, POST, LIST; $0.0004 per 1,000 GET, HEAD and others; DELETE free. */
  s3Write: 0.005 / 1000,
  s3Read: 0.0004 / 1000,
  /** SES outbound: $0.10 per 1,000 e-mails. */
  email: 0.1 / 1000,
  /** API Gateway HTTP API: $1.00 per 1M requests (first 300M a month). */
  apiRequest: 1 / 1e6,
  /** SQS standard: $0.40 per 1M requests (a mail costs about three: send, receive, delete). */
  sqsRequest: 0.4 / 1e6,
  /** EventBridge custom events: $1.00 per 1M events put. */
  event: 1 / 1e6,
} as const;

/** A lifecycle's bill, by service, at {@link PRICES_US_EAST_1}. */
export interface LifecycleCost {
  readonly transitions: number;
  readonly lambdaInvocations: number;
  readonly lambdaGbSeconds: number;
  readonly apiRequests: number;
  readonly readUnits: number;
  /** By AWS's billing rules (`WriteFigures.billed`): what the table is charged. */
  readonly writeUnits: number;
  readonly s3Requests: { readonly writes: number; readonly reads: number };
  readonly emails: number;
  readonly events: number;
  /** Invocations of the daily schedule functions seen while the lifecycle ran: a fixed daily cost, left out of the figures above. */
  readonly scheduledInvocationsLeftOut: number;
  readonly usd: { readonly [K in 'stepFunctions' | 'lambda' | 'apiGateway' | 'dynamodb' | 's3' | 'ses' | 'sqs' | 'eventBridge' | 'total']: number };
}

/**
 * Prices the phases of a lifecycle. Lambda GB-seconds are the billed
 * milliseconds measured in the local stack (handlers over the emulators on
 * this machine, so longer than on AWS) × each function's memory from the
 * catalogue, as the CDK stack sets it. API requests are the invocations of
 * `http` functions; SQS requests three per e-mail (every e-mail goes through
 * the mail queue).
 */
export function priceLifecycle(phases: readonly PhaseFigures[]): LifecycleCost {
  const specs = new Map(functions.map((f) => [f.name, f]));
  let invocations = 0;
  let gbSeconds = 0;
  let api = 0;
  let scheduled = 0;
  let readUnits = 0;
  let writeUnits = 0;
  let s3Writes = 0;
  let s3Reads = 0;
  let emails = 0;
  let events = 0;
  let transitions = 0;
  for (const phase of phases) {
    const u = phase.usage;
    for (const [name, t] of Object.entries(u.lambda)) {
      const spec = specs.get(name);
      if (spec?.kind === 'schedule') {
        scheduled += t.invocations;
        continue;
      }
      invocations += t.invocations;
      gbSeconds += (t.billedMs / 1000) * ((spec?.memoryMb ?? DEFAULT_MEMORY_MB) / 1024);
      if (spec?.kind === 'http') api += t.invocations;
    }
    readUnits += u.reads.units;
    writeUnits += phase.billed;
    for (const [method, n] of Object.entries(u.s3)) {
      if (method === 'DELETE') continue;
      if (method === 'PUT' || method === 'POST') s3Writes += n;
      else s3Reads += n;
    }
    emails += u.mails;
    events += u.events;
    transitions += u.transitions;
  }
  const p = PRICES_US_EAST_1;
  const usd = {
    stepFunctions: transitions * p.stateTransition,
    lambda: invocations * p.lambdaRequest + gbSeconds * p.lambdaGbSecond,
    apiGateway: api * p.apiRequest,
    dynamodb: readUnits * p.readUnit + writeUnits * p.writeUnit,
    s3: s3Writes * p.s3Write + s3Reads * p.s3Read,
    ses: emails * p.email,
    sqs: emails * 3 * p.sqsRequest,
    eventBridge: events * p.event,
  };
  const total = Object.values(usd).reduce((a, b) => a + b, 0);
  return {
    transitions,
    lambdaInvocations: invocations,
    lambdaGbSeconds: gbSeconds,
    apiRequests: api,
    readUnits,
    writeUnits,
    s3Requests: { writes: s3Writes, reads: s3Reads },
    emails,
    events,
    scheduledInvocationsLeftOut: scheduled,
    usd: { ...usd, total },
  };
}
