/**
 * The one clock every handler and domain rule reads.
 *
 * On AWS it is the system clock. The local stack installs a virtual clock
 * (see `local/clock.ts`) under a global symbol so that a demo can cross two
 * years in seconds while handlers stay unchanged.
 */
export interface TimeSource {
  now(): number;
}

const CLOCK_KEY = Symbol.for('exam-site.clock');

type WithClock = typeof globalThis & { [CLOCK_KEY]?: TimeSource };

/** Installs a time source for this process (local stack and tests only). */
export function installTimeSource(source: TimeSource | undefined): void {
  (globalThis as WithClock)[CLOCK_KEY] = source;
}

/** Milliseconds since the epoch, on the virtual clock when one is installed. */
export function nowMs(): number {
  const source = (globalThis as WithClock)[CLOCK_KEY];
  return source ? source.now() : Date.now();
}

/** The current instant. */
export function now(): Date {
  return new Date(nowMs());
}

/** The current instant as an ISO-8601 string (UTC). */
export function nowIso(): string {
  return now().toISOString();
}
