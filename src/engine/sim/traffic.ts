import { EXTERNAL } from '../../model/index.ts';
import { Task } from './Task.ts';
import type { FailureTarget, TrafficSpec } from '../../model/index.ts';
import { isOverrideHeader } from '../proxy/index.ts';
import { lowerCased, startRequest } from './request.ts';
import type { PodRuntime, RequestState, ResolvedAddress, World } from './World.ts';

/** A request a person or a load generator sends. `from` is a workload, a pod, or `external`. */
export interface SendSpec {
  from: string;
  host: string;
  port?: number;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  /** Names the traffic this request belongs to (for reports). */
  traffic?: string;
  /** An outside client presents a client certificate (a gateway server in MUTUAL mode asks for one). */
  clientCertificate?: boolean;
}

const HANDSHAKE = Object.freeze({ handshake: true as const });
const CERTIFICATE_REQUIRED = Object.freeze({ refused: { detail: 'the gateway server requires a client certificate (MUTUAL), and this client presents none: the TLS handshake fails' } });

/** Starts one request now; throws on a caller or address that does not exist (callers validate first). */
export function sendRequest(w: World, spec: SendSpec, pick = 0, plan?: TrafficPlan): RequestState {
  const origin = plan?.origin ?? { kind: 'traffic' as const, name: spec.traffic ?? 'send' };
  const method = spec.method ?? 'GET';
  const path = spec.path ?? '/';
  const headers = plan ? ownCopy(plan.headers) : (spec.headers ?? NO_HEADERS);
  const ownHeaders = plan !== undefined;
  const mayOverride = plan?.overrides;
  const slot = plan?.slot;
  if (spec.from === EXTERNAL) {
    const target = plan?.target ?? w.resolve('default', spec.host, spec.port, true);
    if (!target) throw new Error(`unknown destination ${spec.host}`);
    if (target.ingress) {
      // Through the ingress gateway: its proxy takes the request as a sidecar takes its app's (outbound only), and is its source to the mesh.
      const gateways = plan?.pods ?? gatewayPods(w, target.ingress);
      const gateway = gateways[pick % Math.max(gateways.length, 1)];
      if (!gateway) throw new Error(`no gateway proxy listens for ${spec.host}`);
      // The outside client's connection reaches the gateway pod: it counts as received there, as a sidecar's inbound does.
      gateway.received += 1;
      // The resolved address carries its own refusal, so no entry object is made per request.
      const entry = target.refused ? target : target.clientCertificate && spec.clientCertificate !== true ? CERTIFICATE_REQUIRED : target.handshake ? HANDSHAKE : undefined;
      return startRequest(w, { origin, from: gateway.pod.name, fromWorkload: gateway.pod.workload, namespace: gateway.pod.namespace, viaSidecar: true, host: target.host, port: target.port, dialled: spec.host, authority: plan?.authority, method, path, headers, ownHeaders, mayOverride, plan: slot, caller: gateway, entry });
    }
    return startRequest(w, { origin, from: EXTERNAL, fromWorkload: EXTERNAL, namespace: 'default', viaSidecar: false, host: target.host, port: target.port, dialled: spec.host, authority: plan?.authority, method, path, headers, ownHeaders, mayOverride, plan: slot });
  }
  const pods = plan?.pods ?? sourcePods(w, spec.from);
  const pod = pods[pick % Math.max(pods.length, 1)];
  if (!pod) throw new Error(`unknown workload or pod ${spec.from}`);
  const p = pod.pod;
  const target = plan?.target ?? w.resolve(p.namespace, spec.host, spec.port);
  if (!target) throw new Error(`unknown destination ${spec.host}`);
  // The fields of an app call's spec, in its order (app.ts `issueCall`): startRequest sees one shape.
  return startRequest(w, { origin, from: p.name, fromWorkload: p.workload, namespace: p.namespace, viaSidecar: p.sidecar, host: target.host, port: target.port, dialled: spec.host, authority: plan?.authority, method, path, headers, ownHeaders, mayOverride, plan: slot, caller: pod, depth: 0, untracedParent: false });
}

function gatewayPods(w: World, names: readonly string[]): PodRuntime[] {
  return names.flatMap((name) => w.pods[name] ?? []);
}

/** The pods a source names: a workload's, in scenario order, or the one pod it names. */
function sourcePods(w: World, from: string): PodRuntime[] {
  const names = w.podsByWorkload.get(from) ?? (w.pods[from] ? [from] : []);
  return names.map((name) => w.pods[name] as PodRuntime);
}

