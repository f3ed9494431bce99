import { formatDuration, parseClusterName, waypointName } from '../model/index.ts';
import type { MeshEvent, Where } from '../model/index.ts';

/** Short name of a pod or host for a timeline: `users-v1-6f…-x2k9p` stays, FQDNs lose the cluster suffix. */
export function shortHost(host: string): string {
  return host.replace(/\.svc\.cluster\.local$/, '');
}

/** Where an event happened; `proxy` names the sidecar (`linkerd-proxy` under Linkerd). */
export function describeWhere(where: Where, proxy = 'envoy'): string {
  switch (where.kind) {
    case 'app':
      return `${where.pod} app`;
    case 'sidecar':
      // Under ambient a pod's sidecar, where it keeps one, is Envoy (ztunnel events stand `where` a ztunnel).
      return `${where.pod} ${proxy === 'ztunnel' ? 'envoy' : proxy}`;
    case 'wire':
      return `wire ${where.from} → ${where.to}`;
    case 'client':
      return `${where.name} (outside the mesh)`;
    case 'ztunnel':
      return `ztunnel on ${where.node} (for ${where.pod})`;
    case 'waypoint':
      return `waypoint ${waypointName(where.name)}`;
    case 'mesh':
      return 'mesh';
    default: {
      const never: never = where;
      return String(never);
    }
  }
}

/** The events whose words differ under Linkerd: no Envoy flags; undefined: the same words as Envoy's. */
function linkerdWords(e: MeshEvent): string | undefined {
  switch (e.kind) {
    case 'route.none':
      return `route: no HTTPRoute rule matched on ${e.virtualHost} → 404`;
    case 'lb.noHealthy':
      return `no endpoint available in ${e.cluster}: ${e.ejected} of ${e.total} endpoints unavailable → 504 FAIL_FAST`;
    case 'retry.exhausted':
      return `no retries left (${e.retries} allowed): the last answer goes back as it is`;
    case 'authz.deny':
      return `authorization: denied by ${e.policy} — ${e.reason} → 403 Forbidden`;
    case 'route.match':
      return e.origin.kind === 'default' ? 'route: the Service itself (no HTTPRoute or ServiceProfile route for this host)' : undefined;
    default:
      return undefined;
  }
}

/** Envoy draws its back-off in [0, window); Linkerd's is base plus jitter in [base, cap]; a ServiceProfile retries at once. */
function backoffWords(delay: number, range: [number, number]): string {
  if (range[1] === 0) return 'no back-off (ServiceProfile retries go out at once)';
  if (range[0] > 0) return `backing off ${formatDuration(delay)} (base ${formatDuration(range[0])} plus jitter, at most ${formatDuration(range[1])})`;
  return `backing off ${formatDuration(delay)} (drawn from [0, ${formatDuration(range[1])}))`;
}

/**
 * One event in plain words, for the `send` timeline and the visualizer's
 * event log. `proxy` is the sidecar that made it: Envoy speaks of response
 * flags, linkerd-proxy of its own error words (§10).
 */
