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
  /** The next raw 32-bit draw: `int(2 ** k)` is exactly `uint32() >>> (32 - k)`, without the floating point. */
  uint32(): number;
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
  const rng = new Sfc32(h1 >>> 0, Math.floor(h1 / 0x1_0000_0000) >>> 0, h2 >>> 0, 1);
  for (let i = 0; i < 15; i++) rng.nextUint32();
  return rng;
}

/**
 * sfc32's state is four 32-bit words in a typed array: stored without boxing
 * (as plain number fields they would be heap numbers, one allocation per
 * store), and a snapshot of a simulation carries them as they are.
 */
export class Sfc32 implements Rng {
  private readonly s: Uint32Array;

  constructor(a: number, b: number, c: number, d: number) {
    this.s = Uint32Array.of(a, b, c, d);
  }

  nextUint32(): number {
    const s = this.s;
    const a = s[0] as number;
    const b = s[1] as number;
    const c = s[2] as number;
    const d = s[3] as number;
    // Every sum below is below 2^35, exact in a double; the stores wrap it to 32 bits.
    const t = (a + b + d) >>> 0;
    s[3] = d + 1;
    s[0] = b ^ (b >>> 9);
    s[1] = c + (c << 3);
    s[2] = ((c << 21) | (c >>> 11)) + t;
    return t;
  }

  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  int(n: number): number {
    return Math.floor((this.nextUint32() / 0x1_0000_0000) * n);
  }

  uint32(): number {
    return this.nextUint32();
  }
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
