import type { LbPolicyXds, LoadBalancerSettings } from '../../model/index.ts';

const DEFAULT_RING_SIZE = 1024;

/**
 * DestinationRule `loadBalancer` → the cluster's balancer (§2.3, §5).
 * Default and `LEAST_CONN` (a deprecated alias) are LEAST_REQUEST with
 * choice count 2; any `consistentHash` is a ring hash. Maglev and PASSTHROUGH
 * are not simulated (the DestinationRule lint reports them): maglev falls back
 * to a ring hash, PASSTHROUGH to the default.
 */
export function toLbPolicy(lb: LoadBalancerSettings | undefined): LbPolicyXds {
  const hash = lb?.consistentHash;
  if (hash) {
    const size = hash.ringHash?.minimumRingSize ?? hash.minimumRingSize ?? 0;
    return { kind: 'RING_HASH', minimumRingSize: size > 0 ? size : DEFAULT_RING_SIZE };
  }
  const simple = lb?.simple;
  switch (simple) {
    case 'ROUND_ROBIN':
      return { kind: 'ROUND_ROBIN' };
    case 'RANDOM':
      return { kind: 'RANDOM' };
    case undefined:
    case 'UNSPECIFIED':
    case 'LEAST_REQUEST':
    case 'LEAST_CONN':
    case 'PASSTHROUGH':
      return { kind: 'LEAST_REQUEST', choiceCount: 2 };
    default:
      return assertNever(simple);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected load balancer ${String(value)}`);
}
