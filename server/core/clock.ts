/** Time source and timers of the core; tests inject a manual clock. */
export interface Clock {
  now(): number;
  /**
   * `label` names what the timer is for (`sweep:<name>` for a periodic sweep, a key for a
   * one-shot timer), for a host that schedules timers by kind (the Cloudflare host's alarms).
   */
  setTimeout(fn: () => void, ms: number, label?: string): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/**
 * A clock that can be moved forward: base time plus an offset. Timers count clock time, so
 * `advance(ms)` runs at once the timers it makes due; the others still fire on their own as
 * real time passes. For end-to-end tests only (`CHAT_TEST_CLOCK=1`): never in production.
 */
export class OffsetClock implements Clock {
  private offset = 0;
  private nextHandle = 1;
  private readonly timers = new Map<number, { due: number; fn: () => void }>();
  private wake: unknown;

  constructor(private readonly base: Clock = systemClock) {}

  now(): number {
    return this.base.now() + this.offset;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.timers.set(handle, { due: this.now() + Math.max(0, ms), fn });
    this.arm();
    return handle;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number' && this.timers.delete(handle)) this.arm();
  }

  /** Moves the clock forward by `ms` (≥ 0) and runs the timers that became due, in due order. */
  advance(ms: number): void {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError('advance: a non-negative integer of milliseconds');
    this.offset += ms;
    this.run();
  }

  private run(): void {
    const now = this.now();
    const due = [...this.timers].filter(([, t]) => t.due <= now).sort((a, b) => a[1].due - b[1].due);
    for (const [handle, t] of due) {
      if (!this.timers.delete(handle)) continue;
      t.fn();
    }
    this.arm();
  }

  /** One real timer for the earliest clock timer. */
  private arm(): void {
    this.base.clearTimeout(this.wake);
    this.wake = undefined;
    let earliest = Infinity;
    for (const t of this.timers.values()) earliest = Math.min(earliest, t.due);
    if (earliest === Infinity) return;
    this.wake = this.base.setTimeout(
      () => {
        this.wake = undefined;
        this.run();
      },
      Math.max(0, earliest - this.now()),
    );
  }
}
