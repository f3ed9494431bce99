import type { MeshEvent, Pod, ResponseFlag } from '../model/index.ts';
import { LatencyHistogram } from './LatencyHistogram.ts';
import type { SimulationReport } from './SimulationReport.ts';

interface Tally {
  count: number;
  byCode: Record<string, number>;
  byFlags: Record<string, number>;
  latency: LatencyHistogram;
}

/**
 * Folds the event stream into the `simulate` report. Holds only counters,
 * histograms and the ids of requests still in flight, so memory does not grow
 * with the length of the run.
 */
export class SummaryCollector {
  private readonly trafficOf = new Map<number, string>();
  private readonly callOf = new Map<number, string>();
  private readonly calls = new Map<string, Tally & { source: string; destinationService: string }>();
  private readonly traffic = new Map<string, Tally & { sent: number }>();
  private readonly edges = new Map<string, Tally & { source: string; destination: string; destinationService: string }>();
  private readonly openEjections = new Map<string, SimulationReport['ejections'][number]>();
  private readonly ejections: SimulationReport['ejections'] = [];
  private readonly received = new Map<string, number>();
  private readonly all: Tally = tally();
  private retries = 0;
  private events = 0;

  constructor(private readonly pods: readonly Pod[], trafficNames: readonly string[] = []) {
    for (const name of trafficNames) this.traffic.set(name, { ...tally(), sent: 0 });
  }

  readonly add = (e: MeshEvent): void => {
    this.events += 1;
    switch (e.kind) {
      case 'request.start':
        this.callOf.set(e.requestId, `${e.fromWorkload}|${e.host}`);
        if (e.origin.kind === 'traffic') {
          this.trafficOf.set(e.requestId, e.origin.name);
          this.trafficTally(e.origin.name).sent += 1;
        }
        return;
      case 'request.end': {
        this.countCall(e.requestId, e.status, e.flags, e.duration);
        const name = this.trafficOf.get(e.requestId);
        if (name === undefined) return;
        this.trafficOf.delete(e.requestId);
        count(this.trafficTally(name), e.status, e.flags, e.duration);
        count(this.all, e.status, e.flags, e.duration);
        return;
      }
      case 'inbound.complete': {
        const key = `${e.sourceWorkload}|${e.destinationWorkload}|${e.destinationService}`;
        let edge = this.edges.get(key);
        if (!edge) {
          edge = { ...tally(), source: e.sourceWorkload, destination: e.destinationWorkload, destinationService: e.destinationService };
          this.edges.set(key, edge);
        }
        count(edge, e.status, [], e.duration);
        return;
      }
      case 'hop.arrive':
        this.received.set(e.pod, (this.received.get(e.pod) ?? 0) + 1);
        return;
      case 'retry.backoff':
        this.retries += 1;
        return;
      case 'outlier.eject': {
        const entry = { client: e.clientPod, endpoint: e.endpoint, cluster: e.cluster, atMs: e.t / 1000, durationMs: null };
        this.ejections.push(entry);
        this.openEjections.set(`${e.clientPod}|${e.cluster}|${e.endpoint}`, entry);
        return;
      }
      case 'outlier.uneject': {
        const key = `${e.clientPod}|${e.cluster}|${e.endpoint}`;
        const entry = this.openEjections.get(key);
        if (entry) entry.durationMs = e.ejectedFor / 1000;
        this.openEjections.delete(key);
        return;
      }
      default:
        return;
    }
  };

  report(seed: number, durationMs: number): SimulationReport {
    const sorted = <T>(m: Record<string, T>) => Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
    return {
      seed,
      durationMs,
      requests: { total: this.all.count, byCode: sorted(this.all.byCode), byFlags: sorted(this.all.byFlags), unfinished: this.trafficOf.size },
      traffic: [...this.traffic.entries()].map(([name, t]) => ({
        name,
        sent: t.sent,
        completed: t.count,
        byCode: sorted(t.byCode),
        byFlags: sorted(t.byFlags),
        latencyMs: t.latency.percentilesMs(),
      })),
      edges: [...this.edges.values()]
        .sort((a, b) => `${a.source}|${a.destination}`.localeCompare(`${b.source}|${b.destination}`))
        .map((edge) => ({
          source: edge.source,
          destination: edge.destination,
          destinationService: edge.destinationService,
          requests: edge.count,
          byCode: sorted(edge.byCode),
          latencyMs: edge.latency.percentilesMs(),
        })),
      calls: [...this.calls.values()]
        .sort((a, b) => `${a.source}|${a.destinationService}`.localeCompare(`${b.source}|${b.destinationService}`))
        .map((c) => ({
          source: c.source,
          destinationService: c.destinationService,
          requests: c.count,
          byCode: sorted(c.byCode),
          byFlags: sorted(c.byFlags),
          latencyMs: c.latency.percentilesMs(),
        })),
      ejections: this.ejections,
      retries: this.retries,
      pods: this.pods.map((p) => ({ name: p.name, workload: p.workload, received: this.received.get(p.name) ?? 0 })),
      events: this.events,
    };
  }

  private countCall(requestId: number, status: number, flags: readonly ResponseFlag[], duration: number): void {
    const key = this.callOf.get(requestId);
    if (key === undefined) return;
    this.callOf.delete(requestId);
    let call = this.calls.get(key);
    if (!call) {
      const [source = '', destinationService = ''] = key.split('|');
      call = { ...tally(), source, destinationService };
      this.calls.set(key, call);
    }
    count(call, status, flags, duration);
  }

  private trafficTally(name: string): Tally & { sent: number } {
    let t = this.traffic.get(name);
    if (!t) {
      t = { ...tally(), sent: 0 };
      this.traffic.set(name, t);
    }
    return t;
  }
}

function tally(): Tally {
  return { count: 0, byCode: {}, byFlags: {}, latency: new LatencyHistogram() };
}

function count(t: Tally, status: number, flags: readonly ResponseFlag[], duration: number): void {
  t.count += 1;
  const code = String(status);
  t.byCode[code] = (t.byCode[code] ?? 0) + 1;
  const key = flags.length ? flags.join(',') : '-';
  t.byFlags[key] = (t.byFlags[key] ?? 0) + 1;
  t.latency.record(duration);
}
