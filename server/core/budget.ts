/**
 * Per-minute budgets by key (chat starts per client address, uploads per user): a count per key
 * and clock minute, forgotten when the minute changes. In memory: a restart forgets them.
 */
export class MinuteBudget {
  private readonly buckets = new Map<string, { n: number; minute: number }>();

  constructor(
    private readonly now: () => number,
    /** Keys kept at most; beyond, the map starts over (an attacker cannot grow it without bound). */
    private readonly maxKeys = 10_000,
  ) {}

  /** The uses of `key` counted in this minute (none counted). */
  used(key: string): number {
    const b = this.buckets.get(key);
    return b?.minute === Math.floor(this.now() / 60_000) ? b.n : 0;
  }

  /** Counts one use of `key`; false once it is over `limit` uses in this minute. */
  allow(key: string, limit: number): boolean {
    const minute = Math.floor(this.now() / 60_000);
    const b = this.buckets.get(key);
    if (b?.minute !== minute) {
      if (this.buckets.size > this.maxKeys) this.buckets.clear();
      this.buckets.set(key, { n: 1, minute });
      return true;
    }
    b.n += 1;
    return b.n <= limit;
  }
}

/** Refused agent sign-ins a client address may make per minute unless configured (docs/operations.md § 3). */
export const DEFAULT_SIGN_IN_FAILURES_PER_MINUTE = 30;

/**
 * Refused agent sign-ins per client address and minute (both hosts): past the limit,
 * `POST /api/auth/jwt` answers 429 `sign_in_failures_per_minute` before it looks at the token,
 * so guessing secrets or replaying tokens costs the server little.
 */
export class SignInFailures {
  private readonly budget: MinuteBudget;

  constructor(
    now: () => number,
    readonly perMinute: number = DEFAULT_SIGN_IN_FAILURES_PER_MINUTE,
  ) {
    this.budget = new MinuteBudget(now);
  }

  /** Whether `address` may try a sign-in now. */
  allowed(address: string): boolean {
    return this.budget.used(address) < this.perMinute;
  }

  /** Counts a refused sign-in of `address`. */
  failed(address: string): void {
    this.budget.allow(address, Infinity);
  }
}
