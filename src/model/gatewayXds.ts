/** A gateway proxy's listeners, compiled from the Gateways that select it: part of `ProxyXds`. */

/**
 * What a gateway proxy listens with. Its `virtualHosts` are keyed
 * `domain:port` by the hosts its Gateway-bound VirtualServices and servers
 * share; a request whose host has no exact key takes the wildcard domain
 * Envoy would pick (`wildcardDomains`), else it gets 404 NR.
 */
export interface GatewayXds {
  servers: GatewayServerXds[];
  /** Wildcard domains of its virtual hosts (`*`, `*.example.com`), per port. */
  wildcardDomains: Record<number, string[]>;
}

export interface GatewayServerXds {
  /** `Gateway/<namespace>/<name>` */
  gateway: string;
  /** `spec.servers[i]`, for explanations. */
  path: string;
  port: number;
  /**
   * The ports an outside client reaches this server on: its own, and each
   * port of a Service in front of the gateway whose port or targetPort it is
   * (a LoadBalancer's 80 → the proxy's 8080).
   */
  clientPorts: number[];
  /**
   * The ports the proxy itself listens on for this server: its own, and
   * the targetPort of a Service port equal to it (istiod binds the
   * server's 80 to the Service's targetPort 8080). A request from inside
   * the mesh reaches the pod on one of these.
   */
  listenPorts: number[];
  /** `HTTP`, `HTTPS`, `HTTP2`, `GRPC`, `TCP`, `TLS` as the server says (upper case). */
  protocol: string;
  /** As written, `namespace/` prefixes included. */
  hosts: string[];
  /** The server's `tls.mode`: SIMPLE and MUTUAL terminate the client's TLS at the gateway. */
  tls?: string;
  /**
   * The SNI names its filter chain matches (the hosts without their
   * namespace); absent when it matches any (a plain-text server, or a host
   * `*`: istiod then sets no `server_names`).
   */
  sniHosts?: string[];
  /**
   * The route config of an HTTPS server that ends TLS at the gateway, named
   * as istiod names it: `https.<port>.<port name>.<gateway>.<namespace>`
   * (Istio src `pilot/pkg/model/gateway.go`, `gatewayRDSRouteName`); absent
   * for HTTP servers, which share `http.<port>`, and for TCP proxies.
   */
  routeConfig?: string;
}

/**
 * The port Envoy binds for a gateway's server on `port`: istiod binds a
 * server's port to the targetPort of the gateway Service's port equal to
 * it (80 → 8080); a port no server has is its own.
 */
export function boundGatewayPort(gateway: GatewayXds | undefined, port: number): number {
  const server = gateway?.servers.find((s) => s.port === port);
  return server?.listenPorts.find((p) => p !== port) ?? port;
}
