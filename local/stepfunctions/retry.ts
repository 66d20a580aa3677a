import type { Retrier } from './definition.ts';

/**
 * Whether an `ErrorEquals` list matches an error name as Step Functions
 * matches it: `States.ALL` matches every error (States.Timeout too), and
 * `States.TaskFailed` every error but `States.Timeout`.
 */
export function matchesErrorEquals(errorEquals: readonly string[], errorName: string): boolean {
  if (errorName === 'States.Runtime' || errorName === 'States.DataLimitExceeded') return false;
  return errorEquals.some(
    (candidate) =>
      candidate === errorName ||
      candidate === 'States.ALL' ||
      (candidate === 'States.TaskFailed' && errorName !== 'States.Timeout'),
  );
}

/**
 * Decides the next retry of a state: the first retrier whose `ErrorEquals`
 * matches applies (and only it); `attempts` counts the retries already made
 * per retrier and is updated. Returns the delay in ms, or undefined for no
 * retry.
 */
export function nextRetryDelay(
  retriers: readonly Retrier[],
  errorName: string,
  attempts: number[],
  random: () => number = Math.random,
): number | undefined {
  const index = retriers.findIndex((r) => matchesErrorEquals(r.ErrorEquals, errorName));
  if (index < 0) return undefined;
  const retrier = retriers[index]!;
  const done = attempts[index] ?? 0;
  if (done >= (retrier.MaxAttempts ?? 3)) return undefined;
  attempts[index] = done + 1;
  let seconds = (retrier.IntervalSeconds ?? 1) * Math.pow(retrier.BackoffRate ?? 2, done);
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds = random() * seconds;
  return Math.round(seconds * 1000);
}
