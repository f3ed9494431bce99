import type { LbPolicyXds } from '../../model/index.ts';
import type { Rng } from '../kernel/Rng.ts';
import { pickPeakEwma, type RttEstimate } from './peakEwma.ts';
import { buildRing, hash32, ringKey, ringLookup } from './ringHash.ts';

/** An available (non-ejected) endpoint as the balancer sees it. */
export interface LbHost {
  pod: string;
  activeRequests: number;
  /** Its Peak-EWMA round-trip estimate (Linkerd's balancer only), made on first use. */
  ewma?: RttEstimate;
}

/**
 * Per-cluster balancer memory, plain data. `pickHost` advances `rrNext` and
 * (re)builds `ring` when the host set changes; nothing else changes it.
 */
export interface BalancerState {
  rrNext: number;
  ring?: { points: number[]; hosts: string[]; key: string };
}

export interface HostPick {
  host: LbHost;
  reason: string;
}

/** Envoy starts round robin at a random offset, so proxies do not march in step. */
export function createBalancerState(rng: Rng): BalancerState {
  return { rrNext: rng.int(RR_SEED_RANGE) };
}

// Large enough that `rrNext % hosts` is uniform for any realistic host count.
const RR_SEED_RANGE = 0x7fff_ffff;

/**
 * Chooses an endpoint with the cluster's policy (§5). `hosts` must be
 * non-empty and already exclude ejected hosts. RING_HASH without a hash key
 * uses a random point on the ring, as Envoy does when the hash is absent.
 */
export function pickHost(policy: LbPolicyXds, hosts: LbHost[], state: BalancerState, rng: Rng, hashKey?: string): HostPick {
  const { host, reason } = pickHostAvoiding(policy, hosts, state, rng, hashKey, NOTHING, 0);
  return { host, reason };
}

const NOTHING: ReadonlySet<string> = new Set();

/**
 * `pickHost` with Envoy's `previous_hosts` retry predicate (§1.5): while the
 * pick is in `avoid`, pick again, at most `maxAttempts` more times, then keep
 * the last pick even if it was tried before. Ring hash re-picks walk the ring
 * from the same hash point instead of drawing again.
 */
export function pickHostAvoiding(
  policy: LbPolicyXds,
  hosts: LbHost[],
  state: BalancerState,
  rng: Rng,
  hashKey: string | undefined,
  avoid: ReadonlySet<string>,
  maxAttempts: number,
  /** Build `reason` (only a reader of events needs it; the pick is the same either way). */
  explain = true,
  /** The time, for balancers that weigh recent round trips (Peak-EWMA). */
  now = 0,
): HostPick & { reselections: number } {
  if (hosts.length === 0) throw new RangeError('pickHost needs at least one available host');
  const first = hosts[0] as LbHost;
  if (hosts.length === 1) return { host: first, reason: explain ? `only one available host: ${first.pod}` : '', reselections: 0 };
  // Envoy computes the request hash once per request, before any re-pick.
  const hash = policy.kind === 'RING_HASH' ? requestHash(hashKey, rng) : undefined;
  let pick = pickOnce(policy, hosts, state, rng, hash, 0, explain, now);
  if (avoid.size === 0 || maxAttempts === 0 || !avoid.has(pick.host.pod)) return { host: pick.host, reason: pick.reason, reselections: 0 };
  const rejected: string[] = [];
  while (avoid.has(pick.host.pod) && rejected.length < maxAttempts) {
    rejected.push(pick.host.pod);
    pick = pickOnce(policy, hosts, state, rng, hash, rejected.length, explain, now);
  }
  const reselections = rejected.length;
  if (!explain) return { host: pick.host, reason: '', reselections };
  const kept = avoid.has(pick.host.pod) ? `; still a tried host after ${reselections} re-picks, kept anyway` : '';
  return { host: pick.host, reason: `${pick.reason} (re-picked ${reselections}×, avoiding already tried ${[...new Set(rejected)].join(', ')}${kept})`, reselections };
}

interface RequestHash {
  value: number;
  from: string;
}

