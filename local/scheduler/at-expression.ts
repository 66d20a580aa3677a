/**
 * One-time schedule expressions of EventBridge Scheduler: `at(yyyy-mm-ddThh:mm:ss)`
 * read as a wall-clock time in `ScheduleExpressionTimezone` (IANA name,
 * default UTC).
 */

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;

/** Offset (ms) of `timeZone` from UTC at the instant `utcMs`. */
function offsetMs(utcMs: number, format: Intl.DateTimeFormat): number {
  const parts = Object.fromEntries(format.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** Whether `timeZone` is an IANA time zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant (ms since the epoch) of an `at(...)` expression, or an error
 * message when the expression is not a valid one-time expression.
 */
export function parseAtExpression(expression: string, timeZone = 'UTC'): { at: number } | { error: string } {
  const m = AT.exec(expression);
  if (!m) return { error: `Invalid Schedule Expression ${expression}: the local scheduler supports one-time at(yyyy-mm-ddThh:mm:ss) schedules only` };
  if (!isTimeZone(timeZone)) return { error: `Invalid ScheduleExpressionTimezone ${timeZone}` };
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return { error: `Invalid Schedule Expression ${expression}: not a calendar date and time` };
  }
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  // Two passes settle the offset across a daylight-saving change.
  let at = wall - offsetMs(wall, format);
  at = wall - offsetMs(at, format);
  return { at };
}

/** `at(...)` of an instant in UTC, for callers arming schedules. */
export function atExpression(instant: Date | number): string {
  return `at(${new Date(instant).toISOString().slice(0, 19)})`;
}
