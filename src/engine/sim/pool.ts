import { gatewayListensOn } from './gatewayForward.ts';
import { certValid, tlsAccepted } from './identity.ts';
import { originatedTls } from '../proxy/index.ts';
import { Task } from './Task.ts';
import { connectionClosed, connectionOpened, pendingJoined, pendingLeft } from './gauges.ts';
import type { AttemptState, ClusterRuntime, ConnectionState, HostPool, ProxyRuntime, World } from './World.ts';
import { watching, emitMesh } from './request.ts';
import { proxyWhere } from './ambient.ts';

/**
 * Envoy's connection pools and the cluster circuit breakers (§4.1), as one
 * client proxy sees one cluster. HTTP/1.1: a request that finds no idle
 * connection waits in the pending queue (and counts against
 * `max_pending_requests`) while a connection is set up, if `max_connections`
 * allows one. HTTP/2 (the cluster's `http2`): requests are streams, as many
 * at once on a connection as `maxConcurrentStreams` allows, so one
 * connection usually carries them all and a request waits only while a
 * connection is being set up (§4.1). Either way a full pending queue or
 * `max_requests` (`http2MaxRequests`) fails it with UO.
 */
export type AcquireResult = ConnectionState | 'waiting' | 'maxPendingRequests' | 'maxRequests';

/** The pool toward one endpoint, made on first use. */
export function hostPool(cr: ClusterRuntime, endpoint: string): HostPool {
  let pool = cr.pools.get(endpoint);
  if (!pool) {
    pool = { conns: [], idle: [], connecting: 0, pending: [] };
    cr.pools.set(endpoint, pool);
  }
  return pool;
}

/** An idle connection now carries the attempt, or it waits for one (or overflows). */
export function acquireConnection(w: World, cr: ClusterRuntime, attempt: AttemptState, pool: HostPool): AcquireResult {
  const limits = cr.config.thresholds;
  if (cr.open.requests >= limits.maxRequests) return 'maxRequests';
  if (cr.config.http2) return acquireStream(w, cr, attempt, pool);
  // Envoy reuses the oldest idle connection first.
  const idle = takeIdle(pool.idle);
  if (idle) {
    idle.busyWith = attempt.id;
    return idle;
  }
  if (cr.open.pending >= limits.maxPendingRequests) return 'maxPendingRequests';
  pool.pending.push(attempt.id);
  pendingJoined(cr);
  attempt.state = 'pending';
  ensureConnecting(w, cr, pool, attempt.endpoint, attempt.sidecar as ProxyRuntime, attempt.mtls);
  return 'waiting';
}

/** HTTP/2: a stream on the oldest ready connection with room, or a wait for one being set up. */
function acquireStream(w: World, cr: ClusterRuntime, attempt: AttemptState, pool: HostPool): AcquireResult {
  const perConn = cr.config.maxRequestsPerConnection;
  for (const conn of pool.conns) {
    if (conn.ready && conn.draining === undefined && hasRoom(conn, perConn)) {
      conn.streams += 1;
      return conn;
    }
  }
  if (cr.open.pending >= cr.config.thresholds.maxPendingRequests) return 'maxPendingRequests';
  pool.pending.push(attempt.id);
  pendingJoined(cr);
  attempt.state = 'pending';
  ensureConnecting(w, cr, pool, attempt.endpoint, attempt.sidecar as ProxyRuntime, attempt.mtls);
  return 'waiting';
}

/** Whether an HTTP/2 connection can take one more stream (its concurrency, and its lifetime `maxRequestsPerConnection`). */
function hasRoom(conn: ConnectionState, perConn: number): boolean {
  return conn.streams < conn.maxStreams && (perConn === 0 || conn.served + conn.streams < perConn);
}

/** How many more streams an HTTP/2 connection still being set up will take once ready. */
function roomWhenReady(conn: ConnectionState, perConn: number): number {
  return perConn === 0 ? conn.maxStreams : Math.min(conn.maxStreams, perConn - conn.served);
}

/** An HTTP/2 connection finished its setup: returns the first waiting attempt it now carries (then `nextStream` for the rest). */
export function streamsReady(w: World, cr: ClusterRuntime, conn: ConnectionState): number | undefined {
  conn.ready = true;
  conn.pool.connecting -= 1;
  return nextStream(w, cr, conn);
}

