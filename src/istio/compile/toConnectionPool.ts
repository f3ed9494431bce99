import {
  type ConnectionPoolSettings,
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
}

/**
 * DestinationRule `connectionPool` → circuit-breaker thresholds and
 * connection settings (§4.2). Istio always writes the thresholds, at 2^32−1
 * unless set; values ≤ 0 are ignored (so 0 cannot be configured).
 */
export function toConnectionPool(pool: ConnectionPoolSettings | undefined): ConnectionPoolXds {
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
  };
}

function limit(value: number | undefined): number {
  return value !== undefined && value > 0 ? value : ISTIO_UNLIMITED;
}
