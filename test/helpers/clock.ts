/**
 * Fake timers for showing that nothing happens later without sleeping: they keep running with
 * real time (so `until()` and the code under test work as usual), and `await
 * clock.tickAsync(60_000)` runs at once every timer due in the next minute (a retry, a reconnect,
 * a resend), with the promises they settle. Install before the code under test starts its
 * timers; `restore()` in a `finally`.
 */
import sinon from 'sinon';

export type RunningClock = sinon.SinonFakeTimers;

export function runningClock(): RunningClock {
  return sinon.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
}
