/**
 * Seeded pseudo-random numbers with named sub-streams. Each component draws
 * from its own stream (`lb:web-1:outbound|8080|v1|users…`), so adding a
 * service or a feature does not shift anyone else's draws.
 *
 * Generator: sfc32 (small, fast, passes PractRand at this scale), seeded from
 * the scenario seed and the stream name through a 53-bit string hash.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export class RngStreams {
  private readonly streams = new Map<string, Rng>();

  constructor(readonly seed: number) {}

  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (!rng) {
      rng = createRng(this.seed, name);
      this.streams.set(name, rng);
    }
    return rng;
  }
}

export function createRng(seed: number, name: string): Rng {
  const h1 = hash53(`${seed}/${name}`, 0x9e3779b9);
  const h2 = hash53(`${name}/${seed}`, 0x85ebca6b);
  let a = h1 >>> 0;
  let b = Math.floor(h1 / 0x1_0000_0000) >>> 0;
  let c = h2 >>> 0;
  let d = 1;
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 15; i++) nextUint32();
  return {
    next: () => nextUint32() / 0x1_0000_0000,
    int: (n: number) => Math.floor((nextUint32() / 0x1_0000_0000) * n),
  };
}

/** cyrb53: a fast 53-bit string hash, good enough to separate stream seeds. */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
