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

/** sfc32's state is four 32-bit words, kept as plain fields so a snapshot of a simulation carries it. */
export class Sfc32 implements Rng {
  constructor(
    private a: number,
    private b: number,
    private c: number,
    private d: number,
  ) {}

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
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
