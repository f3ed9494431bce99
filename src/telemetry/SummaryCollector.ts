import type { EdgeTally, MeshEvent, Pod, ProxyError, RequestTally, ResponseFlag, RunCounters } from '../model/index.ts';
import { FateTally } from './fate.ts';
import { LatencyHistogram } from './LatencyHistogram.ts';
import type { SimulationReport } from './SimulationReport.ts';

/**
 * Counts of answers: by status, by flags, and their latency. Every tally is
 * one of these (a call's, a traffic source's, an edge's, the whole run's),
 * the other facts of each kind beside it, so the counting below reads one
 * shape of object, whatever it counts toward.
 */
class Tally {
  count = 0;
  /** Counts by status code (index = status), zeros for codes never seen: a packed array from the start (a sparse one turns into a slow dictionary). */
  readonly byCode: number[] = statusCounts();
  /** Answers with no response flag (the common case, counted without a lookup). */
  noFlags = 0;
  readonly byFlags = new Map<string, number>();
  readonly latency = new LatencyHistogram();
}

/** What a traffic source's requests count toward: with their fates. */
interface TrafficTally {
  tally: Tally;
  sent: number;
  fate: FateTally;
}

/** What one request counts toward: the caller's call tally, and its traffic source's when a traffic source sent it. Made once per pair. */
interface Counted {
  call: Tally;
  traffic: TrafficTally | undefined;
}

interface CallTally {
  tally: Tally;
  source: string;
  destinationService: string;
  byTraffic: Map<string, Counted>;
  alone: Counted;
}

interface EdgeCounts {
  tally: Tally;
  source: string;
  destination: string;
  destinationService: string;
}

/**
 * Folds the event stream into the `simulate` report. Holds only counters,
 * histograms and the ids of requests still in flight, so memory does not grow
 * with the length of the run.
 */
export class SummaryCollector implements RunCounters {
  /** For the event fold only: what each request in flight counts toward. */
  private readonly startedAs = new Map<number, Counted>();
  private readonly calls = new Map<string, Map<string, CallTally>>();
  private readonly traffic = new Map<string, TrafficTally>();
  private readonly edges = new Map<string, Map<string, Map<string, EdgeCounts>>>();
  private readonly openEjections = new Map<string, SimulationReport['ejections'][number]>();
  private readonly ejections: SimulationReport['ejections'] = [];
  private readonly received = new Map<string, number>();
  /** The whole run's answers (its latency is not reported: the traffic sources' are). */
  private readonly all = new Tally();
  private readonly fate = new FateTally();
  private retries = 0;
  private events = 0;

  constructor(private readonly pods: readonly Pod[], trafficNames: readonly string[] = []) {
    for (const name of trafficNames) this.traffic.set(name, trafficTally());
  }

  /** Folds one event of the full stream (the same counts as the `RunCounters` calls the engine makes without a sink). */
  readonly add = (e: MeshEvent): void => {
    this.events += 1;
    switch (e.kind) {
      case 'request.start':
        const tally = this.requestTally(e.fromWorkload, e.host, e.origin.kind === 'traffic' ? e.origin.name : undefined);
        this.requestStarted(tally);
        this.startedAs.set(e.requestId, tally as Counted);
        // An outside client's request reaches its ingress gateway pod here (the engine counts it where it enters: traffic.ts).
        if (e.ingress && e.origin.kind === 'traffic') this.hopArrived(e.fromPod);
        return;
      case 'request.end': {
        const counted = this.startedAs.get(e.requestId);
        if (!counted) return;
        this.startedAs.delete(e.requestId);
        return this.requestEnded(counted, e.status, e.flags, e.duration, e.attempts, e.error);
      }
      case 'inbound.complete':
        return this.inboundCompleted(this.edgeTally(e.sourceWorkload, e.destinationWorkload, e.destinationService), e.status, e.duration);
      case 'hop.arrive':
        return this.hopArrived(e.pod);
      case 'retry.backoff':
        return this.retried();
      case 'outlier.eject':
        return this.ejected(e.clientPod, e.cluster, e.endpoint, e.t);
      case 'outlier.uneject':
        return this.unejected(e.clientPod, e.cluster, e.endpoint, e.ejectedFor);
      case 'accrual.unavailable':
        // Linkerd knows the back-off when it starts: the period is counted whole at once.
        this.ejected(e.clientPod, e.cluster, e.endpoint, e.t);
        return this.unejected(e.clientPod, e.cluster, e.endpoint, e.duration);
      default:
        return;
    }
  };

