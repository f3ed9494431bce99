import { describe, expect, it } from 'vitest';
import { ISTIO_UNLIMITED } from '../../model/index.ts';
import { toConnectionPool } from './toConnectionPool.ts';

describe('toConnectionPool (§4.2 DestinationRule connectionPool)', () => {
  it('§4.2 no settings: every threshold 2^32−1, unlimited requests per connection, 10 s connect timeout', () => {
    expect(toConnectionPool(undefined)).toEqual({
      thresholds: {
        maxConnections: ISTIO_UNLIMITED,
        maxPendingRequests: ISTIO_UNLIMITED,
        maxRequests: ISTIO_UNLIMITED,
        maxRetries: ISTIO_UNLIMITED,
      },
      maxRequestsPerConnection: 0,
      connectTimeout: 10_000_000,
    });
  });

  it('§4.2 maps each field', () => {
    expect(
      toConnectionPool({
        tcp: { maxConnections: 1, connectTimeout: '250ms' },
        http: { http1MaxPendingRequests: 2, http2MaxRequests: 3, maxRetries: 4, maxRequestsPerConnection: 1 },
      }),
    ).toEqual({
      thresholds: { maxConnections: 1, maxPendingRequests: 2, maxRequests: 3, maxRetries: 4 },
      maxRequestsPerConnection: 1,
      connectTimeout: 250_000,
    });
  });

  it('§4.2 values ≤ 0 are ignored', () => {
    const { thresholds, maxRequestsPerConnection } = toConnectionPool({
      tcp: { maxConnections: 0 },
      http: { http1MaxPendingRequests: -1, maxRetries: 0, maxRequestsPerConnection: -5 },
    });
    expect(thresholds.maxConnections).toBe(ISTIO_UNLIMITED);
    expect(thresholds.maxPendingRequests).toBe(ISTIO_UNLIMITED);
    expect(thresholds.maxRetries).toBe(ISTIO_UNLIMITED);
    expect(maxRequestsPerConnection).toBe(0);
  });
});
