import { RESET, Task } from './Task.ts';
import { startRequest } from './request.ts';
import type { RequestSpec } from './request.ts';
import type { PodRuntime, RequestState, ServerState, World } from './World.ts';

/** The `call` of a gateway's forwarded request in its origin: no app call of the gateway pod (it has no app). */
export const GATEWAY_FORWARD = -1;

const FORWARDED: NonNullable<RequestSpec['entry']> = Object.freeze({ forwarded: true as const });

/**
 * A request from inside the mesh reached a gateway proxy (an egress
 * gateway, the sidecar's VirtualService sent it there): the gateway routes
 * it itself, as it routes an outside client's, by the request's host on
 * the server whose listener took it — its own virtual hosts, clusters,
 * retries and pools. Its answer is the gateway's answer to the sidecar.
 * No server listens on the port: Envoy has no listener there, so the
 * connection is refused when it opens (pool.ts); one that is open already
 * is reset here.
 */
export function forwardAtGateway(w: World, server: ServerState, req: RequestState, port: number): void {
  const gateway = server.runtime;
  const serverPort = listeningServerPort(gateway.proxy?.xds.gateway?.servers, port);
  if (serverPort === undefined) {
    server.responded = true;
    w.servers.delete(server.id);
    w.queue.push(w.now + w.costs.wire, Task.responseArrive, server.id, RESET, `connection refused: the gateway ${gateway.pod.name} has no server listening on port ${port}`);
    return;
  }
  const pod = gateway.pod;
  startRequest(w, {
    origin: { kind: 'app', parentId: req.id, call: GATEWAY_FORWARD, serverId: server.id },
    from: pod.name,
    fromWorkload: pod.workload,
    namespace: pod.namespace,
    viaSidecar: true,
    host: req.host,
    port: serverPort,
    authority: req.head.authority,
    method: req.head.method,
    path: req.head.path,
    headers: req.head.headers,
    ownHeaders: true,
    caller: gateway,
    depth: req.depth + 1,
    entry: FORWARDED,
  });
}

/** The forwarded request came back: the gateway answers the sidecar with it (a closed connection stays one). */
export function gatewayAnswered(w: World, child: RequestState): void {
  if (child.origin.kind !== 'app') return;
  const server = w.servers.get(child.origin.serverId);
  if (!server || server.responded) return;
  server.responded = true;
  const status = child.result?.status ?? 0;
  if (status !== 0) return void w.queue.push(w.now, Task.serverRespond, server.id, status);
  w.servers.delete(server.id);
  w.queue.push(w.now + w.costs.wire, Task.responseArrive, server.id, RESET, `connection closed by the gateway ${server.pod}: ${child.result?.detail ?? ''}`);
}

/** Whether a gateway proxy has a listener on `port` (a connection to any other port is refused). */
export function gatewayListensOn(gateway: PodRuntime, port: number): boolean {
  return listeningServerPort(gateway.proxy?.xds.gateway?.servers, port) !== undefined;
}

/** The server port whose listener is on `port` (its own port, or the Service targetPort it is bound to). */
function listeningServerPort(servers: ReadonlyArray<{ port: number; listenPorts: number[] }> | undefined, port: number): number | undefined {
  if (!servers) return undefined;
  for (const s of servers) if (s.port === port || s.listenPorts.includes(port)) return s.port;
  return undefined;
}
