/**
 * One metric family and its series, cumulative over the run, written in
 * either exposition format: Prometheus text 0.0.4 (what a sidecar's
 * `/stats/prometheus` serves) or OpenMetrics 1.0 (what
 * `promtool tsdb create-blocks-from openmetrics` reads).
 */
export type FamilyType = 'counter' | 'gauge' | 'histogram';

/**
 * Envoy's default histogram bucket bounds (ms for durations, bytes for
 * sizes): `HistogramSettingsImpl::defaultBuckets`, Envoy src
 * source/common/stats/histogram_impl.cc (mesh-semantics §8.2). Istio sets
 * none of its own.
 */
export const ENVOY_BUCKETS: readonly number[] = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

export interface Series {
  /** `{a="b",…}` as written (empty string: no labels). */
  labels: string;
  /** Counter or gauge value; for a histogram, the sum. */
  value: number;
  /** Histogram only: per bucket (not cumulative), the last for +Inf. */
  buckets: Float64Array | undefined;
  /** Histogram only: the family's upper bounds, without +Inf. */
  bounds: readonly number[];
  count: number;
  /** Bucket lines' label prefixes, made once: `{a="b",le="0.5"}`. */
  bucketLabels: string[] | undefined;
  /** Whether this series has been written in an earlier scrape. */
  written: boolean;
}

export class MetricFamily {
  readonly series = new Map<string, Series>();

  constructor(
    /** The name as Prometheus text and PromQL know it (`istio_requests_total`). */
    readonly name: string,
    readonly type: FamilyType,
    readonly help: string,
    /**
     * OpenMetrics requires counters' samples to end in `_total`: a counter
     * named so is written as family `name` less `_total`; Envoy's counters
     * (no `_total`) are written with type `unknown`, so PromQL sees the
     * same names as from a live Envoy.
     */
    private readonly openMetricsType: FamilyType | 'unknown' = type,
    /** A histogram's upper bucket bounds (without +Inf): Envoy's unless a proxy has its own. */
    private readonly bounds: readonly number[] = ENVOY_BUCKETS,
  ) {}

  /** The series for `labels`, made on first use. */
  at(key: string, labels: () => string): Series {
    let s = this.series.get(key);
    if (!s) {
      const text = labels();
      s = { labels: text, value: 0, buckets: undefined, bounds: this.bounds, count: 0, bucketLabels: undefined, written: false };
      if (this.type === 'histogram') {
        s.buckets = new Float64Array(this.bounds.length + 1);
        const prefix = text === '' ? '{' : `${text.slice(0, -1)},`;
        s.bucketLabels = [...this.bounds.map((b) => `${prefix}le="${b}"}`), `${prefix}le="+Inf"}`];
      }
      this.series.set(key, s);
    }
    return s;
  }

  /**
   * Appends the family at one scrape. `timestamp` (seconds, OpenMetrics
   * only) is written on every sample; a series new since the last scrape
   * also gets a zero sample at `previous`, as a counter that existed at 0
   * would have had (so `increase()` counts its first requests).
   */
  write(out: string[], openMetrics: boolean, timestamp?: string, previous?: string): void {
    if (this.series.size === 0) return;
    const om = openMetrics && this.openMetricsType !== this.type ? this.openMetricsType : this.type;
    const family = openMetrics && om === 'counter' && this.name.endsWith('_total') ? this.name.slice(0, -6) : this.name;
    out.push(`# HELP ${family} ${this.help}\n# TYPE ${family} ${om}\n`);
    const ts = timestamp === undefined ? '\n' : ` ${timestamp}\n`;
    const zero = previous === undefined ? undefined : ` 0 ${previous}\n`;
    for (const s of this.series.values()) {
      const fresh = zero !== undefined && !s.written && this.type !== 'gauge';
      s.written = true;
      if (!s.buckets || !s.bucketLabels) {
        if (fresh) out.push(`${this.name}${s.labels}${zero}`);
        out.push(`${this.name}${s.labels} ${s.value}${ts}`);
        continue;
      }
      let cumulative = 0;
      for (let i = 0; i < s.buckets.length; i++) {
        cumulative += s.buckets[i] as number;
        if (fresh) out.push(`${this.name}_bucket${s.bucketLabels[i]}${zero}`);
        out.push(`${this.name}_bucket${s.bucketLabels[i]} ${cumulative}${ts}`);
      }
      if (fresh) out.push(`${this.name}_sum${s.labels}${zero}${this.name}_count${s.labels}${zero}`);
      out.push(`${this.name}_sum${s.labels} ${round(s.value)}${ts}${this.name}_count${s.labels} ${s.count}${ts}`);
    }
  }
}

/** Adds one observation to a histogram series. */
export function observe(s: Series, value: number): void {
  const buckets = s.buckets as Float64Array;
  const bounds = s.bounds;
  let i = 0;
  while (i < bounds.length && value > (bounds[i] as number)) i++;
  buckets[i] = (buckets[i] as number) + 1;
  s.value += value;
  s.count += 1;
}

/** Sums to the microsecond's precision, so float noise does not show. */
function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** `{a="b",c="d"}` with Prometheus' escaping of `\`, `"` and newlines. */
export function labelText(pairs: ReadonlyArray<readonly [string, string]>): string {
  if (pairs.length === 0) return '';
  let text = '{';
  for (let i = 0; i < pairs.length; i++) {
    const [k, v] = pairs[i] as readonly [string, string];
    text += `${i ? ',' : ''}${k}="${escape(v)}"`;
  }
  return `${text}}`;
}

function escape(v: string): string {
  return /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;
}

/**
 * Istio's four TCP counters (opened, closed, received, sent): what a ztunnel
 * and an Envoy TCP proxy report of a connection (help as ztunnel words it).
 */
export function tcpFamilies(): MetricFamily[] {
  return [
    new MetricFamily('istio_tcp_connections_opened_total', 'counter', 'The total number of TCP connections opened'),
    new MetricFamily('istio_tcp_connections_closed_total', 'counter', 'The total number of TCP connections closed'),
    new MetricFamily('istio_tcp_received_bytes_total', 'counter', 'The size of total bytes received during request in case of a TCP connection'),
    new MetricFamily('istio_tcp_sent_bytes_total', 'counter', 'The size of total bytes sent during response in case of a TCP connection'),
  ];
}
