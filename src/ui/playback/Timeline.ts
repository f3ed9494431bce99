import type { Micros } from '../../model/index.ts';

/**
 * Virtual µs per "beat" below which playback is linear. Gaps between
 * consecutive moments in the mesh are shown as `unit · ln(1 + gap / unit)`
 * beats: a 100 µs wire crossing stays visible next to a 5 ms app dwell, and
 * a 30 s ejection does not take 30 s to watch. Dense traffic (gaps ≪ unit)
 * plays linearly, so many requests keep their true relative timing.
 */
export const WARP_UNIT: Micros = 100;

export function warp(gap: Micros, unit = WARP_UNIT): number {
  return unit * Math.log1p(Math.max(0, gap) / unit);
}

export function unwarp(beats: number, unit = WARP_UNIT): Micros {
  return unit * Math.expm1(Math.max(0, beats) / unit);
}

/**
 * The monotonic map between virtual time (t, integer µs) and display time
 * (τ, beats). Knots are the moments something happened in the engine; they
 * are only ever appended, so the τ of a past moment never changes.
 */
export class Timeline {
  private times: number[];
  private taus: number[];

  constructor(start: Micros = 0, private readonly unit = WARP_UNIT) {
    this.times = [start];
    this.taus = [0];
  }

  get lastTime(): Micros {
    return this.times[this.times.length - 1] as number;
  }

  get lastTau(): number {
    return this.taus[this.taus.length - 1] as number;
  }

  get firstTau(): number {
    return this.taus[0] as number;
  }

  get size(): number {
    return this.times.length;
  }

  /** Appends a knot at `t` (not before the last one) and returns its τ. */
  commit(t: Micros): number {
    if (t < this.lastTime) throw new Error(`timeline knots are appended in order: ${t} < ${this.lastTime}`);
    if (t === this.lastTime) return this.lastTau;
    const tau = this.lastTau + warp(t - this.lastTime, this.unit);
    this.times.push(t);
    this.taus.push(tau);
    return tau;
  }

  /** τ of a moment; between knots the gap is warped from the earlier knot. */
  tauAt(t: Micros): number {
    const i = lastAtOrBefore(this.times, t);
    if (i < 0) return this.firstTau;
    const tau = (this.taus[i] as number) + warp(t - (this.times[i] as number), this.unit);
    const next = this.taus[i + 1];
    return next === undefined ? tau : Math.min(tau, next);
  }

  /** Virtual time shown at display time τ (fractional µs; callers floor it for the engine). */
  timeAt(tau: number): Micros {
    const i = lastAtOrBefore(this.taus, tau);
    if (i < 0) return this.times[0] as number;
    const t = (this.times[i] as number) + unwarp(tau - (this.taus[i] as number), this.unit);
    const next = this.times[i + 1];
    return next === undefined ? t : Math.min(t, next);
  }

  /** τ of the first knot strictly after τ, if any is committed. */
  nextKnotTau(tau: number): number | undefined {
    return this.taus[lastAtOrBefore(this.taus, tau) + 1];
  }

  /** Forgets knots before τ, keeping the one at or before it so later lookups stay exact. */
  pruneBefore(tau: number): void {
    const i = lastAtOrBefore(this.taus, tau);
    if (i <= 0) return;
    this.times = this.times.slice(i);
    this.taus = this.taus.slice(i);
  }
}

/** Index of the last element ≤ x in an ascending array, or −1. */
function lastAtOrBefore(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
