/**
 * The coalescing of `activity` and `agents` frames (server/core/room/coalescer.ts), with a manual
 * scheduler: a change after a quiet period goes out at once (next tick); during a burst at most
 * once per window, with everything that changed meanwhile; stop() drops what waits.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Coalescer } from '../../server/core/room/coalescer.js';
import type { RoomLogger } from '../../server/core/room/types.js';
import { silentLogger } from '../../server/core/room/types.js';

/** A coalescer that hands each flush to `publish`. */
class Recorder extends Coalescer<string> {
  constructor(
    timers: ConstructorParameters<typeof Coalescer>[1],
    elapsed: () => number,
    private readonly onFlush: (keys: ReadonlySet<string>) => void,
    log: RoomLogger = silentLogger,
  ) {
    super('test', timers, 250, log, elapsed);
  }

  protected publish(keys: ReadonlySet<string>): void {
    this.onFlush(keys);
  }
}

/** A scheduler whose time moves only when told, and the coalescer's monotonic clock with it. */
function manual() {
  let now = 1000;
  let next = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    timers: {
      setTimeout: (fn: () => void, ms: number): unknown => {
        const id = next++;
        timers.set(id, { at: now + ms, fn });
        return id;
      },
      clearTimeout: (id: unknown): void => {
        timers.delete(id as number);
      },
    },
    get pending() {
      return timers.size;
    },
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at > now) continue;
        timers.delete(id);
        t.fn();
      }
    },
  };
}

test('quiet: at once (next tick); burst: one flush per window with the latest keys; stop drops the rest', () => {
  const clock = manual();
  const flushed: string[][] = [];
  const c = new Recorder(clock.timers, clock.now, (keys) => flushed.push([...keys]));
  c.touch('a');
  assert.equal(flushed.length, 0, 'not inside the caller');
  clock.advance(0);
  assert.deepEqual(flushed, [['a']], 'after a quiet period: at once');
  // A burst: 50 touches over 100 ms.
  for (let i = 0; i < 50; i++) {
    c.touch(i % 2 === 0 ? 'a' : 'b');
    clock.advance(2);
  }
  assert.equal(flushed.length, 1, 'nothing more within the window');
  clock.advance(150); // 250 ms after the first flush
  assert.deepEqual(flushed.at(-1), ['a', 'b'], 'one flush, each key once');
  assert.equal(flushed.length, 2);
  clock.advance(1000);
  assert.equal(flushed.length, 2, 'nothing without changes');
  assert.equal(clock.pending, 0, 'no timer left behind');
  c.touch('c');
  c.stop();
  clock.advance(1000);
  assert.equal(flushed.length, 2, 'stopped: nothing published');
  c.touch('d');
  assert.equal(clock.pending, 0, 'stopped: no new timer');
});

test('a publisher that throws is logged; the next change is published', () => {
  const clock = manual();
  const warnings: string[] = [];
  let fail = true;
  const seen: string[] = [];
  const c = new Recorder(
    clock.timers,
    clock.now,
    (keys) => {
      if (fail) throw new Error('boom');
      seen.push(...keys);
    },
    { info: () => undefined, warn: (event) => warnings.push(event) },
  );
  c.touch('x');
  clock.advance(0);
  assert.deepEqual(warnings, ['coalesce.failed']);
  fail = false;
  c.touch('y');
  clock.advance(250);
  assert.deepEqual(seen, ['y']);
});
