import TinyQueue from 'tinyqueue';
import { installTimeSource, type TimeSource } from '../functions/shared/clock.ts';

/** A timer registered on the virtual clock. */
export interface VirtualTimer {
  readonly id: number;
  readonly at: number;
}

interface PendingTimer extends VirtualTimer {
  fn: () => void;
}

/** Real timers are armed in chunks no longer than this, far below Node's 2^31-1 ms overflow. */
const MAX_REAL_DELAY_MS = 60 * 60 * 1000;

/** Earliest instant first; among timers at the same instant, the first registered. */
const byInstant = (a: PendingTimer, b: PendingTimer) => a.at - b.at || a.id - b.id;

/**
 * One virtual clock for the whole local stack.
 *
 * Virtual time runs at real speed from a start instant plus an offset that
 * only grows (`advance`). Timers are keyed by virtual instant: they fire when
 * real time reaches them or at once when an `advance` jumps past them, in
 * order of their instant. Everything with an expiry (tokens, upload policies,
 * decision links, schedules, callback timeouts, Wait states) uses this clock.
 *
 * The pending timers are a binary heap by instant (tinyqueue), so setting,
 * clearing and firing a timer cost O(log n): a campaign's deadline over
 * 10,000 sites has tens of thousands pending at once (each assessment's
 * decision task, its reminder, the tasks' timeouts), and a scan of them all
 * at every set and fire made that close take minutes. A cleared timer leaves
 * the map at once and the heap when it reaches the top (or at a rebuild,
 * when cleared ones outnumber the live).
 */
export class VirtualClock implements TimeSource {
  private offsetMs = 0;
  private nextId = 1;
  private readonly timers = new Map<number, PendingTimer>();
  private heap = new TinyQueue<PendingTimer>([], byInstant);
  /** The instant the real timer is armed for (undefined when none is). */
  private armedFor: number | undefined;
  private realTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(now: number) => void>();

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): number {
    return this.realNow() + this.offsetMs;
  }

  /** Registers `fn` to run at virtual instant `at` (ms since the epoch). */
  setTimer(at: number, fn: () => void): VirtualTimer {
    const timer: PendingTimer = { id: this.nextId++, at, fn };
    this.timers.set(timer.id, timer);
    this.heap.push(timer);
    this.rearm();
    return { id: timer.id, at };
  }

  /** Registers `fn` to run `delayMs` from now on the virtual clock. */
  setTimeout(delayMs: number, fn: () => void): VirtualTimer {
    return this.setTimer(this.now() + Math.max(0, delayMs), fn);
  }

  clearTimer(timer: VirtualTimer | undefined): void {
    if (!timer || !this.timers.delete(timer.id)) return;
    if (this.heap.length > 64 && this.heap.length > 2 * this.timers.size) this.heap = new TinyQueue([...this.timers.values()], byInstant);
    this.rearm();
  }

  /** Number of timers not yet fired (for diagnostics and tests). */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** The earliest instant a pending timer is armed for, if any (lets callers step through a jump). */
  nextTimerAt(): number | undefined {
    return this.earliest()?.at;
  }

  /** The earliest pending timer (cleared ones dropped from the top of the heap on the way). */
  private earliest(): PendingTimer | undefined {
    for (let top = this.heap.peek(); top; top = this.heap.peek()) {
      if (this.timers.get(top.id) === top) return top;
      this.heap.pop();
    }
    return undefined;
  }

  /** Called after every jump, with the new virtual now. */
  onAdvance(listener: (now: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Moves virtual time forward by `ms` and fires every timer that falls due,
   * in order of their instant. Timers a fired timer registers are honoured
   * when they fall inside the jump too.
   */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
    this.fireDue();
    for (const listener of this.listeners) listener(this.now());
    return this.now();
  }

  /** Moves virtual time to `at` (no-op when `at` is in the past). */
  advanceTo(at: number): number {
    return this.advance(Math.max(0, at - this.now()));
  }

  /** Installs this clock as the process time source read by handlers. */
  install(): this {
    installTimeSource(this);
    return this;
  }

  /** Stops the real timer; pending virtual timers are dropped. */
  dispose(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    this.armedFor = undefined;
    this.timers.clear();
    this.heap = new TinyQueue<PendingTimer>([], byInstant);
  }

  private fireDue(): void {
    for (;;) {
      const due = this.earliest();
      if (!due || due.at > this.now()) break;
      this.heap.pop();
      this.timers.delete(due.id);
      try {
        due.fn();
      } catch (error) {
        console.error('[clock] a timer callback threw', error);
      }
    }
    this.armedFor = undefined;
    this.rearm();
  }

  /** Arms the real timer for the earliest pending timer, unless it already is. */
  private rearm(): void {
    const next = this.earliest()?.at;
    if (next === this.armedFor && (next === undefined || this.realTimer)) return;
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    this.armedFor = next;
    if (next === undefined) return;
    const delay = Math.min(Math.max(0, next - this.now()), MAX_REAL_DELAY_MS);
    this.realTimer = setTimeout(() => this.fireDue(), delay);
    this.realTimer.unref();
  }
}

/** Parses an ISO-8601 duration such as `P90D`, `PT36H`, `P2Y` into milliseconds (Y = 365 d, M = 30 d). */
export function parseDuration(text: string): number {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) throw new RangeError(`not an ISO-8601 duration: ${text}`);
  const [, y, mo, w, d, h, mi, s] = m;
  const day = 86_400_000;
  return (
    Number(y ?? 0) * 365 * day +
    Number(mo ?? 0) * 30 * day +
    Number(w ?? 0) * 7 * day +
    Number(d ?? 0) * day +
    Number(h ?? 0) * 3_600_000 +
    Number(mi ?? 0) * 60_000 +
    Math.round(Number(s ?? 0) * 1000)
  );
}
