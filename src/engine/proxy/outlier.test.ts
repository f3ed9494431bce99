import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seconds, type OutlierXds } from '../../model/index.ts';
import { createOutlierHost, decideEjection, ejectionDuration, onIntervalTick, recordResult, type OutlierHostState } from './outlier.ts';

/** Envoy defaults (§3.1) with consecutive5xx enforced, as Istio programs a DR `outlierDetection: {}`. */
function config(over: Partial<OutlierXds> = {}): OutlierXds {
  return {
    consecutive5xx: 5,
    enforcing5xx: 100,
    consecutiveGatewayFailure: 5,
    enforcingGatewayFailure: 0,
    interval: seconds(10),
    baseEjectionTime: seconds(30),
    maxEjectionTime: seconds(300),
    maxEjectionPercent: 10,
    ...over,
  };
}

function record(host: OutlierHostState, cfg: OutlierXds, statuses: number[]): Array<string | undefined> {
  return statuses.map((s) => recordResult(host, cfg, s).trigger);
}

describe('recordResult — counters (§3.2)', () => {
  it('split mode: local-origin failures count only towards their own threshold; an upstream answer resets it (§3.2, §3.5)', () => {
    const host = createOutlierHost();
    const cfg = config({ consecutive5xx: 2, maxEjectionPercent: 100, localOrigin: { consecutive: 3 } });
    expect([503, 503].map((s) => recordResult(host, cfg, s, 'local').trigger)).toEqual([undefined, undefined]);
    expect(host).toMatchObject({ consecutive5xx: 0, consecutiveGateway: 0, consecutiveLocalOrigin: 2 });
    expect(recordResult(host, cfg, 200, 'external').trigger).toBeUndefined();
    expect(host.consecutiveLocalOrigin).toBe(0);
    expect([504, 503, 503].map((s) => recordResult(host, cfg, s, 'local').trigger)).toEqual([undefined, undefined, 'consecutiveLocalOrigin']);
    const decision = decideEjection(host, cfg, 0, 0, 1, 50);
    expect(decision.kind).toBe('eject');
    expect(decision.reason).toMatch(/^3 consecutive local-origin failures/);
    expect(host.consecutiveLocalOrigin).toBe(0);
    // Without split mode the same failures are 5xx: the 5xx threshold of 2 fires on the second.
    const plain = createOutlierHost();
    expect([503, 503].map((s) => recordResult(plain, config({ consecutive5xx: 2 }), s, 'local').trigger)).toEqual([undefined, 'consecutive5xx']);
  });

  it('triggers at exactly the threshold, not before or after', () => {
    const host = createOutlierHost();
    const cfg = config({ consecutiveGatewayFailure: 0 });
    expect(record(host, cfg, [500, 500, 500, 500, 500, 500])).toEqual([undefined, undefined, undefined, undefined, 'consecutive5xx', undefined]);
  });

  it('502/503/504 count for the gateway counter; another 5xx resets only it; a non-5xx resets both', () => {
    const host = createOutlierHost();
    const cfg = config();
    record(host, cfg, [503, 504, 502]);
    expect(host).toMatchObject({ consecutive5xx: 3, consecutiveGateway: 3 });
    record(host, cfg, [500]);
    expect(host).toMatchObject({ consecutive5xx: 4, consecutiveGateway: 0 });
    record(host, cfg, [404]);
    expect(host).toMatchObject({ consecutive5xx: 0, consecutiveGateway: 0 });
  });

  it('when one 503 reaches both thresholds it reports the gateway trigger first, as Envoy posts it', () => {
    const host = createOutlierHost();
    expect(record(host, config(), [503, 503, 503, 503, 503]).at(-1)).toBe('consecutiveGateway');
  });
});

