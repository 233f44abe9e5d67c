/**
 * The room's timers on its clock: periodic sweeps (recently completed, wait warnings) and keyed
 * one-shot timers (the expiry of each pending transfer). Everything stops with {@link stop}
 * (shutdown); a sweep that throws is logged and runs again next period.
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
