import type { ResponseFlag } from '../../model/index.ts';
import { createRttEstimate, decideEjection, observeRtt, recordResult } from '../proxy/index.ts';
import { countForAccrual } from './accrual.ts';
import type { AttemptOutcome, ResultOrigin } from '../proxy/index.ts';
import { startOutlierTicks } from './outlierTicks.ts';
import { clusterOf, ejectionsChanged } from './cluster.ts';
import { applyRetryDecision } from './router.ts';
import { endAttempt } from './outbound.ts';
import { abandonPending, closeConnection, releaseConnection } from './pool.ts';
import { emitFor, NONE, watching } from './request.ts';
import { sendOnConnection } from './wire.ts';
import type { AttemptState, ClusterRuntime, ProxyRuntime, RequestState, World } from './World.ts';
import { clientPodOf, clientProxyWhere } from './ambient.ts';

const RESET_DETAIL: Record<string, string> = {
  'connect-failure': 'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
  'remote-reset': 'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
  'per-try-timeout': 'upstream per-try timeout',
};

/** Outcomes are only read: one object for a remote reset and one per status serve every attempt. */
export const REMOTE_RESET: AttemptOutcome = Object.freeze({ kind: 'reset', reason: 'remote-reset' });
const RESPONSES: Array<AttemptOutcome | undefined> = new Array<AttemptOutcome | undefined>(600).fill(undefined);

export function responseOutcome(status: number): AttemptOutcome {
  if (status < 0 || status >= RESPONSES.length) return { kind: 'response', status };
  return (RESPONSES[status] ??= Object.freeze({ kind: 'response', status }));
}

/**
 * An attempt's outcome reaches the client sidecar: free the connection,
 * report to the outlier detector (§3.2), then retry (§1) or answer.
 */
export function onAttemptOutcome(w: World, attempt: AttemptState, outcome: AttemptOutcome, detail: string): void {
  if (attempt.state === 'done') return;
  const cr = clusterOf(attempt);
  const conn = attempt.connection === undefined ? undefined : w.connections.get(attempt.connection);
  endAttempt(w, attempt);
  if (cr && conn) {
    const next = releaseConnection(w, cr, conn, outcome.kind === 'response', attempt);
    const waiting = next === undefined ? undefined : w.attempts.get(next);
    if (waiting) sendOnConnection(w, waiting, conn);
  }
  const req = w.requests.get(attempt.requestId);
  if (!req || req.done) return;
  const status = outcome.kind === 'response' ? outcome.status : outcome.reason === 'per-try-timeout' ? 504 : 503;
  const flags: ResponseFlag[] = outcome.kind === 'response' ? NONE : resetFlags(outcome.reason);
  w.telemetry?.attemptEnded(w.now, req.id, attempt.n, status, flags);
  if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'attempt.result', endpoint: attempt.endpoint, status, flags, detail: describeOutcome(outcome, detail) }, attempt.n);
  if (cr) {
    // Envoy's TCP proxy tells the outlier detector only that it connected (tcp_proxy.cc onUpstreamConnection,
    // LocalOriginConnectSuccessFinal: a 200, or a local-origin success when split): what the bytes said after, or a reset, counts as that.
    const connected = outcome.kind === 'response' || outcome.reason === 'remote-reset';
    if (connected && req.route?.action.kind === 'route' && req.route.action.tcpProxy === true) countEndpointResult(w, req, cr, attempt, 200, 'external');
    else countEndpointResult(w, req, cr, attempt, status, outcome.kind === 'response' ? 'external' : 'local');
  }
  applyRetryDecision(w, req, cr, outcome, status, flags, describeOutcome(outcome, detail));
}

/**
 * What the client proxy learns about the endpoint from one result, by the
 * cluster's config: Envoy's outlier detection (§3) or Linkerd's failure
 * accrual (§10.4), and a Peak-EWMA balancer's round trip (§10.3). A reset
 * or a local timeout comes as 503 or 504.
 */