  requestTally(fromWorkload: string, host: string, traffic: string | undefined): Counted {
    const call = this.callTally(fromWorkload, host);
    if (traffic === undefined) return call.alone;
    let counted = call.byTraffic.get(traffic);
    if (!counted) call.byTraffic.set(traffic, (counted = { call: call.tally, traffic: this.trafficTally(traffic) }));
    return counted;
  }

  requestStarted(tally: RequestTally): void {
    const traffic = (tally as Counted).traffic;
    if (traffic) traffic.sent += 1;
  }

  requestEnded(tally: RequestTally, status: number, envoyFlags: readonly ResponseFlag[], duration: number, attempts: number, error?: ProxyError): void {
    // A request that started before these counters were attached (a restored snapshot) has none.
    if (tally === undefined) return;
    // A Linkerd proxy's word stands where Envoy's flags would.
    const flags: readonly string[] = error === undefined ? envoyFlags : [error];
    const { call, traffic } = tally as Counted;
    count(call, status, flags, duration);
    if (!traffic) return;
    count(traffic.tally, status, flags, duration);
    traffic.fate.add(status, envoyFlags, attempts, error);
    countCodes(this.all, status, flags);
    this.fate.add(status, envoyFlags, attempts, error);
  }

  edgeTally(sourceWorkload: string, destinationWorkload: string, destinationService: string): EdgeTally {
    let bySource = this.edges.get(sourceWorkload);
    if (!bySource) this.edges.set(sourceWorkload, (bySource = new Map()));
    let byDestination = bySource.get(destinationWorkload);
    if (!byDestination) bySource.set(destinationWorkload, (byDestination = new Map()));
    let edge = byDestination.get(destinationService);
    if (!edge) byDestination.set(destinationService, (edge = { tally: new Tally(), source: sourceWorkload, destination: destinationWorkload, destinationService }));
    return edge;
  }

  inboundCompleted(edge: EdgeTally, status: number, duration: number): void {
    count((edge as EdgeCounts).tally, status, NO_FLAGS, duration);
  }

  /** `hop.arrive`, in the event fold (a run without events reports the engine's own counts: `report`'s `received`). */
  hopArrived(pod: string): void {
    this.received.set(pod, (this.received.get(pod) ?? 0) + 1);
  }

  retried(): void {
    this.retries += 1;
  }

  ejected(clientPod: string, cluster: string, endpoint: string, at: number): void {
    const entry = { client: clientPod, endpoint, cluster, atMs: at / 1000, durationMs: null };
    this.ejections.push(entry);
    this.openEjections.set(`${clientPod}|${cluster}|${endpoint}`, entry);
  }

  unejected(clientPod: string, cluster: string, endpoint: string, ejectedFor: number): void {
    const key = `${clientPod}|${cluster}|${endpoint}`;
    const entry = this.openEjections.get(key);
    if (entry) entry.durationMs = ejectedFor / 1000;
    this.openEjections.delete(key);
  }

