import { isHttpProtocol, istioProtocolOf } from '../../model/index.ts';
import type { IstioProtocol, Scenario } from '../../model/index.ts';
import { serviceAddress } from '../../telemetry/index.ts';

/**
 * What a sidecar's outbound listener for one service port is (istiod
 * `buildSidecarOutboundListener`, Istio src
 * `pilot/pkg/networking/core/listener.go`):
 * - `http`: one listener `0.0.0.0_<port>` shared by every HTTP service on the
 *   port, an HTTP chain (`Trans: raw_buffer; App: http/1.1,h2c`) to the
 *   route config `<port>`;
 * - `tcp`: a listener on the service's address, `<vip>_<port>`, whose one
 *   chain is a TCP proxy to `outbound|<port>||<host>` (no route config);
 * - `auto` (a port whose protocol nothing names, sniffed): a listener
 *   `<vip>_<port>` with the HTTP chain to a route config of its own,
 *   `<host>:<port>`, and the TCP proxy as its default chain.
 */
export type ListenerKind = 'http' | 'tcp' | 'auto';

export interface ServicePortView {
  protocol: IstioProtocol;
  kind: ListenerKind;
  /**
   * The service's virtual IP (a Service's cluster IP, a ServiceEntry's first
   * address); undefined for a ServiceEntry without `addresses` (its TCP and
   * sniffed listeners bind 0.0.0.0).
   */
  address: string | undefined;
}

/**
 * A service port as istiod reads it: the protocol from the port's name or
 * `appProtocol` (a ServiceEntry's `protocol`), Istio src
 * `pkg/config/kube/conversion.go`. The cluster IP is the Service's own when
 * the scenario carries one (a cluster export does), else the address the
 * access log shows for it.
 */
export function servicePortView(scenario: Scenario, host: string, port: number): ServicePortView {
  const suffix = `.svc.${scenario.mesh.clusterDomain}`;
  const service = host.endsWith(suffix) ? scenario.services.find((s) => `${s.name}.${s.namespace}${suffix}` === host) : undefined;
  if (service) {
    const declared = service.ports.find((p) => p.port === port);
    const protocol = declared ? istioProtocolOf(declared) : 'UnsupportedProtocol';
    return { protocol, kind: kindOf(protocol), address: service.clusterIP ?? serviceAddress(host) };
  }
  const external = scenario.externalServices.find((e) => e.host === host);
  const declared = external?.ports.find((p) => p.port === port);
  const protocol = declared ? istioProtocolOf(declared) : 'UnsupportedProtocol';
  const address = external?.addresses?.find((a) => !a.includes('/'));
  return { protocol, kind: kindOf(protocol), address };
}

function kindOf(protocol: IstioProtocol): ListenerKind {
  if (isHttpProtocol(protocol)) return 'http';
  return protocol === 'UnsupportedProtocol' ? 'auto' : 'tcp';
}

/** The listener a service port's traffic meets on a sidecar: `0.0.0.0_9080`, `10.96.3.7_3306`. */
export function outboundListenerName(view: ServicePortView, port: number): string {
  return `${view.kind === 'http' ? '0.0.0.0' : (view.address ?? '0.0.0.0')}_${port}`;
}

/** The route config an HTTP request to the port is routed by: `9080`, or a sniffed port's own `reviews.default.svc.cluster.local:9080`. */
export function outboundRouteConfigName(view: ServicePortView, host: string, port: number): string {
  return view.kind === 'auto' && view.address !== undefined ? `${host}:${port}` : String(port);
}

/** How istioctl's listeners table shows the outbound HTTP chain's match (Istio's plaintext HTTP ALPNs). */
export const HTTP_CHAIN_MATCH = 'Trans: raw_buffer; App: http/1.1,h2c';