describe('decideEjection (§3.2, §3.3)', () => {
  it('ejects a host that reached consecutive5xx, with the base duration', () => {
    const host = createOutlierHost();
    const cfg = config({ consecutiveGatewayFailure: 0 });
    record(host, cfg, [500, 500, 500, 500, 500]);
    const decision = decideEjection(host, cfg, seconds(12), 0, 10, 50);
    expect(decision).toEqual({ kind: 'eject', duration: seconds(30), reason: '5 consecutive 5xx: ejected for 30s (base 30s × 1), 1 of 10 hosts now ejected' });
    expect(host).toMatchObject({ ejected: true, ejectedAt: seconds(12), ejections: 1, ejectionMultiplier: 1, consecutive5xx: 0 });
  });

  it('Istio default: 5 × 503 is ejected by consecutive5xx although the gateway detector (enforcing 0 %) fires first', () => {
    const host = createOutlierHost();
    const cfg = config();
    record(host, cfg, [503, 503, 503, 503, 503]);
    const decision = decideEjection(host, cfg, 0, 0, 10, 99.9);
    expect(decision.kind).toBe('eject');
    expect(decision.reason).toMatch(/^5 consecutive 5xx: ejected/);
    expect(host).toMatchObject({ consecutive5xx: 0, consecutiveGateway: 0 });
  });

  it('enforcing 0 % never ejects, but still resets the counter', () => {
    const host = createOutlierHost();
    const cfg = config({ enforcing5xx: 0, consecutiveGatewayFailure: 0 });
    record(host, cfg, [500, 500, 500, 500, 500]);
    expect(decideEjection(host, cfg, 0, 0, 10, 0)).toEqual({ kind: 'skip', reason: '5 consecutive 5xx, but enforcing is 0 %: detected, not ejected' });
    expect(host.consecutive5xx).toBe(0);
    expect(record(host, cfg, [500, 500, 500, 500]).every((t) => t === undefined)).toBe(true);
    expect(recordResult(host, cfg, 500).trigger).toBe('consecutive5xx');
  });

  it('enforcing is a percentage draw: roll < enforcing ejects', () => {
    const cfg = config({ enforcing5xx: 30, consecutiveGatewayFailure: 0 });
    const decide = (roll: number): string => {
      const host = createOutlierHost();
      record(host, cfg, [500, 500, 500, 500, 500]);
      return decideEjection(host, cfg, 0, 0, 10, roll).kind;
    };
    expect([0, 29.99, 30, 99].map(decide)).toEqual(['eject', 'eject', 'skip', 'skip']);
  });

  it('§3.3 one host with the default 10 % is never ejected (modern Envoy, no first-host exception)', () => {
    const host = createOutlierHost();
    const cfg = config();
    for (let round = 0; round < 3; round++) {
      record(host, cfg, [500, 500, 500, 500, 500]);
      expect(decideEjection(host, cfg, 0, 0, 1, 0)).toEqual({
        kind: 'skip',
        reason: '5 consecutive 5xx, but ejecting would leave 1 of 1 hosts ejected, over maxEjectionPercent 10 %',
      });
      expect(host.ejected).toBe(false);
      expect(host.consecutive5xx).toBe(0);
    }
  });

  it('§3.3 ten hosts with 10 %: the first ejection is allowed, the second is not', () => {
    const cfg = config();
    const [a, b] = [createOutlierHost(), createOutlierHost()];
    record(a, cfg, [500, 500, 500, 500, 500]);
    record(b, cfg, [500, 500, 500, 500, 500]);
    expect(decideEjection(a, cfg, 0, 0, 10, 0).kind).toBe('eject');
    expect(decideEjection(b, cfg, 0, 1, 10, 0).kind).toBe('skip');
  });

  it('§3.3 one host with 100 % is ejected (Istio circuit-breaking task)', () => {
    const host = createOutlierHost();
    const cfg = config({ maxEjectionPercent: 100, consecutive5xx: 1 });
    record(host, cfg, [503]);
    expect(decideEjection(host, cfg, 0, 0, 1, 0).kind).toBe('eject');
  });

  it('an already-ejected host is left as it is', () => {
    const host = { ...createOutlierHost(), ejected: true, consecutive5xx: 5 };
    expect(decideEjection(host, config(), 0, 0, 10, 0)).toEqual({ kind: 'skip', reason: 'already ejected' });
    expect(host.consecutive5xx).toBe(5);
  });
});

