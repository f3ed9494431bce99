import { EXTERNAL } from '../../model/index.ts';
import type { GatewayXds, MeshEvent, Micros, ResponseFlag, Where } from '../../model/index.ts';
import { Task } from './Task.ts';
import { matchDomain, orderFlags, proxyErrorFor } from '../proxy/index.ts';
import { cancelTimer } from './timers.ts';
import { countRequestStart } from './counting.ts';
import { retryReleased } from './gauges.ts';
import { finishAmbient } from './ambient.ts';
import type { PodRuntime, RequestState, World } from './World.ts';

/** The endpoints a request has tried so far, in order. */
export function attemptedHosts(req: RequestState): readonly string[] {
  const tried = req.attempted;
  return tried === undefined ? [] : typeof tried === 'string' ? [tried] : tried;
}

/** What a client (traffic generator or app) asks for. */
export type RequestSpec = Pick<RequestState, 'origin' | 'from' | 'fromWorkload' | 'namespace' | 'viaSidecar' | 'host' | 'port'> & {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The calling app dropped the trace headers it received. */
  untracedParent?: boolean;
  /** The name the client dialled (`users`, `users.default.svc.cluster.local`); the short service name when not given. */
  dialled?: string;
  /** The `:authority`, when the caller has it already (a call or traffic source made once). */
  authority?: string;
  /** `headers` is a fresh object with lower-case names, the request's own (no copy needed). */
  ownHeaders?: boolean;
  /** False when the caller knows no header it sends is one of Envoy's policy overrides (a plan worked that out once). */
  mayOverride?: boolean;
  /** The slot of the traffic or call plan it comes from (counting.ts). */
  plan?: number;
  /** The calling pod's runtime, when the caller has it in hand. */
  caller?: PodRuntime;
  /** App calls or shadow copies deep (0, traffic, when not given). */
  depth?: number;
  /** An outside client's TLS with the gateway: terminated there (a handshake to pay), or refused before any HTTP. */
  entry?: { handshake?: true; refused?: { detail: string; flag?: 'NR' }; forwarded?: true };
};

/** A new request in flight, registered in the world; the caller emits its start. */
export function createRequest(w: World, spec: Omit<RequestSpec, 'method' | 'path' | 'headers'>, head: RequestState['head']): RequestState {
  const caller = spec.caller ?? w.pods[spec.from];
  const req: RequestState = {
    id: ++w.nextId.request,
    origin: spec.origin,
    from: spec.from,
    fromWorkload: spec.fromWorkload,
    namespace: spec.namespace,
    viaSidecar: spec.viaSidecar,
    caller,
    sidecar: caller ? caller.proxy : w.proxies[spec.from],
    host: spec.host,
    port: spec.port,
    head,
    startedAt: w.now,
    done: false,
    // Every field is set here, so each request has one shape from birth.
    route: undefined,
    cluster: undefined,
    cr: undefined,
    retryPolicy: undefined,
    routeTimeout: 0,
    retriesLeft: 0,
    backoff: undefined,
    attempted: undefined,
    attemptCount: 0,
    currentAttempt: undefined,
    flags: NO_FLAGS,
    untracedParent: spec.untracedParent === true,
    mayOverride: spec.mayOverride !== false,
    plan: spec.plan ?? -1,
    depth: spec.depth ?? 0,
    routeTimer: undefined,
    retrySlot: undefined,
    result: undefined,
    tally: undefined,
  };
  w.requests.set(req.id, req);
  w.inFlight += 1;
  return req;
}

/**
 * The app dials the service; the kernel's capture hands the call to the
 * app's own sidecar over loopback (or, without a sidecar, straight to
 * kube-proxy's choice of pod).
 */
