import { retryBackoff, routeToClusters } from '../../model/index.ts';
import { startAttempt } from './outbound.ts';
import { Task } from './Task.ts';
import { createRequest, emitFor, watching } from './request.ts';
import { unsampled } from './trace.ts';
import { countRequestStart } from './counting.ts';
import type { RequestState, World } from './World.ts';
import { clientProxyWhere } from './ambient.ts';

/**
 * Request mirroring (§2.5): the router also sends a copy to the mirror
 * cluster and does not wait for it. The copy has no retries and no timeout,
 * its answer is thrown away, and it counts at the mirror target as shadow
 * traffic. Since Istio 1.28 the Host header keeps its name (no `-shadow`).
 */
export function startShadow(w: World, req: RequestState, cluster: string): void {
  const shadow = createRequest(
    w,
    { origin: { kind: 'mirror', parentId: req.id }, from: req.from, fromWorkload: req.fromWorkload, namespace: req.namespace, viaSidecar: true, host: req.host, port: req.port, depth: req.depth + 1 },
    { ...req.head, headers: unsampled(req.head.headers) },
  );
  const id = shadow.id;
  shadow.cluster = cluster;
  shadow.route = {
    name: `mirror of ${req.route?.name ?? 'route'}`,
    origin: req.route?.origin ?? { kind: 'default' },
    match: { headers: [], queryParams: [] },
    action: routeToClusters({ clusters: [{ cluster, weight: 1 }], timeout: 0, retry: NO_RETRIES, mirrors: [] }),
  };
  if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'mirror.send', cluster, shadowId: id });
  if (w.counters) shadow.tally = countRequestStart(w, w.counters, -1, req.fromWorkload, req.host, undefined);
  w.telemetry?.requestStarted(w.now, shadow);
  if (watching(w)) emitFor(w, shadow, { kind: 'sidecar', pod: req.from }, {
    kind: 'request.start',
    origin: { kind: 'mirror', parentId: req.id },
    fromPod: req.from,
    fromWorkload: req.fromWorkload,
    viaSidecar: true,
    host: req.host,
    port: req.port,
    method: req.head.method,
    path: req.head.path,
    headers: shadow.head.headers,
  });
  if (!req.sidecar?.xds.clusters[cluster]) {
    shadow.done = true;
    shadow.result = { status: 503, flags: ['NC'], detail: `mirror cluster ${cluster} not found` };
    w.queue.push(w.now, Task.requestDeliver, id);
    return;
  }
  startAttempt(w, shadow, false);
}

const NO_RETRIES = {
  numRetries: 0,
  retryOn: [],
  retriableStatusCodes: [],
  perTryTimeout: 0,
  ...retryBackoff(),
  previousHosts: false,
  hostSelectionRetryMaxAttempts: 1,
};
