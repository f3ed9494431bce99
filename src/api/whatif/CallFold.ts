import type { MeshEvent, Micros, ResponseFlag } from '../../model/index.ts';
import { parseClusterName } from '../../model/index.ts';
import { LatencyHistogram } from '../../telemetry/index.ts';

/** What one kind of call (a source workload, a service, a route, …) did over a run. */
export interface CallStats {
  requests: number;
  /** Answers by `status flags` (`200`, `503 UH`, `reset UC` when no response came back). */
  answers: Map<string, number>;
  /** Requests by the subset their route picked (`-` for a cluster without subset, `no route`). */
  subsets: Map<string, number>;
  /** Requests by the route that matched them (`routeLabels`). */
  routes: Map<string, number>;
  /** Requests whose last attempt reached the callee's sidecar under mTLS, and in plaintext. */
  mtls: number;
  plaintext: number;
  /** Requests the callee's sidecar refused, by policy (or `PeerAuthentication STRICT`) and the reason it gave. */
  denied: Map<string, { count: number; reason: string }>;
  /** The reason the callee's sidecar gave for allowing, by reason. */
  allowed: Map<string, number>;
  /** Answers the caller can use: 1xx–3xx (a 403 or a 404 is not). */
  ok: number;
  /** Requests an attempt of which reached the callee's app (its sidecar let it through). */
  reached: number;
  latency: LatencyHistogram;
}

/** One request as the fold saw it, handed to `keyOf` to say which row it counts in. */
export interface FoldedRequest {
  source: string;
  host: string;
  port: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The route's label (`routeLabels`), `no route` when none matched. */
  route: string;
  startedAt: Micros;
  /** The traffic source that sent it; undefined for an app's own call. */
  traffic: string | undefined;
}

interface InFlight extends FoldedRequest {
  subset: string | undefined;
  mtls: boolean | undefined;
  denied: { policy: string; reason: string } | undefined;
  allowed: string | undefined;
  reached: boolean;
}

/**
 * Folds a run's event stream into statistics per kind of call, as `keyOf`
 * groups requests (undefined: not counted). Every request is counted once,
 * when it ends, with what its own events said: the route and subset the
 * caller's sidecar picked, whether its last attempt crossed the wire under
 * mTLS, and the verdict of the callee's sidecar.
 */
export class CallFold {
  readonly rows = new Map<string, { request: FoldedRequest; stats: CallStats }>();
  private readonly flight = new Map<number, InFlight>();

  constructor(
    private readonly labels: ReadonlyMap<string, string>,
    private readonly keyOf: (request: FoldedRequest) => string | undefined,
  ) {}

  /** Whether a request that started before `t` is still in flight. */
  inFlightSince(t: Micros): boolean {
    for (const r of this.flight.values()) if (r.startedAt < t) return true;
    return false;
  }

  readonly add = (e: MeshEvent): void => {
    if (e.kind === 'request.start') {
      if (e.origin.kind === 'mirror') return;
      this.flight.set(e.requestId, { source: e.fromWorkload, host: e.host, port: e.port, method: e.method, path: e.path, headers: e.headers, route: e.viaSidecar ? 'no route' : 'kube-proxy', startedAt: e.t, traffic: e.origin.kind === 'traffic' ? e.origin.name : undefined, subset: undefined, mtls: undefined, denied: undefined, allowed: undefined, reached: false });
      return;
    }
    const r = this.flight.get(e.requestId);
    if (!r) return;
    switch (e.kind) {
      case 'route.match':
        r.route = this.labels.get(`${e.virtualHost}|${e.route}`) ?? e.route;
        return;
      case 'route.cluster':
        r.subset ??= parseClusterName(e.cluster)?.subset ?? '-';
        return;
      case 'hop.arrive':
        r.mtls = e.mtls;
        return;
      case 'mtls.reject':
        // STRICT refuses plaintext; a sidecar told to DISABLE refuses the TLS it was sent.
        r.mtls = e.mode === 'DISABLE';
        r.denied = { policy: `PeerAuthentication ${e.mode}`, reason: e.reason };
        return;
      case 'authz.deny':
        r.denied = { policy: e.policy, reason: e.reason };
        return;
      case 'authz.allow':
        r.allowed = e.reason;
        return;
      case 'app.receive':
        r.reached = true;
        return;
      case 'request.end':
        this.flight.delete(e.requestId);
        return this.count(r, e.status, e.flags, e.duration);
      default:
        return;
    }
  };

  private count(r: InFlight, status: number, flags: readonly ResponseFlag[], duration: Micros): void {
    const key = this.keyOf(r);
    if (key === undefined) return;
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { request: r, stats: emptyStats() }));
    const s = row.stats;
    s.requests += 1;
    const code = status === 0 ? 'reset' : String(status);
    bump(s.answers, flags.length > 0 ? `${code} ${flags.join(',')}` : code);
    bump(s.subsets, r.subset ?? (r.route === 'no route' ? 'no route' : '-'));
    bump(s.routes, r.route);
    if (r.mtls === true) s.mtls += 1;
    else if (r.mtls === false) s.plaintext += 1;
    if (r.denied) {
      const d = s.denied.get(r.denied.policy);
      if (d) d.count += 1;
      else s.denied.set(r.denied.policy, { count: 1, reason: r.denied.reason });
    } else if (r.allowed !== undefined) {
      bump(s.allowed, r.allowed);
    }
    if (status > 0 && status < 400) s.ok += 1;
    if (r.reached) s.reached += 1;
    s.latency.record(duration);
  }
}

function emptyStats(): CallStats {
  return { requests: 0, answers: new Map(), subsets: new Map(), routes: new Map(), mtls: 0, plaintext: 0, denied: new Map(), allowed: new Map(), ok: 0, reached: 0, latency: new LatencyHistogram() };
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
