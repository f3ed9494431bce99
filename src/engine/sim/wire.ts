import { becomeIdle, closeConnection, connectionReady, nextStream, streamsReady, takePending } from './pool.ts';
import { Task } from './Task.ts';
import { originatedTls } from '../proxy/index.ts';
import { startTimer } from './timers.ts';
import { emitFor, watching, emitMesh } from './request.ts';
import type { AttemptState, ConnectionState, World } from './World.ts';
import { clientProxyWhere, isAmbientProxy, proxyWhere } from './ambient.ts';

/**
 * The request leaves the client sidecar on an established connection: it is
 * on the wire (encrypted under mTLS) and the per-try timer starts (§1.3: only
 * once a pooled connection is obtained).
 */
export function sendOnConnection(w: World, attempt: AttemptState, conn: ConnectionState): void {
  const req = w.requests.get(attempt.requestId);
  if (!req) return;
  if (conn.maxStreams === 0) conn.busyWith = attempt.id;
  attempt.connection = conn.id;
  attempt.state = 'sent';
  w.telemetry?.attemptSent(w.now, req.id, attempt.n, conn.mtls);
  if (watching(w)) emitFor(w, req, isAmbientProxy(attempt.sidecar) ? clientProxyWhere(req) : { kind: 'wire', from: req.from, to: attempt.endpoint }, { kind: 'hop.send', toPod: attempt.endpoint, mtls: conn.mtls, direction: 'request', ...tlsOf(attempt) }, attempt.n);
  const perTry = req.retryPolicy?.perTryTimeout ?? 0;
  if (perTry > 0) attempt.perTryTimer = startTimer(w, w.now + perTry, Task.perTryTimeout, { attemptId: attempt.id, done: false });
  w.queue.push(w.now + w.costs.wire, Task.serverArrive, attempt.id);
}

/** The TLS the client proxy originated on the attempt's connection, for the event (built only when watched). */
export function tlsOf(attempt: AttemptState): { tls?: 'SIMPLE' | 'MUTUAL' } {
  const tls = attempt.cr ? originatedTls(attempt.cr.config.tls.mode, attempt.mtls) : undefined;
  return tls ? { tls } : {};
}

export function onConnReady(w: World, conn: ConnectionState): void {
  const cr = conn.sidecar.clusters[conn.cluster];
  if (!cr) {
    conn.ready = true;
    return;
  }
  if (conn.maxStreams > 0) {
    // HTTP/2: every waiting request the connection has room for goes out on it at once.
    for (let id = streamsReady(w, cr, conn); id !== undefined; id = nextStream(w, cr, conn)) sendOnConnection(w, w.attempts.get(id) as AttemptState, conn);
    return;
  }
  const next = connectionReady(cr, conn);
  const attempt = next === undefined ? undefined : w.attempts.get(next);
  if (attempt) sendOnConnection(w, attempt, conn);
  else if (next !== undefined) {
    conn.busyWith = undefined;
    becomeIdle(conn.pool, conn);
  }
}

/**
 * The endpoint refused the connection: the oldest request waiting for this
 * endpoint fails with a connect failure (UF), which the retry policy and the
 * outlier detector then judge.
 */
export function onConnRefused(w: World, conn: ConnectionState, fail: (attempt: AttemptState) => void): void {
  const cr = conn.sidecar.clusters[conn.cluster];
  if (!cr) return;
  const next = takePending(cr, conn.pool);
  const attempt0 = next === undefined ? undefined : w.attempts.get(next);
  if (watching(w)) emitMesh(w, { t: w.now, requestId: attempt0?.requestId ?? 0, attempt: attempt0?.n ?? 0, where: proxyWhere(conn.sidecar), kind: 'conn.refused', endpoint: conn.endpoint });
  closeConnection(w, cr, conn, 'connection refused', attempt0);
  const attempt = next === undefined ? undefined : w.attempts.get(next);
  if (attempt) fail(attempt);
}
