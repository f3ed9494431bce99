import type { GatewayServerXds, MeshXds, ProxyXds } from '../../model/index.ts';
import { sniMatches } from './buildGatewayL4Routes.ts';
import { terminatesTls } from './gatewayBinding.ts';

/** An outside client's request as a gateway proxy takes it: the host it sends, the port its server listens on, the gateway pods listening there. */
export interface IngressAddress {
  host: string;
  port: number;
  /** Pod names of the gateway proxies with a server on that port, in scenario order. */
  ingress: string[];
  /** The gateway ends the client's TLS there (its handshake is the gateway's). */
  handshake?: true;
  /** The server asks for a client certificate (`MUTUAL`): a client without one is refused at the handshake. */
  clientCertificate?: true;
  /** The gateway closes the connection before any HTTP: why, and the access log flag Envoy gives it (NR: no filter chain). */
  refused?: { detail: string; flag?: 'NR' };
}

/**
 * The port an outside client reaches a gateway on: the one it dials, else
 * HTTP's 80, else HTTPS's 443 when a gateway listens there. Undefined when
 * no gateway listens on it (the client then reaches what it names directly).
 */
export function ingressPortFor(listening: ReadonlySet<number>, port: number | undefined): number | undefined {
  if (port !== undefined) return listening.has(port) ? port : undefined;
  return listening.has(80) ? 80 : listening.has(443) ? 443 : undefined;
}

/**
 * What an outside client dials → the gateway proxies that take it: every
 * gateway pod with a server on the port. The host is kept as the client
 * sends it (lower case, no trailing dot); the gateway matches it against its
 * virtual hosts (404 NR when none has it).
 */
export function resolveIngressAddress(xds: MeshXds, dialled: string, port?: number): IngressAddress | undefined {
  const withPort = /^(.*):(\d+)$/.exec(dialled.trim().toLowerCase());
  const host = (withPort ? (withPort[1] as string) : dialled.trim().toLowerCase()).replace(/\.$/, '');
  // By the port a client dials: the server's port on its proxies, and the proxies listening.
  const byPort = new Map<number, { port: number; pods: string[] }>();
  for (const proxy of Object.values(xds.proxies)) {
    for (const server of proxy.gateway?.servers ?? []) {
      for (const clientPort of server.clientPorts) {
        const entry = byPort.get(clientPort) ?? { port: server.port, pods: [] };
        if (entry.port === server.port && !entry.pods.includes(proxy.pod)) entry.pods.push(proxy.pod);
        byPort.set(clientPort, entry);
      }
    }
  }
  const wanted = ingressPortFor(new Set(byPort.keys()), withPort ? Number(withPort[2]) : port);
  const entry = wanted === undefined ? undefined : byPort.get(wanted);
  if (host === '' || !entry) return undefined;
  const address: IngressAddress = { host, port: entry.port, ingress: entry.pods };
  const proxy = xds.proxies[entry.pods[0] as string] as ProxyXds;
  const servers = (proxy.gateway?.servers ?? []).filter((s) => s.port === entry.port);
  return { ...address, ...handshakeWith(proxy, servers, host) };
}

/**
 * What the client's connection meets on a server port before any HTTP:
 * the filter chain Envoy picks by the SNI it sends, and that chain's TLS.
 * - No chain for the SNI: Envoy closes the connection ("closing connection:
 *   no matching filter chain found", flag NR, details
 *   `filter_chain_not_found`: envoy src
 *   `source/common/listener_manager/active_stream_listener_base.cc`). A
 *   terminating server's chain matches its hosts (istiod
 *   `GetSNIHostsForServer`, any SNI for `*`); a passthrough server's chains
 *   are the SNI names of its VirtualServices' `tls` rules only.
 * - `ISTIO_MUTUAL`: the gateway asks for an Istio workload certificate,
 *   which a client outside the mesh cannot have: the handshake fails.
 * - `MUTUAL`: a client certificate is required (the engine refuses a
 *   client that has none).
 */
function handshakeWith(proxy: ProxyXds, servers: GatewayServerXds[], host: string): Partial<IngressAddress> {
  const tls = servers.filter((s) => s.protocol === 'HTTPS' || s.protocol === 'TLS');
  if (tls.length === 0 || tls.length < servers.length) return {};
  const server = tls.find((s) => s.sniHosts?.includes(host)) ?? tls.find((s) => s.sniHosts !== undefined && sniMatches(s.sniHosts, host)) ?? tls.find((s) => s.sniHosts === undefined);
  const chainless = `the gateway has no filter chain for SNI ${host} on port ${servers[0]?.port}: Envoy closes the connection (filter_chain_not_found, NR) before any HTTP`;
  if (!server) return { refused: { detail: chainless, flag: 'NR' } };
  if (!terminatesTls(server.tls)) {
    const port = server.port;
    const routed = proxy.virtualHosts[`${host}:${port}`] !== undefined || (proxy.gateway?.wildcardDomains[port] ?? []).some((d) => sniMatches([d], host));
    return routed ? {} : { refused: { detail: `${chainless} (TLS passthrough: only the SNI names of its VirtualServices' tls rules have one)`, flag: 'NR' } };
  }
  if (server.tls === 'ISTIO_MUTUAL') return { refused: { detail: `${server.gateway} ${server.path} asks for an Istio workload certificate (ISTIO_MUTUAL), and a client outside the mesh has none: the TLS handshake fails` } };
  return { handshake: true, ...(server.tls === 'MUTUAL' ? { clientCertificate: true as const } : {}) };
}