export function countEndpointResult(w: World, req: RequestState, cr: ClusterRuntime, attempt: AttemptState, status: number, origin: ResultOrigin): void {
  const lb = cr.config.lb;
  if (lb.kind === 'PEAK_EWMA' && attempt.host) observeRtt((attempt.host.ewma ??= createRttEstimate(lb.defaultRtt, attempt.pickedAt)), w.now - attempt.pickedAt, w.now, lb.decay);
  if (cr.config.accrual) return countForAccrual(w, req, cr, attempt.endpoint, status);
  countForOutlier(w, req, cr, attempt, status, origin);
}

function countForOutlier(w: World, req: RequestState, cr: ClusterRuntime, attempt: AttemptState, status: number, origin: ResultOrigin): void {
  const cfg = cr.config.outlier;
  const endpoint = attempt.endpoint;
  const host = attempt.host ? (attempt.host.outlier ??= cr.outlier[endpoint]) : cr.outlier[endpoint];
  if (!cfg || !host || host.ejected) return;
  const { trigger } = recordResult(host, cfg, status, origin);
  if (!trigger) return;
  const total = cr.config.endpoints.length;
  let ejected = 0;
  for (const h of Object.values(cr.outlier)) if (h.ejected) ejected += 1;
  const roll = (req.sidecar as ProxyRuntime).rng.outlier.next() * 100;
  const decision = decideEjection(host, cfg, w.now, ejected, total, roll);
  ejectionsChanged(cr);
  const client = clientPodOf(req);
  const base = { clientPod: client, cluster: cr.config.name, endpoint };
  if (decision.kind === 'eject') {
    w.counters?.ejected(client, cr.config.name, endpoint, w.now);
    w.telemetry?.ejected(w.now, cr.config.name);
    if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'outlier.eject', ...base, duration: decision.duration, ejections: host.ejections, reason: decision.reason });
    startOutlierTicks(w, client, cr);
  } else {
    if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'outlier.ejectSkipped', ...base, reason: decision.reason });
  }
}

export function onPerTryTimeout(w: World, attempt: AttemptState | undefined): void {
  if (!attempt || attempt.state !== 'sent') return;
  const req = w.requests.get(attempt.requestId);
  if (req?.retryPolicy) {
    if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'attempt.timeout', endpoint: attempt.endpoint, timeout: req.retryPolicy.perTryTimeout }, attempt.n);
  }
  resetAttemptConnection(w, attempt);
  onAttemptOutcome(w, attempt, { kind: 'reset', reason: 'per-try-timeout' }, 'upstream per-try timeout');
}

/** Stops an attempt the client no longer wants (its stream is reset). */
export function cancelAttempt(w: World, attempt: AttemptState): void {
  const cr = clusterOf(attempt);
  if (attempt.state === 'pending' && cr) abandonPending(cr, attempt);
  else resetAttemptConnection(w, attempt);
  endAttempt(w, attempt);
}

function resetAttemptConnection(w: World, attempt: AttemptState): void {
  const conn = attempt.connection === undefined ? undefined : w.connections.get(attempt.connection);
  const cr = clusterOf(attempt);
  attempt.connection = undefined;
  if (!conn || !cr) return;
  if (conn.maxStreams > 0) {
    // HTTP/2 resets the one stream (RST_STREAM); the connection goes on carrying the others.
    const next = releaseConnection(w, cr, conn, true, attempt);
    const waiting = next === undefined ? undefined : w.attempts.get(next);
    if (waiting) sendOnConnection(w, waiting, conn);
    return;
  }
  conn.busyWith = undefined;
  closeConnection(w, cr, conn, 'stream reset by the client', attempt);
}

function resetFlags(reason: string): ResponseFlag[] {
  switch (reason) {
    case 'connect-failure':
      return ['UF'];
    case 'per-try-timeout':
      return ['UT'];
    case 'remote-reset':
      return ['UC'];
    default:
      return ['UR'];
  }
}

/** Envoy's response details for a reset, with the transport failure reason when there is one. */
export function describeOutcome(outcome: AttemptOutcome, detail: string): string {
  if (outcome.kind !== 'reset') return detail;
  const base = RESET_DETAIL[outcome.reason];
  if (!base) return detail;
  return detail.startsWith('TLS') ? `${base}, transport failure reason: ${detail}` : base;
}