/** The next waiting attempt an HTTP/2 connection takes as a stream, if it has room and one waits. */
export function nextStream(w: World, cr: ClusterRuntime, conn: ConnectionState): number | undefined {
  if (conn.draining !== undefined || !hasRoom(conn, cr.config.maxRequestsPerConnection)) return undefined;
  for (;;) {
    const id = takePending(cr, conn.pool);
    if (id === undefined) return undefined;
    if (w.attempts.get(id)) {
      conn.streams += 1;
      return id;
    }
  }
}

/** Removes a waiting attempt from the pending queue (it was cancelled). */
export function abandonPending(cr: ClusterRuntime, attempt: AttemptState): void {
  const queue = cr.pools.get(attempt.endpoint)?.pending;
  const index = queue ? queue.indexOf(attempt.id) : -1;
  if (queue && index >= 0) {
    queue.splice(index, 1);
    pendingLeft(cr);
  }
}

/** Takes the oldest waiting attempt for this pool's endpoint off the pending queue. */
export function takePending(cr: ClusterRuntime, pool: HostPool): number | undefined {
  // Usually nothing waits: no call into Array.prototype.shift then.
  if (pool.pending.length === 0) return undefined;
  const id = pool.pending.shift();
  if (id !== undefined) pendingLeft(cr);
  return id;
}

/** A connection that finished its setup: the oldest waiting attempt takes it, else it is idle. Returns that attempt's id. */
export function connectionReady(cr: ClusterRuntime, conn: ConnectionState): number | undefined {
  conn.ready = true;
  const pool = conn.pool;
  pool.connecting -= 1;
  const next = takePending(cr, pool);
  if (next === undefined) becomeIdle(pool, conn);
  else conn.busyWith = next;
  return next;
}

/**
 * The attempt on this connection has finished. With keep-alive the connection
 * goes back to the pool (or straight to the next waiting request); otherwise,
 * or when `maxRequestsPerConnection` is reached, it is closed.
 * Returns the id of a pending attempt that now owns the connection, if any.
 */
export function releaseConnection(w: World, cr: ClusterRuntime, conn: ConnectionState, keepAlive: boolean, about?: AttemptState): number | undefined {
  if (conn.maxStreams > 0) return releaseStream(w, cr, conn, keepAlive, about);
  conn.busyWith = undefined;
  conn.served += 1;
  const perConn = cr.config.maxRequestsPerConnection;
  if (!keepAlive || conn.draining || (perConn > 0 && conn.served >= perConn)) {
    closeConnection(w, cr, conn, !keepAlive ? 'reset' : (conn.draining ?? 'maxRequestsPerConnection reached'), about);
    return undefined;
  }
  const next = takePending(cr, conn.pool);
  if (next === undefined) becomeIdle(conn.pool, conn);
  else conn.busyWith = next;
  return next;
}

/**
 * HTTP/2: a stream ended. A reset from the peer (it stopped accepting, or
 * refused plaintext) takes the connection down; otherwise the connection
 * stays for the other streams and the next waiting request, and closes once
 * idle when draining or when `maxRequestsPerConnection` streams have used it.
 */
function releaseStream(w: World, cr: ClusterRuntime, conn: ConnectionState, keepAlive: boolean, about?: AttemptState): number | undefined {
  conn.streams -= 1;
  conn.served += 1;
  if (!keepAlive) {
    closeConnection(w, cr, conn, 'reset', about);
    return undefined;
  }
  const perConn = cr.config.maxRequestsPerConnection;
  const spent = perConn > 0 && conn.served >= perConn;
  if (conn.draining !== undefined || spent) {
    if (conn.streams === 0) closeConnection(w, cr, conn, conn.draining ?? 'maxRequestsPerConnection reached', about);
    else if (spent && cr.open.pending > 0) ensureConnecting(w, cr, conn.pool, conn.endpoint, conn.sidecar, conn.mtls);
    return undefined;
  }
  return nextStream(w, cr, conn);
}

