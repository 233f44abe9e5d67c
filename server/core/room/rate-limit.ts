/**
 * Per-connection rate limits: a token bucket of frames per minute (refilled evenly) and a
 * per-second allowance of typing frames. Pure bookkeeping on the room's clock; the dispatcher
 * decides what a refusal looks like on the wire.
 */

export interface RateState {
  /** Frames left in the bucket (fractional while it refills). */
  tokens: number;
  refilledAt: number;
  /** Frames asked for in a row while the bucket was empty. */
  overdraft: number;
  typingSecond: number;
  typingCount: number;
}

export function newRateState(now: number, framesPerMinute: number): RateState {
  return { tokens: framesPerMinute, refilledAt: now, overdraft: 0, typingSecond: 0, typingCount: 0 };
}

/** Takes one frame from the bucket; false (and one more overdraft) when it is empty. */
export function takeToken(rate: RateState, now: number, framesPerMinute: number): boolean {
  const refill = ((now - rate.refilledAt) / 60_000) * framesPerMinute;
  rate.tokens = Math.min(framesPerMinute, rate.tokens + refill);
  rate.refilledAt = now;
  if (rate.tokens >= 1) {
    rate.tokens -= 1;
    rate.overdraft = 0;
    return true;
  }
  rate.overdraft += 1;
  return false;
}

/** Counts a typing frame; false when this second's allowance is spent (the frame is dropped). */
export function typingAllowed(rate: RateState, now: number, perSecond: number): boolean {
  const second = Math.floor(now / 1000);
  if (second !== rate.typingSecond) {
    rate.typingSecond = second;
    rate.typingCount = 0;
  }
  rate.typingCount += 1;
  return rate.typingCount <= perSecond;
}
