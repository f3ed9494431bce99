import { emitFor, finishRequest, NONE, watching } from './request.ts';
import { RESET, Task } from './Task.ts';
import type { KubeServiceXds } from '../../model/index.ts';
import type { Rng } from '../kernel/Rng.ts';
import type { AttemptState, RequestState, World } from './World.ts';

/**
 * A caller without a sidecar: no routing rules, retries or outlier detection.
 * kube-proxy picks a pod of the Service at random per connection, and each
 * request here opens its own plaintext connection (one TCP handshake).
 */
export function onDirect(w: World, req: RequestState): void {
  const service = kubeServiceOf(w, req.host, req.port);
  if (!service || service.endpoints.length === 0) {
    return finishRequest(w, req, 0, NONE, `connection refused: ${req.host}:${req.port} has no endpoints`);
  }
  const endpoint = service.endpoints[kubeRng(w, req.from).int(service.endpoints.length)];
  if (!endpoint) return;
  req.attemptCount = 1;
  req.attempted = endpoint.pod;
  const attempt: AttemptState = {
    id: ++w.nextId.attempt,
    requestId: req.id,
    n: 1,
    sidecar: undefined,
    cluster: undefined,
    cr: undefined,
    endpoint: endpoint.pod,
    host: undefined,
    callee: w.pods[endpoint.pod],
    port: endpoint.port,
    isRetry: false,
    pickedAt: w.now,
    connection: undefined,
    mtls: false,
    state: 'sent',
    perTryTimer: undefined,
  };
  w.attempts.set(attempt.id, attempt);
  req.currentAttempt = attempt.id;
  if (attempt.callee?.failure?.mode === 'refuse') {
    return void w.queue.push(w.now + w.costs.tcpHandshake, Task.responseArrive, attempt.id, RESET, 'connection refused');
  }
  if (watching(w)) emitFor(w, req, { kind: 'wire', from: req.from, to: endpoint.pod }, { kind: 'hop.send', toPod: endpoint.pod, mtls: false, direction: 'request' }, 1);
  w.queue.push(w.now + w.costs.tcpHandshake + w.costs.wire, Task.serverArrive, attempt.id);
}

/** The answer (or reset) reaches a sidecar-less caller: no retries, no flags. */
export function onDirectResponse(w: World, attempt: AttemptState, status: number, detail: string): void {
  w.attempts.delete(attempt.id);
  const req = w.requests.get(attempt.requestId);
  if (req) finishRequest(w, req, status, NONE, detail);
}

/** The Service behind `host:port` as kube-proxy sees it (looked up by host, then port; cleared when the config changes). */
function kubeServiceOf(w: World, host: string, port: number): KubeServiceXds | undefined {
  let byPort = w.kubeServices.get(host);
  if (!byPort) w.kubeServices.set(host, (byPort = new Map()));
  let service = byPort.get(port);
  if (service === undefined) byPort.set(port, (service = w.xds.kubeServices[`${host}:${port}`] ?? null));
  return service ?? undefined;
}

/** kube-proxy's pick for one caller: stream `kube:<caller>`. */
function kubeRng(w: World, from: string): Rng {
  let rng = w.kubeRngs.get(from);
  if (!rng) w.kubeRngs.set(from, (rng = w.rng.stream(`kube:${from}`)));
  return rng;
}
