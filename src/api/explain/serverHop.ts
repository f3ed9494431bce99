import type { MeshEvent, MeshXds, Scenario } from '../../model/index.ts';
import { emptyHop, SIMULATION_ERRORS } from './SendExplanation.ts';
import type { ExplainHop } from './SendExplanation.ts';
import { stop } from './clientHop.ts';

/** Where the request reached its callee: the pod, the container port, the service port it was sent to, and whether the connection was mTLS. */
export interface Arrival {
  pod: string;
  targetPort: number;
  servicePort: number;
  mtls: boolean;
}

/**
 * The callee's sidecar (Istio's inbound names, istiod
 * `listener_inbound.go` and `httproute.go`): listener `virtualInbound`,
 * the filter chain `0.0.0.0_<targetPort>` for the connection's TLS under
 * the port's PeerAuthentication mode, the RBAC filter, route config
 * `inbound|<targetPort>||`, virtual host `inbound|http|<servicePort>`,
 * route `default`, cluster `inbound|<targetPort>||`, the app at
 * `<podIP>:<targetPort>`. A plaintext connection to a STRICT port matches
 * no chain (Istio's simulator: `ErrNoFilterChain`).
 */
export function sidecarInboundHop(scenario: Scenario, xds: MeshXds, at: Arrival, events: MeshEvent[]): ExplainHop {
  const hop = emptyHop('inbound', at.pod);
  const proxy = xds.proxies[at.pod];
  const mode = proxy?.inbound.mtls.ports[at.targetPort] ?? proxy?.inbound.mtls.default ?? 'PERMISSIVE';
  hop.listenerMatched = 'virtualInbound';
  const rejected = events.find((e) => e.kind === 'mtls.reject');
  if (rejected?.kind === 'mtls.reject') {
    return stop(hop, 'filterChain', SIMULATION_ERRORS.noFilterChain, `port ${at.targetPort} is ${rejected.mode}: ${rejected.mode === 'STRICT' ? 'its chains take only mTLS, and this connection is plaintext' : 'its chains take only plaintext'}, so Envoy closes the connection (${rejected.reason})`);
  }
  hop.filterChainMatched = `0.0.0.0_${at.targetPort}`;
  hop.notes.push(`${at.mtls ? 'mTLS' : 'plaintext'} on a ${mode} port`);
  const denied = events.find((e) => e.kind === 'authz.deny');
  if (denied?.kind === 'authz.deny') return stop(hop, 'authorization', 'RBAC: access denied', `${denied.policy}: ${denied.reason}; the sidecar answers 403`);
  const allowed = events.find((e) => e.kind === 'authz.allow');
  if (allowed?.kind === 'authz.allow') hop.authorizationMatched = allowed.reason;
  hop.routeConfigMatched = `inbound|${at.targetPort}||`;
  hop.virtualHostMatched = `inbound|http|${at.servicePort}`;
  hop.routeMatched = 'default';
  hop.clusterMatched = `inbound|${at.targetPort}||`;
  const ip = scenario.pods.find((p) => p.name === at.pod)?.ip;
  hop.endpointMatched = ip ? `${ip}:${at.targetPort}` : null;
  return hop;
}

/**
 * The callee's node ztunnel under ambient: L4 only, so none of Envoy's
 * stages — the HBONE tunnel in (15008), PeerAuthentication and the L4 part
 * of AuthorizationPolicies, then the pod.
 */
export function ztunnelInboundHop(scenario: Scenario, node: string, at: Arrival, events: MeshEvent[]): ExplainHop {
  const hop = emptyHop('ztunnel', `ztunnel ${node}`);
  hop.notes.push(`L4: ${at.mtls ? 'HBONE (mTLS) in on 15008' : 'plaintext in'}, for ${at.pod}`);
  const rejected = events.find((e) => e.kind === 'mtls.reject');
  if (rejected?.kind === 'mtls.reject') return stop(hop, 'filterChain', 'connection closed', rejected.reason);
  const denied = events.find((e) => e.kind === 'authz.deny');
  if (denied?.kind === 'authz.deny') return stop(hop, 'authorization', 'connection closed', `${denied.policy}: ${denied.reason}`);
  const allowed = events.find((e) => e.kind === 'authz.allow');
  if (allowed?.kind === 'authz.allow') hop.authorizationMatched = allowed.reason;
  const ip = scenario.pods.find((p) => p.name === at.pod)?.ip;
  hop.endpointMatched = ip ? `${ip}:${at.targetPort}` : null;
  return hop;
}
