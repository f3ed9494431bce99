import type { MeshEvent, Micros } from '../../model/index.ts';

/** One point per this much simulated time. */
export const CHART_STEP: Micros = 1_000_000;
/** Points kept (and drawn): the last two minutes of simulated time. */
const KEPT = 120;

interface Bucket {
  /** Calls ended, by the answer's status code (0: none). */
  codes: Map<number, number>;
  /** Latencies of the requests sent from the controls or the story's traffic, in µs. */
  latencies: number[];
  retries: number;
  ejections: number;
  percentiles?: { p50: number; p99: number };
}

/** What the live charts draw, oldest first, one entry per second of simulated time. */
export interface ChartData {
  /** Seconds of simulated time at each point's start. */
  t: number[];
  /** Calls per second by status code (`0`: no answer), codes in ascending order. */
  byCode: Array<{ code: number; perSecond: number[] }>;
  /** The senders' latency in ms (null in a second without answers). */
  p50: Array<number | null>;
  p99: Array<number | null>;
  retries: number[];
  ejections: number[];
}

/**
 * Folds revealed events into per-second buckets for the live charts: every
 * call's answer as its caller got it (any depth), the latency the senders
 * saw (p50 and p99 per second, as the stat row's), retries granted and
 * ejections. Keeps the last two minutes.
 */
export class ChartSeries {
  private readonly buckets = new Map<number, Bucket>();
  private readonly roots = new Set<number>();

  add(e: MeshEvent): void {
    switch (e.kind) {
      case 'request.start':
        if (e.origin.kind === 'traffic') this.roots.add(e.requestId);
        return;
      case 'request.end': {
        const b = this.bucket(e.t);
        b.codes.set(e.status, (b.codes.get(e.status) ?? 0) + 1);
        if (this.roots.delete(e.requestId)) {
          b.latencies.push(e.duration);
          b.percentiles = undefined;
        }
        return;
      }
      case 'retry.backoff':
        this.bucket(e.t).retries += 1;
        return;
      case 'outlier.eject':
        this.bucket(e.t).ejections += 1;
        return;
      default:
        return;
    }
  }

  /** The whole seconds of the two minutes before `now` (the second under way is left out: it would dip); seconds without events are zeros. */
  data(now: Micros): ChartData {
    const last = Math.floor(now / CHART_STEP) - 1;
    const first = Math.max(0, last - KEPT + 1);
    const codes = [...new Set([...this.buckets.values()].flatMap((b) => [...b.codes.keys()]))].sort((a, b) => a - b);
    const out: ChartData = { t: [], byCode: codes.map((code) => ({ code, perSecond: [] })), p50: [], p99: [], retries: [], ejections: [] };
    for (let i = first; i <= last; i++) {
      const b = this.buckets.get(i);
      out.t.push((i * CHART_STEP) / 1_000_000);
      out.byCode.forEach((s) => s.perSecond.push(b?.codes.get(s.code) ?? 0));
      const p = b ? percentilesOf(b) : undefined;
      out.p50.push(p ? p.p50 : null);
      out.p99.push(p ? p.p99 : null);
      out.retries.push(b?.retries ?? 0);
      out.ejections.push(b?.ejections ?? 0);
    }
    return out;
  }

  private bucket(t: Micros): Bucket {
    const i = Math.floor(t / CHART_STEP);
    let b = this.buckets.get(i);
    if (!b) {
      this.buckets.set(i, (b = { codes: new Map(), latencies: [], retries: 0, ejections: 0 }));
      for (const old of this.buckets.keys()) if (old <= i - KEPT) this.buckets.delete(old);
    }
    return b;
  }
}

/** Nearest-rank percentiles of a second's latencies, in ms (computed once per second, again only when it grows). */
function percentilesOf(b: Bucket): { p50: number; p99: number } | undefined {
  if (b.latencies.length === 0) return undefined;
  if (!b.percentiles) {
    const sorted = Float64Array.from(b.latencies).sort();
    const rank = (p: number) => (sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number) / 1000;
    b.percentiles = { p50: rank(50), p99: rank(99) };
  }
  return b.percentiles;
}
