import { build } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import type { Micros } from '../model/index.ts';

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
}

/**
 * Latency percentiles over µs values, reported in ms: HdrHistogram with three
 * significant digits, bounded memory however many requests are recorded.
 *
 * Recording sits on every request of a long run, so it only bumps a counter
 * in HdrHistogram's own bucket layout (1,024 sub-buckets per power of two,
 * values below 2,048 exact); the HdrHistogram is filled from those counts
 * when a percentile is asked for. Each bucket is given to it as its lowest
 * value, which lands in the same bucket, so every percentile is exactly what
 * recording the values one by one would give (a test holds the two equal).
 */
export class LatencyHistogram {
  /** Counts per bucket (32 bits keep the array small enough to stay in cache); a bucket that fills up carries into `carried`. */
  private counts = new Uint32Array(SUB_BUCKETS * 4);
  private readonly carried = new Map<number, number>();
  private total = 0;
  private filled = true;
  // 64-bit counts: it is filled with whole buckets at once, which can hold more than 2^32 values.
  private readonly h: Histogram = build({ numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, bitBucketSize: 64 });

  record(value: Micros): void {
    const v = value >= 1 ? Math.round(value) : 1;
    const i = bucketOf(v);
    if (i >= this.counts.length) this.grow(i);
    const n = (this.counts[i] as number) + 1;
    if (n === 2 ** 32) {
      this.carried.set(i, (this.carried.get(i) ?? 0) + n);
      this.counts[i] = 0;
    } else this.counts[i] = n;
    this.total += 1;
    this.filled = false;
  }

  /** Adds every value `other` recorded (a graph's edges merged into one). */
  add(other: LatencyHistogram): void {
    if (other.counts.length > this.counts.length) this.grow(other.counts.length - 1);
    for (let i = 0; i < other.counts.length; i++) {
      const n = (this.counts[i] as number) + (other.counts[i] as number);
      if (n >= 2 ** 32) {
        this.carried.set(i, (this.carried.get(i) ?? 0) + 2 ** 32);
        this.counts[i] = n - 2 ** 32;
      } else this.counts[i] = n;
    }
    for (const [i, n] of other.carried) this.carried.set(i, (this.carried.get(i) ?? 0) + n);
    this.total += other.total;
    this.filled = false;
  }

  /** Forgets every recorded value, keeping the memory for the next ones. */
  reset(): void {
    this.counts.fill(0);
    this.carried.clear();
    this.total = 0;
    this.filled = false;
  }

  get count(): number {
    return this.total;
  }

  percentile(p: number): Micros {
    return this.total === 0 ? 0 : this.hdr().getValueAtPercentile(p);
  }

  percentilesMs(): Percentiles {
    const ms = (p: number) => Math.round(this.percentile(p) / 10) / 100;
    return { p50: ms(50), p90: ms(90), p99: ms(99) };
  }

  private hdr(): Histogram {
    if (this.filled) return this.h;
    this.h.reset();
    const counts = this.counts;
    for (let i = 0; i < counts.length; i++) {
      const n = (counts[i] as number) + (this.carried.size > 0 ? (this.carried.get(i) ?? 0) : 0);
      if (n > 0) this.h.recordValueWithCount(lowestValueOf(i), n);
    }
    this.filled = true;
    return this.h;
  }

  private grow(index: number): void {
    let size = this.counts.length;
    while (size <= index) size *= 2;
    const counts = new Uint32Array(size);
    counts.set(this.counts);
    this.counts = counts;
  }
}

/** HdrHistogram's sub-buckets per power of two at three significant digits (2,048 per bucket, the upper half used beyond the first). */
const HALF_MAGNITUDE = 10;
const SUB_BUCKETS = 1 << HALF_MAGNITUDE;

/**
 * HdrHistogram's counts index for an integer value ≥ 1 (unit magnitude 0):
 * bucket k = max(0, ⌊log₂ v⌋ − 10), index = k·1024 + ⌊v / 2ᵏ⌋.
 */
export function bucketOf(v: number): number {
  if (v < 2 * SUB_BUCKETS) return v;
  if (v < 0x8000_0000) {
    const k = 31 - Math.clz32(v) - HALF_MAGNITUDE;
    return k * SUB_BUCKETS + (v >>> k);
  }
  const k = Math.floor(Math.log2(v)) - HALF_MAGNITUDE;
  return k * SUB_BUCKETS + Math.floor(v / 2 ** k);
}

/** The lowest value that `bucketOf` maps to index `i`. */
export function lowestValueOf(i: number): number {
  if (i < 2 * SUB_BUCKETS) return i;
  const k = Math.floor(i / SUB_BUCKETS) - 1;
  return (i - k * SUB_BUCKETS) * 2 ** k;
}
