/**
 * An object's clock: in the tenant object the room's timers (transfer and offer expiry, hello
 * deadlines, the periodic sweeps) and the outbox's retry (tenant-flush.ts); in a chat's object its
 * sockets' hello deadlines and the reports' retry (conversation.ts). Woken by the object's one
 * Durable Object alarm instead of `setTimeout`, so that the object may leave memory (hibernation,
 * an eviction) while a timer is pending and still be woken for it (docs/scaling.md § 3).
 *
 * Each timer is a callback in memory plus its due time; the durable alarm is set to the earliest
 * due time of the timers that must wake the object. An object that left memory loses the
 * callbacks, not the alarm: woken by it, the object starts its room again, and the room
 * schedules every timer anew from the database (pending transfers and offers, overdue ones
 * expiring at once; the sweeps; the hello deadline of a socket taken back before its hello).
 *
 * A periodic sweep wakes the object only while it has work ({@link AlarmClockDeps.wanted}: the
 * wait warnings and automatic assignment while a chat is queued, the "recently completed" sweep
 * while a chat ended within the window); otherwise it runs at the object's next event. So a
 * tenant with no queued chat sleeps between its minute's sweeps, and one with nothing recent
 * sleeps until someone writes.
 *
 * An alarm set earlier than needed (its timer was cleared) only wakes the object to arm the next.
 */
import type { Clock } from '../core/clock.js';

export interface AlarmClockDeps {
  /** Sets the object's alarm (replaces the one set before). */
  setAlarm(at: number): void;
  /** Whether a periodic sweep (`sweep:<name>`) has work now and must wake the object for it. */
  wanted(label: string): boolean;
  /** Runs after the timers of one round ran (the host flushes what they committed). */
  after(): void;
  /** A timer that threw (the room's own timers catch their errors; this is the last guard). */
  failed(label: string | undefined, error: unknown): void;
}

interface Timer {
  due: number;
  fn: () => void;
  label: string | undefined;
}

export class AlarmClock implements Clock {
  private next = 1;
  private readonly timers = new Map<number, Timer>();
  /** The alarm this instance set and that has not fired yet (undefined: none known). */
  private armedAt: number | undefined;
  private running = false;

  constructor(private readonly deps: AlarmClockDeps) {}

  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number, label?: string): unknown {
    const handle = this.next++;
    this.timers.set(handle, { due: this.now() + Math.max(0, ms), fn, label });
    if (!this.running) this.arm();
    return handle;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /** Timers pending in this instance (the operator's read, and the tests'). */
  get pending(): number {
    return this.timers.size;
  }

  /** The object's alarm fired: the alarm it had is spent; runs what is due and arms the next. */
  alarm(): void {
    this.armedAt = undefined;
    this.run();
  }

  /** Runs every timer that is due, in due order (also those made due by the ones that ran), then arms the next. */
  run(): void {
    if (this.running) return;
    this.running = true;
    let ran = 0;
    try {
      for (;;) {
        const now = this.now();
        let first: [number, Timer] | undefined;
        for (const entry of this.timers) if (entry[1].due <= now && (!first || entry[1].due < first[1].due)) first = entry;
        if (!first) break;
        this.timers.delete(first[0]);
        ran += 1;
        try {
          first[1].fn();
        } catch (error) {
          this.deps.failed(first[1].label, error);
        }
      }
    } finally {
      this.running = false;
    }
    if (ran > 0) this.deps.after();
    this.arm();
  }

  /** Sets the alarm to the earliest timer that must wake the object, unless an alarm at or before it is set already. */
  arm(): void {
    let earliest = Infinity;
    const asked = new Map<string, boolean>();
    for (const t of this.timers.values()) {
      if (t.due >= earliest) continue;
      if (t.label?.startsWith('sweep:') === true) {
        let wanted = asked.get(t.label);
        if (wanted === undefined) asked.set(t.label, (wanted = this.deps.wanted(t.label)));
        if (!wanted) continue;
      }
      earliest = t.due;
    }
    if (earliest === Infinity) return;
    if (this.armedAt !== undefined && this.armedAt <= earliest) return;
    this.armedAt = earliest;
    this.deps.setAlarm(earliest);
  }
}