export function describeEvent(e: MeshEvent, proxy = 'envoy'): string {
  if (proxy === 'linkerd-proxy') {
    const linkerd = linkerdWords(e);
    if (linkerd !== undefined) return linkerd;
  }
  switch (e.kind) {
    case 'request.start':
      return e.origin.kind === 'mirror'
        ? `shadow copy of request #${e.origin.parentId}: ${e.method} ${shortHost(e.host)}:${e.port}${e.path}`
        : e.ingress && e.origin.kind === 'app'
          ? `${e.method} ${e.host}:${e.port}${e.path} — the gateway proxy ${e.fromPod} took request #${e.origin.parentId} from the mesh on listener ${e.ingress.listener}, ${e.ingress.gateway} ${e.ingress.server} (${e.ingress.protocol}): it routes it by its own config`
        : e.ingress
          ? `${e.method} ${e.host}:${e.port}${e.path} — from outside the mesh to the gateway proxy ${e.fromPod}: listener ${e.ingress.listener}, ${e.ingress.gateway} ${e.ingress.server} (${e.ingress.protocol}); ${e.ingress.tls}`
          : `${e.method} ${shortHost(e.host)}:${e.port}${e.path} — the app dials the service; ${e.viaSidecar ? (proxy === 'ztunnel' ? "its node's ztunnel captures the call (or its sidecar, if it has one)" : 'its sidecar captures the call') : 'no sidecar: kube-proxy picks a pod, no mesh features apply'}`;
    case 'route.match': {
      if (e.where.kind === 'ztunnel') return `ztunnel: no waypoint for ${e.virtualHost}, so no L7 routing — straight to the service's endpoints`;
      const misses = e.misses.map((m) => `${m.route}: ${m.reason}`).join('; ');
      const rule = e.origin.kind === 'default'
        ? 'the default route (no VirtualService for this host)'
        : e.origin.kind === 'gatewayServer'
          ? `${e.route}: ${e.origin.resource} ${e.origin.path} sends plain-HTTP clients to https`
        : e.origin.kind === 'outboundTrafficPolicy'
          ? `${e.route}: no service in the registry for this host, and outboundTrafficPolicy is ${e.origin.mode}`
        : e.origin.kind === 'l4Route'
          ? `the TCP proxy of ${e.route}${e.origin.section === 'tls' ? ` for SNI ${e.virtualHost.replace(/:\d+$/, '')}: the client's TLS goes through unopened, no HTTP seen here` : ': bytes forwarded, no HTTP seen here'}`
          : `rule ${e.route}`;
      return `route: matched ${rule}${misses ? ` — skipped ${misses}` : ''}`;
    }
    case 'route.none':
      return `route: nothing matched on ${e.virtualHost}${e.misses.length ? ` — ${e.misses.map((m) => `${m.route}: ${m.reason}`).join('; ')}` : ''} → 404 NR`;
    case 'route.overrides':
      return `the request's headers change the route's policy: ${e.changes.join('; ')}`;
    case 'route.cluster':
      return e.weights.length > 1
        ? `weighted split ${e.weights.map((w) => `${subsetOf(w.cluster)} ${w.weight}`).join(' / ')}${drawWords(e.weights, e.draw)} → ${subsetOf(e.cluster)}`
        : `destination cluster ${e.cluster}`;
    case 'fault.delay':
      return `fault injection: delaying the request ${formatDuration(e.delay)} (${e.percent}% of requests) — flag DI`;
    case 'fault.abort':
      return `fault injection: aborting with ${e.status} (${e.percent}% of requests) — flag FI; this sidecar does not retry it`;
    case 'mirror.send':
      return `mirroring a copy to ${e.cluster} (request #${e.shadowId}); its answer will be ignored`;
    case 'trace.start':
      return `trace ${e.traceId.slice(0, 8)}…: ${e.reason}`;
    case 'mtls.reject':
      return `${e.pod}'s sidecar rejects the connection: ${e.reason}`;
    case 'authz.allow':
      return `authorization: allowed — ${e.reason}`;
    case 'authz.deny':
      return `authorization: denied by ${e.policy} — ${e.reason} → ${e.tcp ? 'the connection is closed (network RBAC: no HTTP on this port)' : '403 RBAC: access denied'}`;
    case 'config.change':
      return `control plane: ${e.change} (config version ${e.version}); pushing to the proxies`;
    case 'config.push':
      return `${e.pod}'s sidecar receives config version ${e.version}`;
    case 'config.rejected':
      return `control plane: ${e.change} not applied — ${e.reason}`;
    case 'controlPlane.down':
      return 'istiod is down: proxies keep their last config; certificates cannot be renewed';
    case 'controlPlane.up':
      return 'istiod is back';
    case 'cert.issue':
      return `${e.pod} gets a new workload certificate for ${e.spiffeId}, valid until ${formatDuration(e.notAfter)}`;
    case 'cert.expired':
      return `${e.pod}'s certificate for ${e.spiffeId} has expired`;
    case 'cluster.missing':
      return `cluster ${e.cluster} does not exist (no DestinationRule defines that subset) → 503 NC`;
    case 'lb.pick':
      return `balancer ${e.policy} chose ${e.endpoint} (${e.healthy}/${e.total} endpoints available${e.locality ? `, locality priority ${e.locality.priority} of load ${e.locality.load.join('/')} %` : ''}${e.weighted ? `, locality ${e.weighted.locality} by weight ${e.weighted.weight} of ${e.weighted.total}` : ''}): ${e.reason}`;
    case 'lb.noHealthy':
      return e.failureAccrual
        ? `no endpoint available in ${e.cluster}: ${e.ejected} of ${e.total} endpoints unavailable (failure accrual) → 504 FAIL_FAST`
        : `no healthy upstream in ${e.cluster}: ${e.ejected} of ${e.total} endpoints ejected → fail fast 503 UH`;
    case 'pool.overflow':
      return `circuit breaker ${e.limit} reached on ${e.cluster} → 503 UO`;
    case 'pool.pending':
      return `waiting for a connection (${e.pending} pending on ${e.cluster})`;
    case 'queue.wait':
      return `no endpoint available in ${e.cluster} yet: waiting in its queue (${e.waiting} waiting) for one, or FAIL_FAST at ${formatDuration(e.failFastAt)}`;
    case 'queue.gateShut':
      return e.reason === 'failFast'
        ? `${e.cluster} is in fail-fast (no endpoint for its whole timeout): its gate is shut, so the route passes over it — another backend, or LOAD_SHED if none is ready`
        : `${e.cluster}'s queue is full: the route passes over it — another backend, or LOAD_SHED if none is ready`;
    case 'conn.open':
      return `new ${e.http2 ? 'HTTP/2 ' : ''}connection #${e.connection} to ${e.endpoint}: ${e.mtls ? 'TCP + mTLS handshake' : e.tls ? `TCP + TLS handshake (${e.tls}: TLS originated by this proxy)` : 'TCP handshake'} ${formatDuration(e.setup)}`;
    case 'conn.reuse':
      return e.streams === undefined
        ? `reusing keep-alive connection #${e.connection} to ${e.endpoint}`
        : `multiplexed on HTTP/2 connection #${e.connection} to ${e.endpoint} (${e.streams} ${e.streams === 1 ? 'stream' : 'streams'} open)`;
    case 'conn.refused':
      return `connection to ${e.endpoint} refused`;
    case 'conn.close':
      return `connection #${e.connection} to ${e.endpoint} closed: ${e.reason}`;
    case 'hop.send':
      return `${e.direction === 'request' ? 'request' : 'response'} on the wire to ${e.toPod} (${e.mtls ? 'mTLS' : e.tls ? `TLS, ${e.tls}` : 'plaintext'})`;
    case 'hop.arrive':
      return `arrives at ${e.pod} from ${e.fromPod} (${e.mtls ? 'mTLS' : e.tls ? `TLS, ${e.tls}` : 'plaintext'})${e.identities ? `; peers ${e.identities.client} → ${e.identities.server}` : ''}`;
    case 'app.receive':
      return `app ${e.pod} handles the request`;
    case 'app.fail':
      return `app ${e.pod} is failing (${e.mode})`;
    case 'app.respond':
      return `app ${e.pod} answers ${e.status}`;
    case 'app.callFailed':
      return `app ${e.pod}: a downstream call failed (${e.status || 'no response'}) → ${e.onFailure === 'fail' ? 'answers 500' : 'carries on'}`;
    case 'app.retry':
      return `app ${e.pod} retries its call itself (app retry ${e.retry})`;
    case 'app.timeout':
      return `app ${e.pod} gives up on its call after ${formatDuration(e.timeout)}`;
    case 'inbound.complete':
      return `${e.where.kind === 'ztunnel' ? `${e.pod}'s ztunnel` : `${e.pod}'s sidecar`} records ${e.status} for ${e.sourceWorkload} → ${shortHost(e.destinationService)} in ${formatDuration(e.duration)}${e.shadow ? ' (shadow traffic)' : ''}`;
    case 'attempt.result':
      return `attempt ${e.attempt} at ${e.endpoint}: ${e.status}${e.flags.length ? ` ${e.flags.join(',')}` : ''}${e.detail ? ` — ${e.detail}` : ''}`;
    case 'attempt.timeout':
      return `per-try timeout ${formatDuration(e.timeout)} at ${e.endpoint}: the attempt is reset`;
    case 'retry.backoff':
      return `retry ${e.retry}: ${e.reason}; ${backoffWords(e.delay, e.range)}`;
    case 'retry.budget':
      return `retry wanted but the retry budget of ${e.cluster} is spent (${e.balance} left, a retry takes more) → the answer goes back as it is`;
    case 'retry.overflow':
      return `retry wanted but the retry circuit breaker of ${e.cluster} is full → UO`;
    case 'retry.exhausted':
      return `no retries left (${e.retries} allowed) → URX`;
    case 'route.timeout':
      return `route timeout ${formatDuration(e.timeout)} expired (it covers every try and back-off) → 504 UT`;
    case 'outlier.eject':
      return `outlier detection: ${e.clientPod} ejects ${e.endpoint} for ${formatDuration(e.duration)} (ejection #${e.ejections}; ${e.reason})`;
    case 'outlier.ejectSkipped':
      return `outlier detection would eject ${e.endpoint} but does not: ${e.reason}`;
    case 'outlier.uneject':
      return `${e.endpoint} returns to ${e.clientPod}'s pool after ${formatDuration(e.ejectedFor)}`;
    case 'accrual.unavailable':
      return `failure accrual: ${e.clientPod} marks ${e.endpoint} unavailable for ${formatDuration(e.duration)} (back-off #${e.penalty}; ${e.reason})`;
    case 'accrual.probe':
      return `failure accrual: ${e.endpoint} is on probation; this request is its one probe`;
    case 'accrual.available':
      return `failure accrual: the probe succeeded, ${e.endpoint} is available again to ${e.clientPod}`;
    case 'ambient.hop':
      return e.hbone
        ? `${e.direction} ${e.from} → ${e.to} through an HBONE tunnel (mTLS, HTTP CONNECT to port ${e.port})`
        : `${e.direction} ${e.from} → ${e.to}, captured on the node (port ${e.port}, no sidecar)`;
    case 'timeline.fail':
      return `${e.pods.join(', ')} start failing (${e.mode})`;
    case 'timeline.recover':
      return `${e.pods.join(', ')} recover`;
    case 'request.end':
      // A request that starts at a proxy (a gateway forwarding one from the mesh, a shadow copy) ends there, with no app to see it.
      if (e.where.kind === 'sidecar') return `the proxy has its answer: ${e.status === 0 ? 'none (connection closed)' : e.status}${e.flags.length ? ` [${e.flags.join(',')}]` : ''} after ${formatDuration(e.duration)}, ${e.attempts} attempt${e.attempts === 1 ? '' : 's'}${e.detail ? ` — ${e.detail}` : ''}`;
      return `the app sees ${e.status === 0 ? 'no response (connection reset)' : e.status}${e.flags.length ? ` [${e.flags.join(',')}]` : ''}${e.error ? ` [${e.error}]` : ''} after ${formatDuration(e.duration)}, ${e.attempts} attempt${e.attempts === 1 ? '' : 's'}${e.detail ? ` — ${e.detail}` : ''}`;
    default: {
      const never: never = e;
      return JSON.stringify(never);
    }
  }
}

/**
 * The router's draw as a share of the whole and the span it fell in:
 * "drew 0.93, in v2's 0.90–1.00". Shares are the draw over the sum of the
 * weights, so any weights read the same way as percentages would.
 */
function drawWords(weights: ReadonlyArray<{ cluster: string; weight: number }>, draw: number | undefined): string {
  if (draw === undefined) return '';
  let total = 0;
  for (const w of weights) total += Math.max(0, w.weight);
  if (total <= 0) return '';
  let start = 0;
  for (const w of weights) {
    if (w.weight <= 0) continue;
    const end = start + w.weight;
    if (draw < end) return `: drew ${share(draw, total)}, in ${subsetOf(w.cluster)}'s ${share(start, total)}–${share(end, total)}`;
    start = end;
  }
  return '';
}

function share(n: number, total: number): string {
  return (n / total).toFixed(2);
}

function subsetOf(cluster: string): string {
  const parsed = parseClusterName(cluster);
  if (!parsed) return cluster;
  return parsed.subset ?? `${shortHost(parsed.host)}:${parsed.port}`;
}
