import { authorize } from '../proxy/index.ts';
import { RESET, Task } from './Task.ts';
import type { RequestHead } from '../proxy/index.ts';
import { emitFor, watching } from './request.ts';
import { ensureTrace } from './trace.ts';
import { tlsOf } from './wire.ts';
import { countInbound, UNKNOWN_SOURCE } from './counting.ts';
import { mtlsModeOf, principalOfPod, spiffeOfPod } from './identity.ts';
import type { AttemptState, PodRuntime, ServerState, World } from './World.ts';
import { inboundWhere, viaWaypoint, waypointPeer, waypointSpiffe } from './ambient.ts';
import { forwardAtGateway } from './gatewayForward.ts';

/**
 * The request reaches the callee pod: its sidecar (inbound listener) if it
 * has one — TLS termination and PeerAuthentication (§6.1), then
 * AuthorizationPolicy (§7) — which hands it to the app over loopback;
 * otherwise the app itself.
 */
export function onServerArrive(w: World, attempt: AttemptState | undefined): void {
  if (!attempt || attempt.state !== 'sent') return;
  const req = w.requests.get(attempt.requestId);
  const pod = attempt.callee;
  if (!req || !pod) return;
  const sidecar = pod.pod.sidecar;
  const name = pod.pod.name;
  const clientPod = req.caller;
  if (pod.failure?.mode === 'refuse') {
    // Nothing listens on the pod (app and sidecar gone): a connection opened before it stopped is reset.
    w.queue.push(w.now + w.costs.wire, Task.responseArrive, attempt.id, RESET, 'connection reset by peer: the pod no longer accepts connections');
    return;
  }
  const proxy = sidecar ? pod.proxy : undefined;
  // Only a plaintext connection asks the port's PeerAuthentication mode.
  if (sidecar && !attempt.mtls) {
    const mode = mtlsModeOf(proxy, attempt.port);
    if (mode === 'STRICT') {
      if (watching(w)) emitFor(w, req, inboundWhere(pod), { kind: 'mtls.reject', pod: name, mode, reason: 'PeerAuthentication STRICT: the connection is not mTLS, so the sidecar resets it' }, attempt.n);
      w.queue.push(w.now + w.costs.wire, Task.responseArrive, attempt.id, RESET, 'connection reset by peer: plaintext to a STRICT mTLS port');
      return;
    }
  }
  // The engine's own count of attempts that reached the pod (what a run without events reports).
  pod.received += 1;
  if (watching(w)) {
    const where = sidecar || pod.pod.gateway ? inboundWhere(pod) : { kind: 'app' as const, pod: name };
    const identities = attempt.mtls && clientPod ? { client: viaWaypoint(req) ? waypointSpiffe(w, req) : spiffeOfPod(w, clientPod), server: spiffeOfPod(w, pod) } : undefined;
    emitFor(w, req, where, { kind: 'hop.arrive', pod: name, fromPod: req.from, mtls: attempt.mtls, ...tlsOf(attempt), ...(identities ? { identities } : {}) }, attempt.n);
  }
  // A caller without a sidecar sent no trace context: the callee's sidecar is the first to see the request and starts the trace (§9);
  // not on a port it carries as TCP (a TCP proxy parses no HTTP).
  const tcp = proxy !== undefined && proxy.xds.ztunnel === undefined && proxy.xds.inbound.tcpPorts?.includes(attempt.port) === true;
  if (proxy && proxy.xds.ztunnel === undefined && !tcp) ensureTrace(w, req, name, proxy.rng.trace);
  const server: ServerState = {
    id: attempt.id,
    pod: name,
    runtime: pod,
    sidecar: proxy,
    requestId: req.id,
    depth: req.depth,
    attempt: attempt.n,
    viaSidecar: sidecar,
    mtls: attempt.mtls,
    sourcePrincipal: attempt.mtls && clientPod ? principalOfPod(w, clientPod) : undefined,
    destinationPrincipal: attempt.mtls && clientPod ? principalOfPod(w, pod) : undefined,
    headers: req.head.headers,
    arrivedAt: w.now,
    nextCall: 0,
    outstanding: 0,
    failedStatus: undefined,
    calls: undefined,
    responded: false,
  };
  w.servers.set(server.id, server);
  // A gateway proxy has no app: it routes the request on itself (an egress gateway).
  if (pod.pod.gateway) return forwardAtGateway(w, server, req, attempt.port);
  if (sidecar && !authorized(w, server, attempt.port, req.head, clientPod, tcp)) {
    // ztunnel enforces policy on the connection, not on HTTP (§11): a denial closes it, there is no 403; so does a sidecar's TCP proxy.
    if (proxy?.xds.ztunnel) return rejectAtZtunnel(w, server, attempt.id);
    if (tcp) return closeConnection(w, server, attempt.id, w.costs.proxyProcessing, `connection closed by the sidecar of ${name}: AuthorizationPolicy denied it (network RBAC on a TCP port)`);
    return respondFromSidecar(w, server, 403, '', 'RBAC: access denied');
  }
  w.queue.push(w.now + (sidecar ? (proxy?.xds.ztunnel ? w.costs.ztunnelProcessing : w.costs.proxyProcessing) + w.costs.loopback : 0), Task.appReceive, server.id);
}