function requestHash(hashKey: string | undefined, rng: Rng): RequestHash {
  if (hashKey === undefined) return { value: rng.int(2 ** 32), from: 'no hash key, random point' };
  return { value: hash32(hashKey), from: `key ${JSON.stringify(hashKey)}` };
}

function pickOnce(policy: LbPolicyXds, hosts: LbHost[], state: BalancerState, rng: Rng, hash: RequestHash | undefined, attempt: number, explain: boolean, now: number): HostPick {
  switch (policy.kind) {
    case 'ROUND_ROBIN': {
      const index = state.rrNext % hosts.length;
      state.rrNext = (state.rrNext + 1) % Number.MAX_SAFE_INTEGER;
      const host = hosts[index] as LbHost;
      return { host, reason: explain ? `round robin: ${host.pod} is next in turn (${index + 1} of ${hosts.length})` : '' };
    }
    case 'RANDOM': {
      const index = rng.int(hosts.length);
      const host = hosts[index] as LbHost;
      return { host, reason: explain ? `random: drew ${host.pod} (${index + 1} of ${hosts.length})` : '' };
    }
    case 'LEAST_REQUEST':
      return explain ? leastRequest(hosts, Math.max(2, Math.floor(policy.choiceCount)), rng) : { host: leastRequestHost(hosts, Math.max(2, Math.floor(policy.choiceCount)), rng), reason: '' };
    case 'RING_HASH': {
      const ring = ringFor(hosts, policy.minimumRingSize, state);
      const h = hash as RequestHash;
      const pod = ringLookup(ring, h.value, attempt);
      const host = hosts.find((x) => x.pod === pod) as LbHost;
      const step = attempt > 0 ? `, stepped ${attempt} point${attempt > 1 ? 's' : ''} further` : '';
      return { host, reason: explain ? `ring hash: ${h.from} → ${host.pod}${step}` : '' };
    }
    case 'PEAK_EWMA':
      return pickPeakEwma(hosts, rng, now, policy.defaultRtt, policy.decay, explain);
    default:
      return assertNever(policy);
  }
}

/**
 * P2C generalised to `choiceCount` (min 2, as Envoy validates): independent
 * draws, so the same host can come up twice; a later draw replaces the
 * candidate only with strictly fewer active requests (Envoy
 * `LeastRequestLoadBalancer::unweightedHostPick`).
 */
function leastRequest(hosts: LbHost[], choiceCount: number, rng: Rng): HostPick {
  const drawn: LbHost[] = [];
  let best: LbHost | undefined;
  for (let i = 0; i < choiceCount; i++) {
    const sampled = hosts[rng.int(hosts.length)] as LbHost;
    drawn.push(sampled);
    if (!best || sampled.activeRequests < best.activeRequests) best = sampled;
  }
  const chosen = best as LbHost;
  const listed = drawn.map((h) => `${h.pod} (${h.activeRequests} active)`);
  const text = listed.length > 1 ? `${listed.slice(0, -1).join(', ')} and ${listed[listed.length - 1]}` : listed.join('');
  return { host: chosen, reason: `least request: drew ${text}, took ${chosen.pod}` };
}

/** The same draws as `leastRequest`, without the words. */
function leastRequestHost(hosts: LbHost[], choiceCount: number, rng: Rng): LbHost {
  let best: LbHost | undefined;
  for (let i = 0; i < choiceCount; i++) {
    const sampled = hosts[rng.int(hosts.length)] as LbHost;
    if (!best || sampled.activeRequests < best.activeRequests) best = sampled;
  }
  return best as LbHost;
}

function ringFor(hosts: LbHost[], minimumRingSize: number, state: BalancerState): NonNullable<BalancerState['ring']> {
  const pods = hosts.map((h) => h.pod);
  const key = ringKey(pods, minimumRingSize);
  if (state.ring?.key !== key) state.ring = buildRing(pods, minimumRingSize);
  return state.ring as NonNullable<BalancerState['ring']>;
}

function assertNever(value: never): never {
  throw new Error(`unexpected load-balancing policy ${JSON.stringify(value)}`);
}
