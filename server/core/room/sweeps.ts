/**
 * The room's timers on its clock: periodic sweeps (recently completed, wait warnings) and keyed
 * one-shot timers (the expiry of each pending transfer and assignment offer). Everything stops
 * with {@link stop} (shutdown); a sweep that throws is logged and runs again next period.
 */
import type { Clock } from '../clock.js';
import type { RoomLogger } from './types.js';
import { errorName } from './types.js';

export class RoomTimers {
  private readonly periodic = new Map<string, unknown>();
  private readonly keyed = new Map<string, unknown>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly log: RoomLogger,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Runs `fn` every `ms` until {@link stop}. */
  every(name: string, ms: number, fn: () => void): void {
    const tick = (): void => {
      if (this.stopped) return;
      try {
        fn();
      } catch (error) {
        this.log.warn('sweep.failed', { sweep: name, error: errorName(error) });
      }
      this.periodic.set(name, this.clock.setTimeout(tick, ms, `sweep:${name}`));
    };
    this.periodic.set(name, this.clock.setTimeout(tick, ms, `sweep:${name}`));
  }

  /** Runs `fn` once after `ms` (replacing a timer of the same key); nothing once stopped. */
  once(key: string, ms: number, fn: () => void): void {
    this.cancel(key);
    if (this.stopped) return;
    this.keyed.set(
      key,
      this.clock.setTimeout(
        () => {
          this.keyed.delete(key);
          fn();
        },
        ms,
        key,
      ),
    );
  }

  /**
   * Runs `fn` once the room's clock has reached `at` (at once when it has already), replacing a
   * timer of the same key; nothing once stopped. A timer that fires before `at` (the clock was
   * moved back meanwhile) waits again. The expiry of a pending offer (transfers, automatic
   * assignment), scheduled again from the database when a room starts.
   */
  until(key: string, at: number, fn: () => void): void {
    this.cancel(key);
    if (this.stopped) return;
    const delay = at - this.clock.now();
    if (delay <= 0) {
      fn();
      return;
    }
    this.once(key, delay, () => {
      this.until(key, at, fn);
    });
  }

  cancel(key: string): void {
    const handle = this.keyed.get(key);
    if (handle === undefined) return;
    this.clock.clearTimeout(handle);
    this.keyed.delete(key);
  }

  stop(): void {
    this.stopped = true;
    for (const handle of [...this.periodic.values(), ...this.keyed.values()]) this.clock.clearTimeout(handle);
    this.periodic.clear();
    this.keyed.clear();
  }
}
