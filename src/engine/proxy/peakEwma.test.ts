import { describe, expect, it } from 'vitest';
import { createRng } from '../kernel/Rng.ts';
import { pickHostAvoiding, createBalancerState, type LbHost } from './balance.ts';
import { createRttEstimate, observeRtt, peakEwmaCost, pickPeakEwma } from './peakEwma.ts';

const MS = 1000;
const DECAY = 10_000 * MS;

// tower/src/load/peak_ewma.rs (RttEstimate::update, PeakEwma::load); Linkerd defaults 30 ms, 10 s (§10.3).
describe('Peak-EWMA', () => {
  it('a slower round trip becomes the estimate at once; a faster one pulls it down by e^(−Δt/decay)', () => {
    const e = createRttEstimate(30 * MS, 0);
    expect(observeRtt(e, 100 * MS, 1 * MS, DECAY)).toBe(100 * MS);
    const after = observeRtt(e, 10 * MS, 1 * MS + DECAY, DECAY);
    expect(after).toBeCloseTo(100 * MS * Math.exp(-1) + 10 * MS * (1 - Math.exp(-1)), 6);
  });

  it('reading the cost decays the estimate towards 0 while idle, and multiplies it by pending + 1', () => {
    const e = createRttEstimate(30 * MS, 0);
    expect(peakEwmaCost(e, 2, 0, DECAY)).toBe(90 * MS);
    expect(peakEwmaCost(e, 0, DECAY, DECAY)).toBeCloseTo(30 * MS * Math.exp(-1), 6);
  });

  it('P2C draws two distinct endpoints and takes the cheaper (the first on a tie)', () => {
    const hosts = [
      { pod: 'a', activeRequests: 0, ewma: createRttEstimate(50 * MS, 0) },
      { pod: 'b', activeRequests: 0, ewma: createRttEstimate(5 * MS, 0) },
    ];
    const rng = createRng(1, 'p2c');
    for (let i = 0; i < 20; i++) expect(pickPeakEwma(hosts, rng, 0, 30 * MS, DECAY, false).host.pod).toBe('b');
  });

  it('steers away from a slow endpoint far more than least-request does (§10.3 vs §5)', () => {
    // Four endpoints, one ten times slower; 200 requests a second for 20 s, each pick's requests in flight until they end.
    const share = (policy: Parameters<typeof pickHostAvoiding>[0]): number => {
      const hosts: LbHost[] = ['slow', 'b', 'c', 'd'].map((pod) => ({ pod, activeRequests: 0 }));
      const latency = (pod: string) => (pod === 'slow' ? 50 * MS : 5 * MS);
      const rng = createRng(7, 'lb');
      const state = createBalancerState(rng);
      const ending: Array<{ at: number; host: LbHost; sent: number }> = [];
      let toSlow = 0;
      for (let i = 0; i < 4000; i++) {
        const now = i * 5 * MS;
        for (const done of ending.filter((x) => x.at <= now)) {
          done.host.activeRequests -= 1;
          if (done.host.ewma) observeRtt(done.host.ewma, done.at - done.sent, done.at, DECAY);
          ending.splice(ending.indexOf(done), 1);
        }
        const { host } = pickHostAvoiding(policy, hosts, state, rng, undefined, new Set(), 0, false, now);
        host.activeRequests += 1;
        ending.push({ at: now + latency(host.pod), host, sent: now });
        if (host.pod === 'slow') toSlow += 1;
      }
      return toSlow / 4000;
    };
    const ewma = share({ kind: 'PEAK_EWMA', defaultRtt: 30 * MS, decay: DECAY });
    const leastRequest = share({ kind: 'LEAST_REQUEST', choiceCount: 2 });
    expect(ewma).toBeLessThan(0.05);
    expect(leastRequest).toBeGreaterThan(0.1);
    expect(ewma).toBeLessThan(leastRequest / 3);
  });
});
