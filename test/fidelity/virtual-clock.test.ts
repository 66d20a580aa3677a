import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock.ts';

/**
 * The local stack's one clock: timers fire in order of their instant (the
 * first registered first at the same instant), a cleared timer never fires,
 * and a timer set by a firing one inside the jump fires in the same jump.
 * The pending timers are a heap (a campaign over 10,000 sites has tens of
 * thousands pending); these tests pin the order it must keep.
 */
describe('the virtual clock', () => {
  const start = Date.parse('2027-01-01T00:00:00.000Z');
  const fixed = () => new VirtualClock(() => start);

  it('fires due timers in order of instant, then of registration, and leaves later ones pending', () => {
    const clock = fixed();
    const fired: string[] = [];
    clock.setTimeout(3_000, () => fired.push('c'));
    clock.setTimeout(1_000, () => fired.push('a1'));
    clock.setTimeout(5_000, () => fired.push('late'));
    clock.setTimeout(1_000, () => fired.push('a2'));
    clock.setTimeout(2_000, () => fired.push('b'));
    clock.advance(3_000);
    expect(fired).toEqual(['a1', 'a2', 'b', 'c']);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextTimerAt()).toBe(start + 5_000);
    clock.dispose();
  });

  it('never fires a cleared timer, and the next instant skips cleared ones', () => {
    const clock = fixed();
    const fired: number[] = [];
    const timers = Array.from({ length: 500 }, (_, i) => clock.setTimeout(1_000 + i, () => fired.push(i)));
    // Clear every timer but each tenth: more cleared than live, so the heap is rebuilt on the way.
    timers.forEach((t, i) => i % 10 !== 0 && clock.clearTimer(t));
    clock.clearTimer(timers[1]); // twice: no effect
    expect(clock.pendingTimers).toBe(50);
    expect(clock.nextTimerAt()).toBe(start + 1_000);
    clock.clearTimer(timers[0]);
    expect(clock.nextTimerAt()).toBe(start + 1_010);
    clock.advance(10_000);
    expect(fired).toEqual(Array.from({ length: 49 }, (_, k) => (k + 1) * 10));
    expect(clock.pendingTimers).toBe(0);
    expect(clock.nextTimerAt()).toBeUndefined();
    clock.dispose();
  });

  it('fires a timer that a firing timer sets for an instant inside the same jump, in its place', () => {
    const clock = fixed();
    const fired: string[] = [];
    clock.setTimeout(1_000, () => {
      fired.push('first');
      clock.setTimer(start + 1_500, () => fired.push('set by first'));
    });
    clock.setTimeout(2_000, () => fired.push('second'));
    clock.setTimeout(9_000, () => fired.push('after the jump'));
    clock.advance(5_000);
    expect(fired).toEqual(['first', 'set by first', 'second']);
    expect(clock.now()).toBe(start + 5_000);
    clock.dispose();
  });

  it('fires on real time too, without a jump', async () => {
    let real = start;
    const clock = new VirtualClock(() => real);
    const fired = new Promise<number>((resolve) => clock.setTimeout(0, () => resolve(clock.now())));
    real += 1;
    expect(await fired).toBe(start + 1);
    clock.dispose();
  });
});