export function startRequest(w: World, spec: RequestSpec): RequestState {
  const headers = spec.ownHeaders ? spec.headers : lowerCased(spec.headers);
  const req = createRequest(w, spec, { method: spec.method, path: spec.path, authority: spec.authority ?? authorityOf(spec.dialled ?? shortHost(spec.host), spec.port), headers });
  const id = req.id;
  const o = spec.origin;
  if (w.counters) req.tally = countRequestStart(w, w.counters, req.plan, spec.fromWorkload, spec.host, o.kind === 'traffic' ? o.name : undefined);
  w.telemetry?.requestStarted(w.now, req);
  if (watching(w)) emitFor(w, req, callerWhere(req), {
    kind: 'request.start',
    origin: o.kind === 'app' ? { kind: 'app', parentId: o.parentId, call: o.call } : o,
    fromPod: spec.from,
    fromWorkload: spec.fromWorkload,
    viaSidecar: spec.viaSidecar,
    host: spec.host,
    port: spec.port,
    method: spec.method,
    path: spec.path,
    headers,
    ...(headers['traceparent'] ? { traceparent: headers['traceparent'] } : {}),
    ...(req.caller?.proxy?.xds.gateway ? { ingress: ingressOf(req.caller.proxy.xds.gateway, req.host, req.port, spec.entry) } : {}),
  });
  if (!spec.viaSidecar) w.queue.push(w.now, Task.requestDirect, id);
  // Under ambient the app's connection is captured by its node's ztunnel, not a sidecar (ambient.ts).
  else if (req.sidecar?.xds.ztunnel !== undefined) w.queue.push(w.now + w.costs.loopback + w.costs.ztunnelProcessing, Task.ztunnelOutbound, id);
  else if (spec.entry === undefined) w.queue.push(w.now + entryLeg(w, req) + w.costs.proxyProcessing, Task.requestOutbound, id);
  else if (spec.entry.refused) finishRequest(w, req, 0, spec.entry.refused.flag === 'NR' ? NR : NONE, spec.entry.refused.detail);
  // A gateway forwarding a request from the mesh (gatewayForward.ts) has it in hand already: only its own pass.
  else if (spec.entry.forwarded) w.queue.push(w.now + w.costs.proxyProcessing, Task.requestOutbound, id);
  else w.queue.push(w.now + entryLeg(w, req) + (spec.entry.handshake ? w.costs.tlsHandshake : 0) + w.costs.proxyProcessing, Task.requestOutbound, id);
  return req;
}

/**
 * Decides the request's final answer now; the caller's app sees it after the
 * response passes back through its sidecar. Idempotent by construction:
 * a request that is already done is never finished twice.
 */
export function finishRequest(w: World, req: RequestState, status: number, flags: ResponseFlag[], detail: string): void {
  if (req.done) return;
  req.done = true;
  cancelTimer(w, req.routeTimer);
  retryReleased(req);
  // A TCP proxy (a gateway's TLS passthrough or TCP server) has no HTTP to answer with: its own failure closes the connection.
  const answered = flags.length > 0 && req.route?.action.kind === 'route' && req.route.action.tcpProxy === true ? 0 : status;
  const plane = req.sidecar?.xds.dataPlane;
  req.result = plane === 'linkerd-proxy' ? linkerdResult(req, w.now, answered, flags, detail) : { status: answered, flags: mergeFlags(req.flags, flags), detail };
  if (plane === 'ztunnel' || plane === 'waypoint') return finishAmbient(w, req);
  // The answer passes back through the caller's sidecar to its app; a shadow's answer stops at the sidecar.
  const back = req.viaSidecar && req.origin.kind !== 'mirror' ? w.costs.proxyProcessing + entryLeg(w, req) : 0;
  w.queue.push(w.now + back, Task.requestDeliver, req.id);
}

/** A Linkerd proxy's answer carries its own word for a failure it made (§10), never Envoy's flags. */
function linkerdResult(req: RequestState, now: Micros, status: number, flags: ResponseFlag[], detail: string): NonNullable<RequestState['result']> {
  const error = proxyErrorFor(flags, req.routeTimeout > 0 && now - req.startedAt >= req.routeTimeout);
  return error ? { status, flags: NONE, detail: `${error}: ${detail}`, error } : { status, flags: NONE, detail };
}

export function deliverRequest(w: World, req: RequestState): void {
  const result = req.result;
  if (!result) return;
  w.inFlight -= 1;
  w.counters?.requestEnded(req.tally, result.status, result.flags, w.now - req.startedAt, req.attemptCount, result.error);
  w.telemetry?.requestEnded(w.now, req, result.status, result.flags);
  if (watching(w)) emitFor(w, req, callerWhere(req), {
    kind: 'request.end',
    status: result.status,
    flags: result.flags,
    ...(result.error ? { error: result.error } : {}),
    duration: w.now - req.startedAt,
    attempts: req.attemptCount,
    detail: result.detail,
  });
  w.requests.delete(req.id);
  for (const listener of w.listeners) listener(req);
}

export function callerWhere(req: RequestState): Where {
  // A shadow copy, or a request a gateway forwards from the mesh, starts and ends at the proxy.
  if (req.origin.kind === 'mirror' || (req.origin.kind === 'app' && req.caller?.pod.gateway === true)) return { kind: 'sidecar', pod: req.from };
  // An outside client: straight to a pod, or through a gateway proxy (whose pod is then `from`).
  return req.origin.kind === 'traffic' && (req.fromWorkload === EXTERNAL || req.caller?.pod.gateway === true)
    ? { kind: 'client', name: EXTERNAL }
    : { kind: 'app', pod: req.from };
}

