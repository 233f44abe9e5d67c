/**
 * A latency histogram in the manner of HdrHistogram: log-linear buckets over integer
 * microseconds, 64 sub-buckets per power of two above 128 µs (every value below 128 µs has its
 * own bucket). A recorded value lands in a bucket whose width is at most 1/64 of its lower
 * bound, so a percentile read back is within 1.6 % of the true sample (we report the bucket's
 * upper edge, never less than the truth). Fixed memory (a few kB) however many values are
 * recorded, and histograms of several processes merge exactly by adding counts, which is how
 * the load generator's child processes are aggregated.
 */

const SUB_BITS = 6; // 64 sub-buckets per power of two
const SUB = 1 << SUB_BITS;
const LINEAR = SUB * 2; // values below 128 µs are exact
/** Up to 2^40 µs (about 12.7 days): far beyond any bounded run. */
const MAX_EXPONENT = 40 - SUB_BITS;
const BUCKETS = LINEAR + MAX_EXPONENT * SUB;

/** Bucket index of a value in µs (non-negative integer). */
function indexOf(us: number): number {
  if (us < LINEAR) return us;
  const e = Math.floor(Math.log2(us)) - SUB_BITS; // ≥ 1
  // Math.log2 may round up for values just below a power of two: correct by the mantissa.
  let shift = e;
  let m = Math.floor(us / 2 ** shift);
  if (m < SUB) {
    shift -= 1;
    m = Math.floor(us / 2 ** shift);
  } else if (m >= 2 * SUB) {
    shift += 1;
    m = Math.floor(us / 2 ** shift);
  }
  return Math.min(BUCKETS - 1, shift * SUB + m);
}

/** Largest value (µs) that lands in bucket `i`. */
function upperEdge(i: number): number {
  if (i < LINEAR) return i;
  const shift = Math.floor(i / SUB) - 1;
  const m = i - shift * SUB;
  return (m + 1) * 2 ** shift - 1;
}

/** Serialised form: sparse [bucket, count] pairs plus exact count, min, max and sum. */
export interface HistogramData {
  buckets: [number, number][];
  count: number;
  minUs: number;
  maxUs: number;
  sumUs: number;
}

export class Histogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  minUs = Infinity;
  maxUs = 0;
  sumUs = 0;

  /** Records a latency in milliseconds (negative values, from clock skew, count as 0). */
  recordMs(ms: number): void {
    const us = Math.max(0, Math.round(ms * 1000));
    const i = indexOf(us);
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.count += 1;
    this.sumUs += us;
    if (us < this.minUs) this.minUs = us;
    if (us > this.maxUs) this.maxUs = us;
  }

  /** Adds another histogram's counts (exact). */
  merge(other: Histogram | HistogramData): this {
    const data = other instanceof Histogram ? other.toJSON() : other;
    for (const [i, n] of data.buckets) this.counts[i] = (this.counts[i] ?? 0) + n;
    this.count += data.count;
    this.sumUs += data.sumUs;
    if (data.count > 0) {
      this.minUs = Math.min(this.minUs, data.minUs);
      this.maxUs = Math.max(this.maxUs, data.maxUs);
    }
    return this;
  }

  /**
   * The value (ms) at or below which `p` percent of the recorded values lie: the upper edge of
   * the bucket holding the ceil(p/100 · count)-th smallest value, clamped to the exact maximum.
   * NaN when empty.
   */
  percentileMs(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return Math.min(upperEdge(i), this.maxUs) / 1000;
    }
    return this.maxUs / 1000;
  }

  meanMs(): number {
    return this.count === 0 ? NaN : this.sumUs / this.count / 1000;
  }

  toJSON(): HistogramData {
    const buckets: [number, number][] = [];
    this.counts.forEach((n, i) => {
      if (n > 0) buckets.push([i, n]);
    });
    return { buckets, count: this.count, minUs: this.count ? this.minUs : 0, maxUs: this.maxUs, sumUs: this.sumUs };
  }

  static from(data: HistogramData): Histogram {
    return new Histogram().merge(data);
  }
}
