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