/** Where a traffic source's requests go, resolved on its first request (every pod of a workload shares its namespace). */
export interface TrafficPlan {
  target: ResolvedAddress;
  authority: string;
  /** The origin every request of the source carries (shared, never written). */
  origin: { kind: 'traffic'; name: string };
  /** Its headers, lower-case names. */
  headers: ReadonlyArray<readonly [string, string]>;
  /** Whether one of them is a router policy override. */
  overrides: boolean;
  /** The pods that send them, in turn (for an outside client, the gateway proxies it enters through). */
  pods: PodRuntime[];
  /** Its slot for the run's counters (counting.ts). */
  slot: number;
}

function ownCopy(pairs: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of pairs) headers[name] = value;
  return headers;
}

const NO_HEADERS: Record<string, string> = {};

export interface TrafficRuntime {
  spec: TrafficSpec;
  /** What every request of this source sends (built once). */
  send: SendSpec;
  plan?: TrafficPlan;
  sent: number;
  total: number;
}

export function trafficRuntime(spec: TrafficSpec): TrafficRuntime {
  const send: SendSpec = { from: spec.from, host: spec.host, port: spec.port, path: spec.path, method: spec.method, headers: spec.headers, traffic: spec.name, ...(spec.clientCertificate ? { clientCertificate: true } : {}) };
  return { spec, send, sent: 0, total: totalRequests(spec) };
}

/** Schedules the Simulation's traffic: open loop at a fixed rate, closed loop as N connections. */
export function scheduleTraffic(w: World, traffic: TrafficRuntime[]): void {
  traffic.forEach((t, index) => {
    if (t.total === 0) return;
    w.pendingTraffic += 1;
    if (t.spec.load.kind === 'open') w.queue.push(t.spec.start, Task.trafficOpen, index, 0);
    else for (let c = 0; c < Math.min(t.spec.load.connections, t.total); c++) w.queue.push(t.spec.start, Task.trafficOpen, index, c);
  });
}

export function totalRequests(spec: TrafficSpec): number {
  return spec.load.kind === 'open' ? Math.floor((spec.load.duration * spec.load.rps) / 1_000_000) : spec.load.requests;
}

/** Starts the next request of a traffic source; open loop schedules its successor at start + i/rps (integer µs, no drift). */
export function onTrafficTick(w: World, traffic: TrafficRuntime[], index: number, i: number): void {
  const t = traffic[index];
  if (!t || t.sent >= t.total) return;
  t.sent += 1;
  const req = sendRequest(w, t.send, t.sent - 1, t.plan);
  if (!t.plan) {
    const headers = Object.entries(lowerCased(t.spec.headers ?? NO_HEADERS));
    const outside = t.spec.from === EXTERNAL ? w.resolve('default', t.spec.host, t.spec.port, true) : undefined;
    const target = outside?.ingress ? { ...outside, host: req.host, port: req.port } : { host: req.host, port: req.port };
    const pods = outside ? (outside.ingress ? gatewayPods(w, outside.ingress) : []) : sourcePods(w, t.spec.from);
    t.plan = { target, authority: req.head.authority, origin: { kind: 'traffic', name: t.spec.name }, headers, overrides: headers.some(([name]) => isOverrideHeader(name)), pods, slot: w.planSlots++ };
  }
  if (t.sent >= t.total) w.pendingTraffic -= 1;
  if (t.spec.load.kind === 'open' && t.sent < t.total) {
    const at = t.spec.start + Math.floor(((i + 1) * 1_000_000) / t.spec.load.rps);
    w.queue.push(at, Task.trafficOpen, index, i + 1);
  }
}

/** Closed loop: a connection sends its next request as soon as its previous one ends. */
export function onTrafficRequestEnd(w: World, traffic: TrafficRuntime[], req: RequestState): void {
  if (req.origin.kind !== 'traffic') return;
  const name = req.origin.name;
  for (let index = 0; index < traffic.length; index++) {
    const t = traffic[index] as TrafficRuntime;
    if (t.spec.name !== name) continue;
    if (t.spec.load.kind === 'closed' && t.sent < t.total) w.queue.push(w.now, Task.trafficOpen, index, t.sent);
    return;
  }
}

/** The pods a timeline target names. */
export function targetPods(w: World, target: FailureTarget): string[] {
  return Object.values(w.pods)
    .filter((p) => ('pod' in target ? p.pod.name === target.pod : p.pod.workload === target.workload))
    .map((p) => p.pod.name);
}