export function closeConnection(w: World, cr: ClusterRuntime, conn: ConnectionState, reason: string, about?: AttemptState): void {
  const pool = conn.pool;
  removeFrom(pool.conns, conn);
  leaveIdle(pool.idle, conn);
  if (!conn.ready) pool.connecting -= 1;
  conn.busyWith = undefined;
  w.connections.delete(conn.id);
  connectionClosed(cr);
  if (watching(w)) emitMesh(w, { t: w.now, requestId: about?.requestId ?? 0, attempt: about?.n ?? 0, where: proxyWhere(conn.sidecar), kind: 'conn.close', endpoint: conn.endpoint, connection: conn.id, reason });
  // A freed connection slot lets a waiting request elsewhere in the cluster connect.
  if (cr.open.pending === 0) return;
  for (const [endpoint, other] of cr.pools) {
    if (other.pending.length > 0) {
      const first = w.attempts.get(other.pending[0] as number);
      if (first) ensureConnecting(w, cr, other, endpoint, conn.sidecar, first.mtls);
    }
  }
}

/*
 * Idle connections are a binary min-heap by id: the oldest (lowest id) at the
 * front, the next to be reused. A release puts back an old connection among
 * younger idle ones, which a list kept in order would shift through.
 */

/** Puts a connection among the idle ones. */
export function becomeIdle(pool: HostPool, conn: ConnectionState): void {
  const idle = pool.idle;
  idle.push(conn);
  siftUp(idle, idle.length - 1, conn);
}

/** Takes the oldest idle connection, if any. */
function takeIdle(idle: ConnectionState[]): ConnectionState | undefined {
  const oldest = idle[0];
  const last = idle.pop();
  if (oldest !== last && last !== undefined) siftDown(idle, 0, last);
  return oldest;
}

/** Takes a closing connection out of the idle ones, if it is there. */
function leaveIdle(idle: ConnectionState[], conn: ConnectionState): void {
  const i = idle.indexOf(conn);
  if (i < 0) return;
  const last = idle.pop() as ConnectionState;
  if (i === idle.length) return;
  if (i > 0 && (idle[(i - 1) >> 1] as ConnectionState).id > last.id) siftUp(idle, i, last);
  else siftDown(idle, i, last);
}

function siftUp(idle: ConnectionState[], from: number, conn: ConnectionState): void {
  let i = from;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const above = idle[parent] as ConnectionState;
    if (above.id < conn.id) break;
    idle[i] = above;
    i = parent;
  }
  idle[i] = conn;
}

function siftDown(idle: ConnectionState[], from: number, conn: ConnectionState): void {
  const n = idle.length;
  let i = from;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && (idle[child + 1] as ConnectionState).id < (idle[child] as ConnectionState).id) child += 1;
    const below = idle[child] as ConnectionState;
    if (conn.id < below.id) break;
    idle[i] = below;
    i = child;
  }
  idle[i] = conn;
}

function removeFrom(list: ConnectionState[], conn: ConnectionState): void {
  const i = list.indexOf(conn);
  if (i >= 0) list.splice(i, 1);
}

function ensureConnecting(w: World, cr: ClusterRuntime, pool: HostPool, endpoint: string, proxy: ProxyRuntime, mtls: boolean): void {
  if (cr.config.http2) return ensureStreamRoom(w, cr, pool, endpoint, proxy, mtls);
  const waiting = pool.pending.length;
  let connecting = pool.connecting;
  while (connecting < waiting && cr.open.connections < cr.config.thresholds.maxConnections) {
    const forAttempt = w.attempts.get(pool.pending[connecting] ?? -1);
    openConnection(w, cr, pool, endpoint, proxy, mtls, forAttempt);
    connecting += 1;
  }
}

/** HTTP/2: opens connections (within `max_connections`) until those being set up have room for every waiting request. */
function ensureStreamRoom(w: World, cr: ClusterRuntime, pool: HostPool, endpoint: string, proxy: ProxyRuntime, mtls: boolean): void {
  const perConn = cr.config.maxRequestsPerConnection;
  let room = 0;
  for (const conn of pool.conns) if (!conn.ready) room += roomWhenReady(conn, perConn);
  while (room < pool.pending.length && cr.open.connections < cr.config.thresholds.maxConnections) {
    const conn = openConnection(w, cr, pool, endpoint, proxy, mtls, w.attempts.get(pool.pending[room] ?? -1));
    room += roomWhenReady(conn, perConn);
  }
}

