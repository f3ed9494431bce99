import { oldestFirst, type Gateway, type GatewayServer, type Pod, type Scenario, type VirtualService } from '../../model/index.ts';
import { hostMatches } from './HostResolver.ts';
import { matchesLabels, serviceSelects } from '../../model/index.ts';

/** The reserved gateway name for every sidecar of the mesh (VirtualService `gateways`). */
export const MESH_GATEWAY = 'mesh';

/** Server protocols whose traffic a gateway routes as HTTP (Istio `protocol.IsHTTP`, plus HTTPS terminated at the gateway). */
const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC', 'HTTPS']);

/** `namespace/name` of a Gateway. */
export function gatewayKey(gateway: Gateway): string {
  return `${gateway.metadata.namespace}/${gateway.metadata.name}`;
}

/**
 * A VirtualService's `gateways` entry as the Gateway it names: `ns/name`, or
 * a bare name in the VirtualService's own namespace (VirtualService API,
 * `gateways`: "specifying a gateway with no namespace qualifier is the same
 * as specifying the VirtualService's namespace"). `mesh` stays `mesh`.
 */
export function gatewayRef(entry: string, vsNamespace: string): string {
  if (entry === MESH_GATEWAY) return entry;
  return entry.includes('/') ? entry : `${vsNamespace}/${entry}`;
}

/**
 * The gateways a VirtualService is bound to: `mesh` (every sidecar) when it
 * lists none, else exactly those it lists — a VirtualService naming only
 * `my-gw` does not apply to sidecars (VirtualService API, `gateways`: "The
 * reserved word mesh is used to imply all the sidecars in the mesh. When this
 * field is omitted, the default gateway (mesh) will be used ... If a list of
 * gateway names is provided, the rules will apply only to the gateways. To
 * apply the rules to both gateways and sidecars, specify mesh as one of the
 * gateway names").
 */
export function boundGateways(vs: VirtualService): string[] {
  const listed = vs.spec.gateways ?? [];
  return listed.length === 0 ? [MESH_GATEWAY] : listed.map((g) => gatewayRef(g, vs.metadata.namespace));
}

/**
 * The Gateways that apply to a gateway proxy pod: those whose `selector`
 * matches its labels, in any namespace (Gateway API, `selector`: "By
 * default workloads are searched across all namespaces based on label
 * selectors"), oldest first. Only gateway proxies take Gateways; a
 * sidecar whose labels match does not listen for them.
 */
export function gatewaysFor(scenario: Scenario, pod: Pod): Gateway[] {
  if (!pod.gateway) return [];
  return scenario.gateways.filter((g) => matchesLabels(g.spec.selector ?? {}, pod.labels)).sort(oldestFirst);
}

/** Whether a server carries HTTP the gateway routes (HTTP, HTTP2, GRPC, or HTTPS it terminates). */
export function routesHttp(server: GatewayServer): boolean {
  const protocol = (server.port.protocol ?? '').toUpperCase();
  if (!HTTP_PROTOCOLS.has(protocol)) return false;
  return protocol !== 'HTTPS' || server.tls?.mode === undefined || TERMINATING.has(server.tls.mode);
}

/** TLS modes whose handshake the gateway itself completes (the client's TLS ends at the gateway). */
const TERMINATING = new Set(['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL', 'ISTIO_MUTUAL']);

/** Whether a server's `tls.mode` ends the client's TLS at the gateway. */
export function terminatesTls(mode: string | undefined): boolean {
  return mode !== undefined && TERMINATING.has(mode);
}

/**
 * The SNI names a server's filter chain matches (istiod
 * `GetSNIHostsForServer`: the hosts without their `namespace/`, only for a
 * HTTPS or TLS server); undefined when it matches any: a plain-text server, or a host `*`
 * (istiod sets no `server_names` then: "If we have a host with *, it
 * effectively means match anything", pilot/pkg/networking/core/listener.go).
 */
export function sniHostsOf(server: GatewayServer): string[] | undefined {
  const protocol = (server.port.protocol ?? '').toUpperCase();
  if (protocol !== 'HTTPS' && protocol !== 'TLS') return undefined;
  const names = [...new Set(server.hosts.map((h) => (h.includes('/') ? h.slice(h.indexOf('/') + 1) : h).toLowerCase()))].sort();
  return names.includes('*') ? undefined : names;
}

/**
 * The hosts a server offers a VirtualService in `vsNamespace` (istiod
 * `host.NamesForNamespace`): `ns/host` only to that namespace, `./host` to
 * the Gateway's own, `*\/host` and a bare host to every namespace.
 */
export function serverHostsFor(server: GatewayServer, gatewayNamespace: string, vsNamespace: string): string[] {
  return server.hosts.flatMap((text) => {
    const slash = text.indexOf('/');
    if (slash < 0) return [text.toLowerCase()];
    const ns = text.slice(0, slash);
    const host = text.slice(slash + 1).toLowerCase();
    const owner = ns === '.' ? gatewayNamespace : ns;
    return owner === '*' || owner === vsNamespace ? [host] : [];
  });
}

/**
 * The hosts a server and a VirtualService have in common, each the more
 * specific of the pair (istiod `host.Names.Intersection`): server `*` and
 * VirtualService `shop.example.com` give `shop.example.com`; server
 * `*.example.com` and VirtualService `*` give `*.example.com`.
 */
export function intersectHosts(serverHosts: readonly string[], vsHosts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const s of serverHosts) {
    for (const v of vsHosts) {
      if (hostMatches(s, v)) found.add(v);
      else if (hostMatches(v, s)) found.add(s);
    }
  }
  return [...found];
}

/** The ports outside clients reach some gateway proxy of the scenario on (a server's, or a Service's in front of it). */
export function ingressPorts(scenario: Scenario): Set<number> {
  const ports = new Set<number>();
  for (const pod of scenario.pods) {
    for (const gateway of gatewaysFor(scenario, pod)) {
      for (const server of gateway.spec.servers ?? []) {
        for (const port of clientPorts(scenario, pod, server.port.number)) ports.add(port);
      }
    }
  }
  return ports;
}

/**
 * The ports a gateway pod listens on for a server on `port` (istiod's
 * `resolveGatewayPorts` for a selector Gateway: the targetPort of each
 * Service port that is `port`, else the port itself as written).
 */
export function listenPorts(scenario: Scenario, pod: Pod, port: number): number[] {
  const ports = new Set([port]);
  for (const service of scenario.services) {
    if (!serviceSelects(service, pod)) continue;
    for (const p of service.ports) if (p.port === port) ports.add(p.targetPort);
  }
  return [...ports];
}

/**
 * The ports outside clients dial to reach a gateway server on `port`: the
 * port itself and every port of a Service selecting the gateway pod that is,
 * or targets, that port (the Gateway API, `Server.port`: "the port on which
 * the proxy should listen"; a LoadBalancer Service's 80 reaches the proxy's
 * 8080, as Bookinfo's gateway on 8080 is reached on 80).
 */
export function clientPorts(scenario: Scenario, pod: Pod, port: number): number[] {
  const ports = new Set([port]);
  for (const service of scenario.services) {
    if (!serviceSelects(service, pod)) continue;
    for (const p of service.ports) if (p.port === port || p.targetPort === port) ports.add(p.port);
  }
  return [...ports];
}
