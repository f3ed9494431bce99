import { build } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import type { Micros } from '../model/index.ts';

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
}

/**
 * Latency percentiles over µs values, reported in ms. HdrHistogram with three
 * significant digits: bounded memory however many requests are recorded.
 */
export class LatencyHistogram {
  private readonly h: Histogram = build({ numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1 });

  record(value: Micros): void {
    this.h.recordValue(Math.max(1, Math.round(value)));
  }

  /** Forgets every recorded value, keeping the memory for the next ones. */
  reset(): void {
    this.h.reset();
  }

  get count(): number {
    return this.h.totalCount;
  }

  percentile(p: number): Micros {
    return this.h.totalCount === 0 ? 0 : this.h.getValueAtPercentile(p);
  }

  percentilesMs(): Percentiles {
    const ms = (p: number) => Math.round(this.percentile(p) / 10) / 100;
    return { p50: ms(50), p90: ms(90), p99: ms(99) };
  }
}
