import middy from '@middy/core';
import type { z } from 'zod/mini';
import { TransientError } from '../domain/errors.ts';
import { loggerContext, setCorrelationId } from './logger.ts';
import { parseWith } from './validation.ts';

/**
 * The one wrapper of a Step Functions task function (every workflow's Lambda
 * tasks): what Step Functions may retry, and how a payload is checked.
 */

/** AWS errors worth another try that carry no `$retryable` or server-fault mark. */
const THROTTLING_ERRORS = new Set(['ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'ThrottlingException', 'TooManyRequestsException', 'TimeoutError']);

/**
 * The error a task function reports to Step Functions, which retries by
 * error name and only `TransientError` of ours (see the workflows' Retry):
 * an AWS service fault or throttle left after the SDK's own retries becomes
 * a `TransientError`; every other error is reported as it is.
 */
export function asTaskError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof TransientError) return error;
  const sdk = error as Error & { $fault?: string; $retryable?: unknown };
  if (sdk.$fault === 'server' || sdk.$retryable !== undefined || THROTTLING_ERRORS.has(error.name)) {
    return new TransientError(`${error.name}: ${error.message}`);
  }
  return error;
}

/**
 * A task function: middy, the payload validated (a malformed payload is a
 * definition fault: `ValidationError`, not retried), the execution name as
 * correlation id, one use case; transient AWS failures reported as
 * `TransientError` so the workflow retries them.
 */
export function taskHandler<S extends z.ZodMiniType, R>(schema: S, useCase: (input: z.infer<S>) => Promise<R>) {
  return middy<unknown, R>().use(loggerContext()).handler(async (event) => {
    const audit = (event as { audit?: { executionName?: unknown } } | null)?.audit;
    setCorrelationId(typeof audit?.executionName === 'string' ? audit.executionName : undefined);
    try {
      return await useCase(parseWith(schema, event));
    } catch (error) {
      throw asTaskError(error);
    }
  });
}