/**
 * The app's answer passes back through the callee's sidecar (which records
 * the destination-side view of the request) and onto the wire.
 */
export function onServerResponse(w: World, server: ServerState | undefined, status: number, serverFlag?: string, detail = ''): void {
  if (!server) return;
  w.servers.delete(server.id);
  const req = w.requests.get(server.requestId);
  const attempt = w.attempts.get(server.id);
  if (server.viaSidecar && req) {
    if (w.counters) countInbound(w, w.counters, req, server.runtime, status, w.now - server.arrivedAt);
    w.telemetry?.inboundCompleted(w.now, req, server, status);
    if (watching(w)) emitFor(w, req, inboundWhere(server.runtime), {
      kind: 'inbound.complete',
      pod: server.pod,
      sourceWorkload: req.viaSidecar ? req.fromWorkload : UNKNOWN_SOURCE,
      destinationWorkload: server.runtime.pod.workload,
      destinationService: req.host,
      status,
      duration: w.now - server.arrivedAt,
      shadow: req.origin.kind === 'mirror',
      mtls: server.mtls,
      ...(server.sourcePrincipal ? { sourcePrincipal: server.sourcePrincipal, destinationPrincipal: server.destinationPrincipal } : {}),
    }, server.attempt);
  }
  if (!attempt || attempt.state !== 'sent' || !req) return;
  if (watching(w)) emitFor(w, req, server.sidecar?.xds.ztunnel ? inboundWhere(server.runtime) : { kind: 'wire', from: server.pod, to: req.from }, { kind: 'hop.send', toPod: req.from, mtls: attempt.mtls, direction: 'response', ...tlsOf(attempt) }, server.attempt);
  const why = serverFlag ? `${detail} (flag ${serverFlag} at ${server.pod}'s sidecar)` : detail;
  w.queue.push(w.now + w.costs.wire, Task.responseArrive, attempt.id, status, why === '' ? undefined : why);
}

/** The destination's ztunnel refuses the connection (L4 policy): the client proxy sees it reset. */
function rejectAtZtunnel(w: World, server: ServerState, attemptId: number): void {
  closeConnection(w, server, attemptId, w.costs.ztunnelProcessing, 'connection closed by the destination ztunnel: AuthorizationPolicy denied it (RBAC, L4)');
}

/** The callee's proxy closes the connection: the caller sees a reset, no status. */
function closeConnection(w: World, server: ServerState, attemptId: number, processing: number, detail: string): void {
  server.responded = true;
  w.servers.delete(server.id);
  w.queue.push(w.now + processing + w.costs.wire, Task.responseArrive, attemptId, RESET, detail);
}

function respondFromSidecar(w: World, server: ServerState, status: number, flag: string, detail: string): void {
  server.responded = true;
  w.queue.push(w.now + w.costs.proxyProcessing, Task.serverRespond, server.id, status, { flag, detail });
}

/** AuthorizationPolicy on the inbound sidecar (§7): DENY, then ALLOW; on a TCP port as the network RBAC filter has them (`tcpAuthz`). */
function authorized(w: World, server: ServerState, port: number, head: RequestHead, client: PodRuntime | undefined, tcp: boolean): boolean {
  const inbound = server.sidecar?.xds.inbound;
  const policies = tcp ? inbound?.tcpAuthz : inbound?.authz;
  const req = w.requests.get(server.requestId);
  if (!policies || policies.length === 0 || !req) return true;
  // Through a waypoint, the destination's ztunnel sees the waypoint's identity, not the caller's (§11).
  const peer = server.mtls && client ? (viaWaypoint(req) ? waypointPeer(w, req) : { principal: principalOfPod(w, client), namespace: client.pod.namespace }) : undefined;
  const decision = authorize(policies, {
    ...(peer ?? {}),
    ...(client ? { sourceIp: client.pod.ip } : {}),
    method: head.method,
    path: head.path,
    host: head.authority,
    port,
    headers: head.headers,
    mtls: server.mtls,
  });
  if (!decision.allowed) w.telemetry?.denied(req, server.attempt, decision.explicit ? decision.policy : undefined);
  const where = inboundWhere(server.runtime);
  if (watching(w)) {
    if (decision.allowed) emitFor(w, req, where, { kind: 'authz.allow', pod: server.pod, reason: decision.reason }, server.attempt);
    else emitFor(w, req, where, { kind: 'authz.deny', pod: server.pod, policy: decision.policy, reason: decision.reason, ...(tcp ? { tcp: true as const } : {}) }, server.attempt);
  }
  return decision.allowed;
}
