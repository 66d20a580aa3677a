import type { VirtualClock } from '../clock.ts';

/** Something that arms timers on the virtual clock and reacts to them asynchronously. */
export interface ClockParticipant {
  /** The earliest virtual instant one of its timers is armed for, if any. */
  nextWakeUp(): number | undefined;
  /** Resolves once it has finished reacting to what fired. */
  waitForIdle(): Promise<void>;
}

/**
 * Moves the clock forward by `ms`, stopping at every timer of the
 * participants on the way and letting them react before going on. A plain
 * `clock.advance` fires every timer due inside the jump at the jump's end
 * and cannot fire what the reactions arm (a retry 60 s after a failure that
 * itself came from a timer); stepping keeps every instant exact.
 */
export async function advanceInSteps(clock: VirtualClock, ms: number, participants: readonly ClockParticipant[]): Promise<number> {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
  const target = clock.now() + ms;
  const settle = () => Promise.all(participants.map((p) => p.waitForIdle()));
  await settle();
  for (let steps = 0; ; steps++) {
    if (steps > 1_000_000) throw new Error('advanceInSteps: timers keep falling due at the same instant');
    const wakeUps = participants.map((p) => p.nextWakeUp()).filter((at): at is number => at !== undefined);
    const next = wakeUps.length > 0 ? Math.min(...wakeUps) : undefined;
    if (next === undefined || next > target) break;
    // advanceTo fires what is due even when `next` is already reached.
    clock.advanceTo(next);
    await settle();
  }
  clock.advanceTo(target);
  await settle();
  return clock.now();
}