/**
 * The leg between the client and the proxy that takes its request: loopback
 * from an app to its own sidecar, the network from an outside client to a
 * gateway proxy (plus, on the way in, the TLS handshake of a server that
 * terminates it: `startRequest`).
 */
function entryLeg(w: World, req: RequestState): Micros {
  // A request a gateway forwards from the mesh has no leg of its own: the gateway answers its caller over the wire.
  return req.caller?.pod.gateway ? (req.origin.kind === 'traffic' ? w.costs.wire : 0) : w.costs.loopback;
}

/** The gateway server that took a request on `port` (by the SNI, the host, on a TLS port), for the request's first event. */
function ingressOf(gateway: GatewayXds, host: string, port: number, entry: RequestSpec['entry']): NonNullable<Extract<MeshEvent, { kind: 'request.start' }>['ingress']> {
  const onPort = gateway.servers.filter((s) => s.port === port);
  const server = onPort.find((s) => s.sniHosts?.includes(host)) ?? onPort.find((s) => s.sniHosts !== undefined && matchDomain(host, s.sniHosts) !== undefined) ?? onPort[0];
  const mode = server?.tls;
  const tls = entry?.forwarded
    ? 'from inside the mesh: routed by the gateway\'s own config'
    : entry?.refused
    ? `refused before any HTTP: ${entry.refused.detail}`
    : mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL' || mode === 'ISTIO_MUTUAL'
      ? `client TLS terminated here (${mode}${mode === 'MUTUAL' ? ', client certificate checked' : ''}; handshake ${entry?.handshake ? 'paid on the way in' : 'not charged'}); routed as plain HTTP, upstream TLS as for any client proxy`
      : mode === 'PASSTHROUGH'
        ? `client TLS passed through unopened (PASSTHROUGH): routed by SNI ${host}, no HTTP seen here`
        : server?.protocol === 'TCP' || server?.protocol === 'TLS'
          ? 'a TCP server: bytes forwarded, no HTTP seen here'
          : 'plaintext from the client';
  return {
    gateway: server?.gateway ?? '',
    server: server?.path ?? '',
    listener: `0.0.0.0_${port}`,
    protocol: server?.protocol ?? 'HTTP',
    tls,
  };
}

type Detail = MeshEvent extends infer E ? (E extends MeshEvent ? Omit<E, 't' | 'requestId' | 'attempt' | 'where'> : never) : never;

/** Emits an event about `req` at the current time. */
export function emitFor(w: World, req: RequestState, where: Where, detail: Detail, attempt = req.attemptCount): void {
  const event = detail as MeshEvent;
  event.t = w.now;
  event.requestId = req.id;
  event.attempt = attempt;
  event.where = where;
  w.emit?.(event);
}

/**
 * Whether anyone reads events: call it where an event would be emitted,
 * before building it. It counts the event either way (the report's event
 * count); only a run with a sink pays for the event object.
 */
export function watching(w: World): boolean {
  w.eventCount += 1;
  return w.emit !== undefined;
}

/** Emits an event that is about the mesh rather than one request's hop. */
export function emitMesh(w: World, event: MeshEvent): void {
  w.emit?.(event);
}

const NO_FLAGS: readonly ResponseFlag[] = [];

/** No response flags: one frozen empty list shared by every answer that has none (nothing writes flag lists in place). */
export const NONE: ResponseFlag[] = Object.freeze([]) as unknown as ResponseFlag[];
const NR: ResponseFlag[] = Object.freeze(['NR']) as unknown as ResponseFlag[];

/** Union of two flag lists in Envoy's printing order (`b` itself when `a` adds nothing and `b` needs no ordering). */
export function mergeFlags(a: readonly ResponseFlag[], b: ResponseFlag[]): ResponseFlag[] {
  if (a.length === 0) return b.length <= 1 ? b : orderFlags(b);
  return orderFlags(a, b);
}

/** A copy of the headers with lower-case names (HTTP/2 and Envoy's matchers see them so). */
export function lowerCased(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in headers) out[k.toLowerCase()] = headers[k] as string;
  return out;
}

/** The `:authority` an HTTP client sends: the name it dialled, with the port unless it is HTTP's default 80. */
export function authorityOf(name: string, port: number): string {
  return port === 80 ? name : `${name}:${port}`;
}

function shortHost(fqdn: string): string {
  const i = fqdn.indexOf('.');
  return i < 0 ? fqdn : fqdn.slice(0, i);
}
