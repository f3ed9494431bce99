import { serviceSelects } from './matchesLabels.ts';
import type { ServicePort } from './scenario.ts';

/** A port's protocol as Istio names it (Istio src `pkg/config/protocol/instance.go`). */
export type IstioProtocol =
  | 'GRPC'
  | 'GRPC-Web'
  | 'HTTP'
  | 'HTTP_PROXY'
  | 'HTTP2'
  | 'HTTPS'
  | 'TCP'
  | 'TLS'
  | 'UDP'
  | 'Mongo'
  | 'Redis'
  | 'MySQL'
  | 'UnsupportedProtocol';

const BY_NAME: ReadonlyMap<string, IstioProtocol> = new Map(Object.entries({
  tcp: 'TCP',
  udp: 'UDP',
  grpc: 'GRPC',
  'grpc-web': 'GRPC-Web',
  http: 'HTTP',
  http_proxy: 'HTTP_PROXY',
  http2: 'HTTP2',
  https: 'HTTPS',
  tls: 'TLS',
  mongo: 'Mongo',
  redis: 'Redis',
  mysql: 'MySQL',
} as const));

/** SMTP, DNS, MySQL and MongoDB: TCP when nothing names the protocol. */
const WELL_KNOWN_TCP = new Set([25, 53, 3306, 27017]);

/**
 * What Istio takes a Service port to carry (Istio src `pkg/config/kube/conversion.go`
 * `ConvertProtocol`): UDP as declared; otherwise `appProtocol` when set
 * (with Kubernetes' `kubernetes.io/h2c`, `/ws`, `/wss`), else the port's name,
 * by its prefix before the first `-` (`grpc-web` whole), case-insensitive;
 * a name that says nothing is `UnsupportedProtocol` (sniffed at run time),
 * except on a few well-known TCP ports.
 */
export function istioProtocolOf(port: Pick<ServicePort, 'port' | 'name' | 'protocol' | 'appProtocol'>): IstioProtocol {
  if (port.protocol === 'UDP') return 'UDP';
  let name = port.name ?? '';
  if (port.appProtocol !== undefined) {
    name = port.appProtocol;
    if (name === 'kubernetes.io/h2c') return 'HTTP2';
    if (name === 'kubernetes.io/ws') return 'HTTP';
    if (name === 'kubernetes.io/wss') return 'HTTPS';
  }
  if (name.toLowerCase().startsWith('grpc-web')) return 'GRPC-Web';
  const dash = name.indexOf('-');
  const found = BY_NAME.get((dash < 0 ? name : name.slice(0, dash)).toLowerCase());
  if (found) return found;
  return WELL_KNOWN_TCP.has(port.port) ? 'TCP' : 'UnsupportedProtocol';
}

/** HTTP in any version (Istio's `IsHTTP`). */
export function isHttpProtocol(p: IstioProtocol): boolean {
  return p === 'HTTP' || p === 'HTTP2' || p === 'HTTP_PROXY' || p === 'GRPC' || p === 'GRPC-Web';
}

/** Spoken as HTTP/2 upstream whatever the upgrade policy (Istio's `IsHTTP2`). */
export function isHttp2Protocol(p: IstioProtocol): boolean {
  return p === 'HTTP2' || p === 'GRPC' || p === 'GRPC-Web';
}

/** HTTPS or TLS (Istio's `IsTLS`): a sidecar's TCP proxy on such a port picks its route by the SNI, VirtualService `tls` rules. */
export function isTlsProtocol(p: IstioProtocol): boolean {
  return p === 'HTTPS' || p === 'TLS';
}

/**
 * A port istiod builds a TCP proxy for, not an HTTP connection manager
 * (Istio src pilot/pkg/networking/core/listener.go; `pkg/config/protocol`):
 * HTTPS, TLS, TCP, Mongo, Redis, MySQL. An unnamed port is sniffed
 * (`UnsupportedProtocol`): the apps here speak HTTP, so it is found HTTP;
 * UDP is not proxied.
 */
export function isTcpProxied(p: IstioProtocol): boolean {
  return !isHttpProtocol(p) && p !== 'UnsupportedProtocol' && p !== 'UDP';
}

/**
 * The port a Service (by its FQDN) or a ServiceEntry (by its host)
 * declares as `port`; undefined when no one declares it.
 */
export function declaredPort(
  scenario: { mesh: { clusterDomain: string }; services: ReadonlyArray<{ name: string; namespace: string; ports: readonly ServicePort[] }>; externalServices?: ReadonlyArray<{ host: string; ports: readonly ServicePort[] }> },
  host: string,
  port: number,
): ServicePort | undefined {
  const suffix = `.svc.${scenario.mesh.clusterDomain}`;
  const [name, namespace] = host.endsWith(suffix) ? host.slice(0, -suffix.length).split('.') : [];
  const ports = scenario.services.find((s) => s.name === name && s.namespace === namespace)?.ports ?? scenario.externalServices?.find((e) => e.host === host)?.ports;
  return ports?.find((p) => p.port === port);
}

/**
 * A pod's container ports whose sidecar inbound listener is a TCP proxy:
 * the port of the first Service selecting the pod (then internal
 * ServiceEntry listing it) that sends to a container port decides it, by
 * `isTcpProxied`. A gateway's pod has none: its servers are its listeners.
 */
export function tcpProxiedTargetPorts(
  scenario: { services: ReadonlyArray<{ namespace: string; selector: Record<string, string>; ports: readonly ServicePort[] }>; externalServices?: ReadonlyArray<{ meshInternal?: true; endpointPods?: string[]; ports: readonly ServicePort[] }> },
  pod: { name: string; namespace: string; labels: Record<string, string>; gateway?: boolean },
): number[] {
  if (pod.gateway) return [];
  const decided = new Map<number, boolean>();
  const services = scenario.services.filter((s) => serviceSelects(s, pod)).map((s) => s.ports);
  const entries = (scenario.externalServices ?? []).filter((e) => e.meshInternal && e.endpointPods?.includes(pod.name)).map((e) => e.ports);
  for (const ports of [...services, ...entries]) for (const sp of ports) if (!decided.has(sp.targetPort)) decided.set(sp.targetPort, isTcpProxied(istioProtocolOf(sp)));
  return [...decided].filter(([, tcp]) => tcp).map(([port]) => port);
}
