import type { MeshEvent, Where } from '../../model/index.ts';

/**
 * Hand-written event streams shaped like the engine's, for tests of the
 * playback pieces (so they do not depend on a compiled scenario).
 */
type Detail = MeshEvent extends infer E ? (E extends MeshEvent ? Omit<E, 't' | 'requestId' | 'attempt' | 'where'> : never) : never;

export function ev(t: number, requestId: number, attempt: number, where: Where, detail: Detail): MeshEvent {
  return { t, requestId, attempt, where, ...detail } as MeshEvent;
}

const app = (pod: string): Where => ({ kind: 'app', pod });
const sidecar = (pod: string): Where => ({ kind: 'sidecar', pod });
const wire = (from: string, to: string): Where => ({ kind: 'wire', from, to });

/** `from` calls `to` once and gets `status`; times as the default cost model gives them. */
export function simpleRequest(id: number, from: string, to: string, status = 200, t0 = 0): MeshEvent[] {
  return [
    ev(t0, id, 0, app(from), { kind: 'request.start', origin: { kind: 'traffic', name: 'send' }, fromPod: from, fromWorkload: from, viaSidecar: true, host: `${to}.default.svc.cluster.local`, port: 8080, method: 'GET', path: '/', headers: {} }),
    ev(t0 + 650, id, 0, sidecar(from), { kind: 'route.match', virtualHost: `${to}:8080`, route: 'default', origin: { kind: 'default' }, misses: [] }),
    ev(t0 + 650, id, 1, sidecar(from), { kind: 'lb.pick', cluster: `outbound|8080||${to}`, endpoint: to, policy: 'LEAST_REQUEST', reason: 'only one', healthy: 1, total: 1 }),
    ev(t0 + 650, id, 1, wire(from, to), { kind: 'hop.send', toPod: to, mtls: true, direction: 'request' }),
    ev(t0 + 750, id, 1, sidecar(to), { kind: 'hop.arrive', pod: to, fromPod: from, mtls: true }),
    ev(t0 + 1_400, id, 1, app(to), { kind: 'app.receive', pod: to }),
    ev(t0 + 6_400, id, 1, app(to), { kind: 'app.respond', pod: to, status }),
    ev(t0 + 7_050, id, 1, sidecar(to), { kind: 'inbound.complete', pod: to, sourceWorkload: from, destinationWorkload: to, destinationService: to, status, duration: 6_300, shadow: false, mtls: true }),
    ev(t0 + 7_050, id, 1, wire(to, from), { kind: 'hop.send', toPod: from, mtls: true, direction: 'response' }),
    ev(t0 + 7_150, id, 1, sidecar(from), { kind: 'attempt.result', endpoint: to, status, flags: [], detail: '' }),
    ev(t0 + 7_800, id, 1, app(from), { kind: 'request.end', status, flags: [], duration: 7_800, attempts: 1, detail: '' }),
  ];
}

/** Every endpoint ejected: the caller's sidecar answers 503 UH without touching the wire. */
export function failFastRequest(id: number, from: string, t0 = 0): MeshEvent[] {
  return [
    ev(t0, id, 0, app(from), { kind: 'request.start', origin: { kind: 'traffic', name: 'send' }, fromPod: from, fromWorkload: from, viaSidecar: true, host: 'users.default.svc.cluster.local', port: 8080, method: 'GET', path: '/', headers: {} }),
    ev(t0 + 650, id, 0, sidecar(from), { kind: 'route.match', virtualHost: 'users:8080', route: 'canary', origin: { kind: 'default' }, misses: [] }),
    ev(t0 + 650, id, 1, sidecar(from), { kind: 'lb.noHealthy', cluster: 'outbound|8080|v1|users', ejected: 1, total: 1 }),
    ev(t0 + 1_300, id, 1, app(from), { kind: 'request.end', status: 503, flags: ['UH'], duration: 1_300, attempts: 1, detail: 'no healthy upstream' }),
  ];
}

/** A 503 from `bad`, a back-off, then a 200 from `good`. */
export function retriedRequest(id: number, from: string, bad: string, good: string): MeshEvent[] {
  const first = simpleRequest(id, from, bad, 503).slice(0, 10);
  const retryAt = 7_150 + 20_000;
  const second = simpleRequest(id, from, good, 200, retryAt - 650)
    .slice(2)
    .map((e) => ({ ...e, attempt: e.attempt === 0 ? 0 : 2, ...(e.kind === 'request.end' ? { attempts: 2 } : {}) }) as MeshEvent);
  return [
    ...first,
    ev(7_150, id, 1, sidecar(from), { kind: 'retry.backoff', retry: 1, delay: 20_000, range: [0, 25_000], reason: '503 matches retryOn 5xx' }),
    ...second,
  ];
}

/** A caller without a sidecar dials a STRICT port: the callee's sidecar resets the plaintext connection; no HTTP status. */
export function rejectedRequest(id: number, from: string, to: string, t0 = 0): MeshEvent[] {
  return [
    ev(t0, id, 0, app(from), { kind: 'request.start', origin: { kind: 'traffic', name: 'send' }, viaSidecar: false, fromPod: from, fromWorkload: from, host: `${to}.default.svc.cluster.local`, port: 8080, method: 'GET', path: '/', headers: {} }),
    ev(t0 + 50, id, 1, wire(from, to), { kind: 'hop.send', toPod: to, mtls: false, direction: 'request' }),
    ev(t0 + 350, id, 1, sidecar(to), { kind: 'mtls.reject', pod: to, mode: 'STRICT', reason: 'PeerAuthentication STRICT: the connection is not mTLS, so the sidecar resets it' }),
    ev(t0 + 450, id, 1, app(from), { kind: 'request.end', status: 0, flags: [], duration: 450, attempts: 1, detail: 'connection reset by peer: plaintext to a STRICT mTLS port' }),
  ];
}

/** The callee's sidecar denies the request (AuthorizationPolicy) and answers 403 itself. */
export function deniedRequest(id: number, from: string, to: string, policy = 'AuthorizationPolicy/default/api-readers'): MeshEvent[] {
  const [start, match, pick, send] = simpleRequest(id, from, to, 403);
  return [
    start as MeshEvent,
    match as MeshEvent,
    pick as MeshEvent,
    send as MeshEvent,
    ev(750, id, 1, sidecar(to), { kind: 'authz.deny', pod: to, policy, reason: 'no ALLOW policy matched' }),
    ev(1_350, id, 1, sidecar(to), { kind: 'inbound.complete', pod: to, sourceWorkload: from, destinationWorkload: to, destinationService: to, status: 403, duration: 600, shadow: false, mtls: true }),
    ev(1_350, id, 1, wire(to, from), { kind: 'hop.send', toPod: from, mtls: true, direction: 'response' }),
    ev(1_450, id, 1, sidecar(from), { kind: 'attempt.result', endpoint: to, status: 403, flags: [], detail: 'RBAC: access denied' }),
    ev(2_100, id, 1, app(from), { kind: 'request.end', status: 403, flags: [], duration: 2_100, attempts: 1, detail: 'RBAC: access denied' }),
  ];
}