  /**
   * `events`: how many events the run emitted, and `received`: attempts that
   * reached each pod — given when the engine counted them (a run without a sink).
   */
  report(seed: number, durationMs: number, events = this.events, received: (pod: string) => number = (pod) => this.received.get(pod) ?? 0): SimulationReport {
    const sorted = (m: number[] | Map<string, number>): Record<string, number> => {
      const entries: Array<[string, number]> = Array.isArray(m) ? m.flatMap((n, code) => (n ? [[String(code), n] as [string, number]] : [])) : [...m];
      return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
    };
    return {
      seed,
      durationMs,
      requests: { total: this.all.count, byCode: sorted(this.all.byCode), byFlags: sorted(flagCounts(this.all)), unfinished: [...this.traffic.values()].reduce((n, t) => n + t.sent - t.tally.count, 0), fate: this.fate.counts() },
      traffic: [...this.traffic.entries()].map(([name, { tally: t, sent, fate }]) => ({
        name,
        sent,
        completed: t.count,
        byCode: sorted(t.byCode),
        byFlags: sorted(flagCounts(t)),
        fate: fate.counts(),
        latencyMs: t.latency.percentilesMs(),
      })),
      edges: [...this.edges.values()]
        .flatMap((m) => [...m.values()].flatMap((n) => [...n.values()]))
        .sort((a, b) => `${a.source}|${a.destination}`.localeCompare(`${b.source}|${b.destination}`))
        .map((edge) => ({
          source: edge.source,
          destination: edge.destination,
          destinationService: edge.destinationService,
          requests: edge.tally.count,
          byCode: sorted(edge.tally.byCode),
          latencyMs: edge.tally.latency.percentilesMs(),
        })),
      calls: [...this.calls.values()]
        .flatMap((m) => [...m.values()])
        .sort((a, b) => `${a.source}|${a.destinationService}`.localeCompare(`${b.source}|${b.destinationService}`))
        .map((c) => ({
          source: c.source,
          destinationService: c.destinationService,
          requests: c.tally.count,
          byCode: sorted(c.tally.byCode),
          byFlags: sorted(flagCounts(c.tally)),
          latencyMs: c.tally.latency.percentilesMs(),
        })),
      ejections: this.ejections,
      retries: this.retries,
      pods: this.pods.map((p) => ({ name: p.name, workload: p.workload, received: received(p.name) })),
      events,
    };
  }

  private callTally(source: string, destinationService: string): CallTally {
    let bySource = this.calls.get(source);
    if (!bySource) this.calls.set(source, (bySource = new Map()));
    let call = bySource.get(destinationService);
    if (!call) {
      const counts = new Tally();
      const made: CallTally = { tally: counts, source, destinationService, byTraffic: new Map(), alone: { call: counts, traffic: undefined } };
      bySource.set(destinationService, (call = made));
    }
    return call;
  }

  private trafficTally(name: string): TrafficTally {
    let t = this.traffic.get(name);
    if (!t) this.traffic.set(name, (t = trafficTally()));
    return t;
  }
}

function trafficTally(): TrafficTally {
  return { tally: new Tally(), sent: 0, fate: new FateTally() };
}

/** One counter per HTTP status (0 = no response); a code beyond 599 still counts, in a slot added for it. */
function statusCounts(): number[] {
  return new Array<number>(600).fill(0);
}

function count(t: Tally, status: number, flags: readonly string[], duration: number): void {
  countCodes(t, status, flags);
  t.latency.record(duration);
}

const NO_FLAGS: readonly ResponseFlag[] = [];

/** Counts by flag set, `-` for none, as the report lists them. */
function flagCounts(t: Tally): Map<string, number> {
  const counts = new Map(t.byFlags);
  if (t.noFlags > 0) counts.set('-', t.noFlags);
  return counts;
}

/** Codes and flags only (the report's overall line has no latency). */
function countCodes(t: Tally, status: number, flags: readonly string[]): void {
  t.count += 1;
  t.byCode[status] = (t.byCode[status] ?? 0) + 1;
  if (flags.length === 0) {
    t.noFlags += 1;
    return;
  }
  const key = flags.length === 1 ? (flags[0] as string) : flags.join(',');
  t.byFlags.set(key, (t.byFlags.get(key) ?? 0) + 1);
}