function openConnection(w: World, cr: ClusterRuntime, pool: HostPool, endpoint: string, sidecar: ProxyRuntime, mtls: boolean, forAttempt?: AttemptState): ConnectionState {
  const proxy = sidecar.pod;
  const id = ++w.nextId.connection;
  const maxStreams = cr.config.http2?.maxConcurrentStreams ?? 0;
  const conn: ConnectionState = { id, sidecar, cluster: cr.config.name, endpoint, pool, mtls, ready: false, busyWith: undefined, maxStreams, streams: 0, served: 0, draining: undefined };
  w.connections.set(conn.id, conn);
  pool.conns.push(conn);
  pool.connecting += 1;
  connectionOpened(cr);
  const callee = w.pods[endpoint];
  // Nothing listens: a pod set to refuse, or a gateway proxy with no server on that port (no listener there).
  const refusing = callee?.failure?.mode === 'refuse' || (callee?.pod.gateway === true && !gatewayListensOn(callee, forAttempt?.port ?? 0));
  const tlsFails = !refusing && mtls && !tlsHandshakeWorks(w, proxy, endpoint, forAttempt?.port);
  // TLS the proxy originates itself (a DestinationRule's SIMPLE or MUTUAL) costs the same handshake as mTLS.
  const tls = originatedTls(cr.config.tls.mode, mtls);
  // A refused connect costs one round trip (SYN, RST); a good one the TCP handshake plus TLS under mTLS or originated TLS.
  const setup = refusing ? w.costs.tcpHandshake : w.costs.tcpHandshake + (mtls || tls !== undefined ? w.costs.tlsHandshake : 0);
  const requestId = forAttempt?.requestId ?? 0;
  if (watching(w)) emitMesh(w, { t: w.now, requestId, attempt: forAttempt?.n ?? 0, where: proxyWhere(sidecar), kind: 'conn.open', cluster: cr.config.name, endpoint, connection: id, mtls, setup, ...(maxStreams > 0 ? { http2: true as const } : {}), ...(tls ? { tls } : {}) });
  const failure = refusing ? ('refused' as const) : tlsFails ? ('tls' as const) : undefined;
  if (failure) w.queue.push(w.now + setup, Task.connRefused, id, failure === 'tls' ? 1 : 0);
  else w.queue.push(w.now + setup, Task.connReady, id);
  return conn;
}

/** mTLS needs a TLS-speaking peer (a sidecar not set to DISABLE) and unexpired certificates on both ends. */
function tlsHandshakeWorks(w: World, proxy: string, endpoint: string, port: number | undefined): boolean {
  return tlsAccepted(w, endpoint, port ?? 0) && certValid(w, proxy) && certValid(w, endpoint);
}

/**
 * A cluster update that changes how connections are made (TLS) drains the
 * old pool, as Envoy does: idle connections close now, busy ones after
 * their current request; new requests open connections with the new settings.
 * With `endpoint`, only the connections to that pod (it stopped accepting
 * connections: the caller sees the close at once on an idle connection).
 */
export function drainConnections(w: World, cr: ClusterRuntime, reason = 'drained after a config change', endpoint?: string): void {
  for (const [host, pool] of cr.pools) {
    if (endpoint !== undefined && host !== endpoint) continue;
    for (const conn of [...pool.conns]) {
      const carrying = conn.maxStreams > 0 ? conn.streams > 0 : conn.busyWith !== undefined;
      if (!carrying && conn.ready) closeConnection(w, cr, conn, reason);
      else conn.draining = reason;
    }
  }
}

/** `refuse`: nothing listens on these pods any more (app and sidecar), so every sidecar's connections to them close. */
export function closeConnectionsTo(w: World, pods: string[]): void {
  for (const proxy of Object.values(w.proxies)) {
    for (const cr of Object.values(proxy.clusters)) for (const pod of pods) drainConnections(w, cr, `${pod} stopped accepting connections`, pod);
  }
}
