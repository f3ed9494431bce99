import {
  type ClusterXds,
  type ConnectionPoolSettings,
  type H2UpgradePolicy,
  type IstioProtocol,
  isHttp2Protocol,
  isHttpProtocol,
  ISTIO_UNLIMITED,
  type Micros,
  parseDuration,
  seconds,
  type ThresholdsXds,
} from '../../model/index.ts';

export interface ConnectionPoolXds {
  thresholds: ThresholdsXds;
  maxRequestsPerConnection: number;
  connectTimeout: Micros;
  http2: ClusterXds['http2'];
}

/** Envoy's default `max_concurrent_streams` for an upstream HTTP/2 connection (2^31−1). */
export const ENVOY_MAX_CONCURRENT_STREAMS = 2 ** 31 - 1;

/** What decides whether a cluster speaks HTTP/2 upstream, besides the DestinationRule. */
export interface H2Context {
  /** The service port's protocol (`istioProtocolOf`). */
  protocol: IstioProtocol;
  /** The mesh config's `h2UpgradePolicy`. */
  meshPolicy: H2UpgradePolicy;
}

/**
 * DestinationRule `connectionPool` → circuit-breaker thresholds and
 * connection settings (§4.2). Istio always writes the thresholds, at 2^32−1
 * unless set; values ≤ 0 are ignored (so 0 cannot be configured).
 */
export function toConnectionPool(pool: ConnectionPoolSettings | undefined, h2?: H2Context): ConnectionPoolXds {
  const connectTimeout = pool?.tcp?.connectTimeout === undefined ? undefined : parseDuration(pool.tcp.connectTimeout);
  const perConnection = pool?.http?.maxRequestsPerConnection ?? 0;
  return {
    thresholds: {
      maxConnections: limit(pool?.tcp?.maxConnections),
      maxPendingRequests: limit(pool?.http?.http1MaxPendingRequests),
      maxRequests: limit(pool?.http?.http2MaxRequests),
      maxRetries: limit(pool?.http?.maxRetries),
    },
    maxRequestsPerConnection: perConnection > 0 ? perConnection : 0,
    connectTimeout: connectTimeout ?? seconds(10),
    http2: h2 && speaksHttp2(pool, h2) ? { maxConcurrentStreams: limitOf(pool?.http?.maxConcurrentStreams, ENVOY_MAX_CONCURRENT_STREAMS) } : undefined,
  };
}

/**
 * Istio's choice of HTTP/2 toward a destination (Istio src
 * `pilot/pkg/networking/core`: `buildCluster` sets HTTP/2 options for an
 * HTTP2/gRPC port; `shouldH2Upgrade` for the rest): `useClientProtocol`
 * keeps the caller's protocol (the apps here speak HTTP/1.1); the
 * DestinationRule's UPGRADE or DO_NOT_UPGRADE decides; else only HTTP ports
 * (a named one: a sniffed port is never upgraded) follow the mesh's policy.
 */
function speaksHttp2(pool: ConnectionPoolSettings | undefined, h2: H2Context): boolean {
  if (isHttp2Protocol(h2.protocol)) return true;
  const http = pool?.http;
  if (http?.useClientProtocol === true) return false;
  if (http?.h2UpgradePolicy === 'UPGRADE') return true;
  if (http?.h2UpgradePolicy === 'DO_NOT_UPGRADE') return false;
  return isHttpProtocol(h2.protocol) && h2.meshPolicy === 'UPGRADE';
}

function limitOf(value: number | undefined, otherwise: number): number {
  return value !== undefined && value > 0 ? value : otherwise;
}

function limit(value: number | undefined): number {
  return value !== undefined && value > 0 ? value : ISTIO_UNLIMITED;
}
