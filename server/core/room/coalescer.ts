/**
 * Coalescing of unsequenced updates (`activity`, `agents`): keys are marked as changed, and
 * their latest state is published together. After a quiet period a change is published at once
 * (on the next tick, so that everything a group commit changed goes out together); during a
 * burst at most once per window. Whoever publishes reads the current state when the flush runs,
 * so the latest value always wins and nothing older can overtake it.
 *
 * The timers are the host's real-time scheduler, not the room's clock: tests and operators may
 * move the room's clock, but coalescing is about real time (how often a socket is written to).
 */
import type { Clock } from '../clock.js';
import type { RoomLogger } from './types.js';
import { errorName } from './types.js';

export abstract class Coalescer<K> {
  private readonly dirty = new Set<K>();
  private timer: unknown;
  private scheduled = false;
  /** Real time of the last flush (by the scheduler's own count: see {@link elapsed}). */
  private lastFlush = -Infinity;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly timers: Pick<Clock, 'setTimeout' | 'clearTimeout'>,
    private readonly windowMs: number,
    private readonly log: RoomLogger,
    /** Monotonic milliseconds (injectable for tests). */
    private readonly elapsed: () => number = () => performance.now(),
  ) {}

  /** Publishes the latest state of the keys that changed since the last flush (each once). */
  protected abstract publish(keys: ReadonlySet<K>): void;

  /** Marks a key as changed; it is published with the next flush. */
  touch(key: K): void {
    if (this.stopped) return;
    this.dirty.add(key);
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = Math.max(0, this.lastFlush + this.windowMs - this.elapsed());
    this.timer = this.timers.setTimeout(() => {
      this.flush();
    }, wait);
  }

  /** Keys waiting for the next flush (for tests and health). */
  get pending(): number {
    return this.dirty.size;
  }

  /** Publishes what is waiting now (and forgets the timer). */
  flush(): void {
    if (this.scheduled) this.timers.clearTimeout(this.timer);
    this.scheduled = false;
    this.timer = undefined;
    if (this.dirty.size === 0 || this.stopped) return;
    this.lastFlush = this.elapsed();
    const keys = new Set(this.dirty);
    this.dirty.clear();
    try {
      this.publish(keys);
    } catch (error) {
      this.log.warn('coalesce.failed', { feed: this.name, error: errorName(error) });
    }
  }

  /** Stops for good (shutdown): nothing waiting is published. */
  stop(): void {
    this.stopped = true;
    if (this.scheduled) this.timers.clearTimeout(this.timer);
    this.scheduled = false;
    this.dirty.clear();
  }
}
