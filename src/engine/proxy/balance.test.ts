import { describe, expect, it } from 'vitest';
import type { LbPolicyXds } from '../../model/index.ts';
import { createRng, type Rng } from '../kernel/Rng.ts';
import { createBalancerState, pickHost, pickHostAvoiding, type LbHost } from './balance.ts';

const LEAST: LbPolicyXds = { kind: 'LEAST_REQUEST', choiceCount: 2 };
const RR: LbPolicyXds = { kind: 'ROUND_ROBIN' };
const RANDOM: LbPolicyXds = { kind: 'RANDOM' };
const RING: LbPolicyXds = { kind: 'RING_HASH', minimumRingSize: 1024 };

const hosts = (...active: number[]): LbHost[] => active.map((a, i) => ({ pod: `users-v1-${'abcdefgh'[i]}`, activeRequests: a }));

function scripted(values: number[]): Rng {
  return {
    next: () => {
      throw new Error('next() not expected');
    },
    int: () => {
      const v = values.shift();
      if (v === undefined) throw new Error('no more scripted draws');
      return v;
    },
    uint32: () => {
      throw new Error('uint32() not expected');
    },
  };
}

describe('createBalancerState', () => {
  it('starts round robin at a random offset, deterministic per seed', () => {
    const starts = [1, 2, 3, 4, 5, 6].map((seed) => createBalancerState(createRng(seed, 'lb')).rrNext % 3);
    expect(new Set(starts).size).toBeGreaterThan(1);
    expect(createBalancerState(createRng(9, 'lb'))).toEqual(createBalancerState(createRng(9, 'lb')));
  });

  it('is plain JSON', () => {
    const state = createBalancerState(createRng(1, 'lb'));
    pickHost(RING, hosts(0, 0, 0), state, createRng(1, 'x'), 'jason');
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});

describe('pickHost — LEAST_REQUEST (§5, P2C)', () => {
  it('keeps the draw with strictly fewer active requests, and says so', () => {
    const pick = pickHost(LEAST, hosts(3, 1), { rrNext: 0 }, scripted([0, 1]));
    expect(pick).toEqual({
      host: { pod: 'users-v1-b', activeRequests: 1 },
      reason: 'least request: drew users-v1-a (3 active) and users-v1-b (1 active), took users-v1-b',
    });
  });

  it('a tie keeps the earlier draw', () => {
    expect(pickHost(LEAST, hosts(2, 2), { rrNext: 0 }, scripted([1, 0])).host.pod).toBe('users-v1-b');
  });

  it('draws are independent, so the same host can be drawn twice', () => {
    const pick = pickHost(LEAST, hosts(5, 0), { rrNext: 0 }, scripted([0, 0]));
    expect(pick.reason).toBe('least request: drew users-v1-a (5 active) and users-v1-a (5 active), took users-v1-a');
  });

  it('with 2 hosts the busier one still wins ≈25 % (±2 %) over 20 000 seeded draws', () => {
    const rng = createRng(11, 'lb:p2c');
    let busier = 0;
    for (let i = 0; i < 20_000; i++) if (pickHost(LEAST, hosts(50, 1), { rrNext: 0 }, rng).host.pod === 'users-v1-a') busier += 1;
    expect(Math.abs(busier / 20_000 - 0.25)).toBeLessThan(0.02);
  });

  it('choiceCount 3 makes three draws', () => {
    const pick = pickHost({ kind: 'LEAST_REQUEST', choiceCount: 3 }, hosts(4, 2, 3), { rrNext: 0 }, scripted([0, 2, 1]));
    expect(pick.reason).toBe(
      'least request: drew users-v1-a (4 active), users-v1-c (3 active) and users-v1-b (2 active), took users-v1-b',
    );
  });
});

describe('pickHost — ROUND_ROBIN and RANDOM', () => {
  it('round robin cycles from its start index', () => {
    const state = { rrNext: 4 };
    const picks = Array.from({ length: 6 }, () => pickHost(RR, hosts(0, 0, 0), state, scripted([])).host.pod);
    expect(picks).toEqual(['users-v1-b', 'users-v1-c', 'users-v1-a', 'users-v1-b', 'users-v1-c', 'users-v1-a']);
    expect(pickHost(RR, hosts(0, 0, 0), { rrNext: 1 }, scripted([])).reason).toBe('round robin: users-v1-b is next in turn (2 of 3)');
  });

  it('random is uniform within ±2 % over 30 000 draws', () => {
    const rng = createRng(3, 'lb:random');
    const counts: Record<string, number> = {};
    for (let i = 0; i < 30_000; i++) {
      const pod = pickHost(RANDOM, hosts(0, 0, 0), { rrNext: 0 }, rng).host.pod;
      counts[pod] = (counts[pod] ?? 0) + 1;
    }
    for (const c of Object.values(counts)) expect(Math.abs(c / 30_000 - 1 / 3)).toBeLessThan(0.02);
  });

  it('a single available host is returned without drawing', () => {
    expect(pickHost(RANDOM, hosts(7), { rrNext: 0 }, scripted([]))).toEqual({
      host: { pod: 'users-v1-a', activeRequests: 7 },
      reason: 'only one available host: users-v1-a',
    });
  });
});

describe('pickHost — RING_HASH (§5)', () => {
  it('the same key always lands on the same host, whatever the RNG', () => {
    const state = { rrNext: 0 };
    const first = pickHost(RING, hosts(0, 0, 0), state, createRng(1, 'a'), 'jason').host.pod;
    for (let seed = 2; seed < 20; seed++) expect(pickHost(RING, hosts(0, 0, 0), state, createRng(seed, 'a'), 'jason').host.pod).toBe(first);
  });

  it('builds the ring once per host set: ceil(1024 / 3) points each', () => {
    const state: { rrNext: number; ring?: { points: number[]; hosts: string[]; key: string } } = { rrNext: 0 };
    pickHost(RING, hosts(0, 0, 0), state, createRng(1, 'a'), 'k1');
    const ring = state.ring;
    expect(ring?.points.length).toBe(342 * 3);
    expect([...(ring?.points ?? [])]).toEqual([...(ring?.points ?? [])].sort((a, b) => a - b));
    pickHost(RING, hosts(0, 0, 0), state, createRng(1, 'a'), 'k2');
    expect(state.ring).toBe(ring);
    pickHost(RING, hosts(0, 0), state, createRng(1, 'a'), 'k2');
    expect(state.ring).not.toBe(ring);
  });

  it('spreads keys roughly evenly; when a host leaves, most other keys stay put', () => {
    const all = hosts(0, 0, 0, 0);
    const before = new Map<string, string>();
    const state = { rrNext: 0 };
    for (let i = 0; i < 4_000; i++) before.set(`user-${i}`, pickHost(RING, all, state, createRng(1, 'a'), `user-${i}`).host.pod);
    for (const pod of all.map((h) => h.pod)) {
      const share = [...before.values()].filter((p) => p === pod).length / 4_000;
      expect(Math.abs(share - 0.25)).toBeLessThan(0.03);
    }
    // Not all stay: like Envoy's, the ring re-scales to ceil(1024 / 3) points
    // per host, and the extra points take over some neighbours' keys.
    const without = all.filter((h) => h.pod !== 'users-v1-c');
    let stayed = 0;
    let survivors = 0;
    for (const [key, pod] of before) {
      const after = pickHost(RING, without, state, createRng(1, 'a'), key).host.pod;
      expect(after).not.toBe('users-v1-c');
      if (pod === 'users-v1-c') continue;
      survivors += 1;
      if (after === pod) stayed += 1;
    }
    expect(stayed / survivors).toBeGreaterThan(0.85);
  });

  it('without a hash key, picks a random point on the ring', () => {
    const rng = createRng(5, 'lb:ring');
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(pickHost(RING, hosts(0, 0, 0), { rrNext: 0 }, rng).host.pod);
    expect(seen.size).toBe(3);
  });
});

describe('pickHostAvoiding — previous_hosts predicate (§1.5)', () => {
  it('re-picks while the pick was already tried', () => {
    const pick = pickHostAvoiding(RANDOM, hosts(0, 0, 0), { rrNext: 0 }, scripted([0, 0, 2]), undefined, new Set(['users-v1-a']), 5);
    expect(pick.host.pod).toBe('users-v1-c');
    expect(pick.reselections).toBe(2);
    expect(pick.reason).toBe('random: drew users-v1-c (3 of 3) (re-picked 2×, avoiding already tried users-v1-a)');
  });

  it('gives up after maxAttempts re-picks and keeps the last pick', () => {
    const pick = pickHostAvoiding(RANDOM, hosts(0, 0), { rrNext: 0 }, scripted([0, 0]), undefined, new Set(['users-v1-a']), 1);
    expect(pick.host.pod).toBe('users-v1-a');
    expect(pick.reselections).toBe(1);
    expect(pick.reason).toMatch(/kept anyway/);
  });

  it('Envoy default of 1 attempt vs Istio 5: more attempts avoid tried hosts more often', () => {
    const avoid = new Set(['users-v1-a', 'users-v1-b']);
    const rate = (attempts: number): number => {
      const rng = createRng(2, `lb:${attempts}`);
      let repeats = 0;
      for (let i = 0; i < 5_000; i++) if (avoid.has(pickHostAvoiding(RANDOM, hosts(0, 0, 0), { rrNext: 0 }, rng, undefined, avoid, attempts).host.pod)) repeats += 1;
      return repeats / 5_000;
    };
    // P(all 1 + attempts picks land on a tried host) = (2/3)^(1 + attempts)
    expect(Math.abs(rate(1) - (2 / 3) ** 2)).toBeLessThan(0.02);
    expect(Math.abs(rate(5) - (2 / 3) ** 6)).toBeLessThan(0.02);
  });

  it('ring hash walks further round the ring from the same point instead of redrawing', () => {
    const state = { rrNext: 0 };
    const first = pickHost(RING, hosts(0, 0, 0), state, scripted([]), 'jason').host.pod;
    const retry = pickHostAvoiding(RING, hosts(0, 0, 0), state, scripted([]), 'jason', new Set([first]), 5);
    expect(retry.host.pod).not.toBe(first);
    expect(retry.reason).toMatch(/^ring hash: key "jason" → users-v1-., stepped \d points? further/);
  });
});
