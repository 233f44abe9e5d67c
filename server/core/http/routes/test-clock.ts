/** TEST ONLY: moves server time for end-to-end tests (`testClock` option / CHAT_TEST_CLOCK=1). */
import type { Handler } from '../router.js';
import { HttpError } from '../router.js';

const MAX_ADVANCE_MS = 31 * 24 * 60 * 60 * 1000;

/** `POST /api/test/clock {advanceMs}` → `{serverTime}`. */
export const advanceClock: Handler<'test-only'> = async (ctx) => {
  const testClock = ctx.app.options.testClock;
  if (!testClock) throw new HttpError(404, 'not_found', 'no test clock');
  const body = await ctx.body();
  const ms = body.advanceMs;
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0 || ms > MAX_ADVANCE_MS) {
    throw new HttpError(400, 'invalid', 'advanceMs: a whole number of milliseconds from 0 to 31 days');
  }
  testClock.advance(ms);
  ctx.json(200, { serverTime: testClock.now() });
};