describe('ejection time (§3.4)', () => {
  it('repeated ejections last 30 s, 60 s, 90 s … capped at 300 s (base 30 s)', () => {
    const cfg = config({ maxEjectionPercent: 100, consecutive5xx: 1, consecutiveGatewayFailure: 0 });
    const host = createOutlierHost();
    const durations: number[] = [];
    for (let i = 0; i < 12; i++) {
      record(host, cfg, [500]);
      const d = decideEjection(host, cfg, 0, 0, 1, 0);
      if (d.kind === 'eject') durations.push(d.duration / 1_000_000);
      host.ejected = false;
    }
    expect(durations).toEqual([30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 300, 300]);
    expect(host.ejectionMultiplier).toBe(11);
  });

  it('ejectionDuration = min(base × k, max), the max never below base', () => {
    expect(ejectionDuration(config(), 3)).toBe(seconds(90));
    expect(ejectionDuration(config(), 11)).toBe(seconds(300));
    expect(ejectionDuration(config({ baseEjectionTime: seconds(400) }), 1)).toBe(seconds(400));
  });

  it('un-ejects only on ticks: ejected at t=12 s, base 30 s, interval 10 s → back at the t=50 s tick (38 s, within 30–40 s)', () => {
    const cfg = config({ maxEjectionPercent: 100, consecutive5xx: 1 });
    const hosts = { 'users-v1-a': createOutlierHost(), 'users-v1-b': createOutlierHost() };
    record(hosts['users-v1-a'], cfg, [500]);
    decideEjection(hosts['users-v1-a'], cfg, seconds(12), 0, 2, 0);
    const ticks = [20, 30, 40, 50].map((t) => onIntervalTick(hosts, cfg, seconds(t)));
    expect(ticks).toEqual([[], [], [], [{ pod: 'users-v1-a', ejectedFor: seconds(38) }]]);
    expect(hosts['users-v1-a']).toMatchObject({ ejected: false, consecutive5xx: 0, consecutiveGateway: 0, ejectionMultiplier: 1 });
  });

  it('k decays by one per tick while the host is in service, so the next ejection is shorter', () => {
    const cfg = config({ maxEjectionPercent: 100, consecutive5xx: 1 });
    const hosts = { a: createOutlierHost() };
    const eject = (t: number): number => {
      record(hosts.a, cfg, [500]);
      const d = decideEjection(hosts.a, cfg, seconds(t), 0, 1, 0);
      return d.kind === 'eject' ? d.duration / 1_000_000 : -1;
    };
    expect(eject(0)).toBe(30);
    onIntervalTick(hosts, cfg, seconds(30));
    expect(eject(31)).toBe(60);
    onIntervalTick(hosts, cfg, seconds(100));
    expect(hosts.a.ejectionMultiplier).toBe(2);
    onIntervalTick(hosts, cfg, seconds(110));
    expect(hosts.a.ejectionMultiplier).toBe(1);
    expect(eject(111)).toBe(60);
    onIntervalTick(hosts, cfg, seconds(180));
    for (let t = 190; t <= 210; t += 10) onIntervalTick(hosts, cfg, seconds(t));
    expect(hosts.a.ejectionMultiplier).toBe(0);
    onIntervalTick(hosts, cfg, seconds(220));
    expect(hosts.a.ejectionMultiplier).toBe(0);
    expect(eject(221)).toBe(30);
  });

  it('property: ejected hosts never exceed floor(total × maxPct / 100)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('result' as const), host: fc.nat(), status: fc.constantFrom(200, 404, 500, 502, 503, 504) }),
      fc.record({ kind: fc.constant('tick' as const) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(op, { maxLength: 400 }),
        fc.array(fc.double({ min: 0, max: 99.999, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (total, maxPct, threshold, ops, rolls) => {
          const cfg = config({ maxEjectionPercent: maxPct, consecutive5xx: threshold, consecutiveGatewayFailure: threshold, enforcingGatewayFailure: 50 });
          const hosts: Record<string, OutlierHostState> = {};
          for (let i = 0; i < total; i++) hosts[`p${i}`] = createOutlierHost();
          const limit = Math.floor((total * maxPct) / 100);
          let now = 0;
          let r = 0;
          for (const o of ops) {
            now += seconds(1);
            if (o.kind === 'tick') {
              onIntervalTick(hosts, cfg, now);
              continue;
            }
            const host = hosts[`p${o.host % total}`] as OutlierHostState;
            if (!recordResult(host, cfg, o.status).trigger) continue;
            const ejected = Object.values(hosts).filter((h) => h.ejected).length;
            decideEjection(host, cfg, now, ejected, total, rolls[r++ % rolls.length] as number);
            expect(Object.values(hosts).filter((h) => h.ejected).length).toBeLessThanOrEqual(limit);
          }
        },
      ),
    );
  });
});
