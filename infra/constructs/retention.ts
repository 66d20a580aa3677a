import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** Retention periods CloudWatch Logs accepts, in days (INFINITE excluded). */
const ALLOWED = Object.values(RetentionDays)
  .filter((value): value is RetentionDays => typeof value === 'number' && value !== RetentionDays.INFINITE)
  .sort((a, b) => a - b);

/**
 * The smallest CloudWatch retention period that keeps logs at least `days`
 * (the config allows any number; CloudWatch only a fixed list).
 */
export function retentionDays(days: number): RetentionDays {
  const fit = ALLOWED.find((allowed) => allowed >= days);
  return fit ?? (ALLOWED[ALLOWED.length - 1] as RetentionDays);
}
