/**
 * A Ketama hash ring as plain data (§5 RING_HASH), so it can live in
 * `BalancerState` and survive a JSON snapshot.
 *
 * Envoy hashes `<address>_<i>` with xxHash64; meshviz hashes `<pod>_<i>` with
 * the 32-bit `hash32` below, so which pod owns which key differs from a real
 * Envoy. What carries over: equal shares per host, the same key always lands
 * on the same host while the host set is unchanged, and removing a host only
 * moves that host's keys.
 */
export interface Ring {
  /** Point hashes, ascending. */
  points: number[];
  /** Owner pod of each point. */
  hosts: string[];
  /** Identifies the host set and size the ring was built for. */
  key: string;
}

/** Envoy's `minimum_ring_size` default. */
export const DEFAULT_MIN_RING_SIZE = 1024;
// Envoy allows up to 8M points; a simulator snapshot should not carry that.
const MAX_RING_SIZE = 1 << 16;

export function ringKey(pods: readonly string[], minimumRingSize: number): string {
  return `${ringSize(pods.length, minimumRingSize)}|${[...pods].sort().join(',')}`;
}

/**
 * Builds the ring: every host gets ceil(minimumRingSize / hosts) points, as
 * Envoy's scaling does for equal weights.
 */
export function buildRing(pods: readonly string[], minimumRingSize: number): Ring {
  const perHost = Math.ceil(ringSize(pods.length, minimumRingSize) / Math.max(1, pods.length));
  const entries: Array<{ hash: number; pod: string }> = [];
  for (const pod of pods) {
    for (let i = 0; i < perHost; i++) entries.push({ hash: hash32(`${pod}_${i}`), pod });
  }
  entries.sort((a, b) => a.hash - b.hash || (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
  return {
    points: entries.map((e) => e.hash),
    hosts: entries.map((e) => e.pod),
    key: ringKey(pods, minimumRingSize),
  };
}

/**
 * The owner of the first point at or after `hash`, wrapping to the start.
 * `attempt` > 0 steps that many points further, as Envoy does when a retry
 * host predicate rejected the previous choice (`Ring::chooseHost`).
 */
export function ringLookup(ring: Ring, hash: number, attempt = 0): string {
  const n = ring.points.length;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ring.points[mid] as number) < hash) lo = mid + 1;
    else hi = mid;
  }
  const index = ((lo === n ? 0 : lo) + attempt) % n;
  return ring.hosts[index] as string;
}

/**
 * A deterministic 32-bit string hash: FNV-1a over the UTF-8 bytes, then
 * murmur3's fmix32 finaliser so that similar keys (`pod_1`, `pod_2`) spread
 * over the whole ring.
 */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of utf8(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function ringSize(hosts: number, minimumRingSize: number): number {
  const wanted = minimumRingSize > 0 ? Math.floor(minimumRingSize) : DEFAULT_MIN_RING_SIZE;
  return Math.min(Math.max(wanted, hosts), MAX_RING_SIZE);
}

function* utf8(text: string): Generator<number> {
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) yield cp;
    else if (cp < 0x800) yield* [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
    else if (cp < 0x10000) yield* [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
    else yield* [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  }
}
