import { describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/api/index.ts';
import type { MeshEvent } from '../../src/model/index.ts';
import { deployment, destinationRule, recordingSim, service, sessionFrom } from '../helpers/mesh.ts';

/**
 * Locality-aware balancing and failover (mesh-semantics §5). istiod gives a
 * proxy's endpoints Envoy priorities by closeness — 0 same region, zone and
 * subzone; 1 same zone; 2 same region; 3 another region; 4 a region a
 * `failover` rule does not name — only when the cluster has outlier
 * detection (Istio src pilot/pkg/networking/core/loadbalancer/loadbalancer.go
 * `ApplyLocalityLoadBalancer`, `applyLocalityFailover`; util.go `LbPriority`).
 * Envoy then sends each priority min(100, ⌊1.4 × healthy %⌋) of the traffic,
 * normalized when the levels' health sums under 100 (Envoy src
 * load_balancer_impl.cc `recalculatePerPriorityState`, `distributeLoad`;
 * docs arch_overview/upstream/load_balancing/priority: 50 % healthy keeps 70 %).
 */

const kinds = <K extends MeshEvent['kind']>(events: MeshEvent[], kind: K) => events.filter((e): e is Extract<MeshEvent, { kind: K }> => e.kind === kind);

/** A client in r1/z1 and `server` pods in the localities given (`name → [locality, replicas]`). */
function mesh(servers: Record<string, [string, number]>, trafficPolicy: string): Session {
  return sessionFrom(
    deployment('client', { app: 'client', 'topology.istio.io/locality': 'r1.z1' }),
    ...Object.entries(servers).map(([name, [locality, replicas]]) => deployment(name, { app: 'server', 'topology.istio.io/locality': locality }, replicas)),
    service('server'),
    destinationRule('server', trafficPolicy),
  );
}

const OUTLIER = 'outlierDetection: { consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 10m, maxEjectionPercent: 100 }';

/** Sends `n` requests one after the other; returns the workload each one's first attempt went to. */
function picks(session: Session, n: number, before?: (sim: ReturnType<typeof recordingSim>['sim']) => void): { chosen: string[]; events: MeshEvent[] } {
  const { sim, events } = recordingSim(session, 7);
  before?.(sim);
  const from = events.length;
  for (let i = 0; i < n; i++) {
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
  }
  const workloadOf = (pod: string) => session.scenario.pods.find((p) => p.name === pod)?.workload ?? pod;
  const chosen = kinds(events.slice(from), 'lb.pick').map((e) => workloadOf(e.endpoint));
  return { chosen, events: events.slice(from) };
}

const count = (list: string[], value: string) => list.filter((x) => x === value).length;

describe('locality priorities (istiod)', () => {
  it('without outlier detection every endpoint has one priority: traffic spreads over all localities', () => {
    const session = mesh({ near: ['r1.z1', 1], zone: ['r1.z2', 1], far: ['r2.z3', 1] }, 'loadBalancer: { simple: ROUND_ROBIN }');
    const client = session.scenario.pods.find((p) => p.workload === 'client')?.name ?? '';
    expect(session.xds.proxies[client]?.priorities).toBeUndefined();
    const { chosen } = picks(session, 30);
    expect([count(chosen, 'near'), count(chosen, 'zone'), count(chosen, 'far')]).toEqual([10, 10, 10]);
  });

  it('with outlier detection: priority 0 same zone, 1 same region, 2 another region — all traffic stays in the caller’s zone', () => {
    const session = mesh({ near: ['r1.z1', 1], zone: ['r1.z2', 1], far: ['r2.z3', 1] }, OUTLIER);
    const client = session.scenario.pods.find((p) => p.workload === 'client')?.name ?? '';
    const cluster = 'outbound|8080||server.default.svc.cluster.local';
    const endpoints = session.xds.proxies[client]?.clusters[cluster]?.endpoints.map((e) => session.scenario.pods.find((p) => p.name === e.pod)?.workload);
    const priorities = session.xds.proxies[client]?.priorities?.[cluster];
    expect(Object.fromEntries((endpoints ?? []).map((w, i) => [w, priorities?.[i]]))).toEqual({ near: 0, zone: 1, far: 2 });
    const { chosen, events } = picks(session, 40);
    expect(count(chosen, 'near')).toBe(40);
    expect(kinds(events, 'lb.pick')[0]?.locality).toEqual({ priority: 0, load: [100, 0, 0] });
  });

  it('the subzone counts: same zone, other subzone is priority 1', () => {
    const session = mesh({ same: ['r1.z1', 1], sub: ['r1.z1.s2', 1] }, OUTLIER);
    const client = session.scenario.pods.find((p) => p.workload === 'client')?.name ?? '';
    expect(session.xds.proxies[client]?.priorities?.['outbound|8080||server.default.svc.cluster.local']?.slice().sort()).toEqual([0, 1]);
  });

  it('one of two local pods ejected: priority 0 keeps ⌊1.4 × 50⌋ = 70 % of the traffic, the next zone takes 30 % (±5 over 2,000)', () => {
    const session = mesh({ near: ['r1.z1', 2], zone: ['r1.z2', 2] }, OUTLIER);
    const nearPods = session.scenario.pods.filter((p) => p.workload === 'near').map((p) => p.name);
    const { chosen, events } = picks(session, 2000, (sim) => {
      sim.fail({ pod: nearPods[0] as string }, '503');
      // Until the failing pod is ejected (its first 503), send what it takes.
      for (let i = 0; i < 20 && !sim.anyEjected(); i++) {
        sim.send({ from: 'client', host: 'server', port: 8080 });
        sim.runUntilIdle();
      }
      expect(sim.anyEjected()).toBe(true);
    });
    expect(kinds(events, 'lb.pick')[0]?.locality?.load).toEqual([70, 30]);
    const near = count(chosen, 'near') / chosen.length;
    expect(near).toBeGreaterThan(0.65);
    expect(near).toBeLessThan(0.75);
    expect(kinds(events, 'request.end').every((e) => e.status === 200)).toBe(true);
  });

  it('every local pod ejected: all traffic fails over to the same region', () => {
    const session = mesh({ near: ['r1.z1', 1], zone: ['r1.z2', 1], far: ['r2.z3', 1] }, OUTLIER);
    const { chosen, events } = picks(session, 50, (sim) => {
      sim.fail({ workload: 'near' }, '503');
      sim.send({ from: 'client', host: 'server', port: 8080 });
      sim.runUntilIdle();
      expect(sim.anyEjected()).toBe(true);
    });
    expect(count(chosen, 'zone')).toBe(50);
    expect(kinds(events, 'lb.pick')[0]?.locality?.load).toEqual([0, 100, 0]);
  });

  it('a failover rule from r1 to r3: with the region down, traffic goes to r3, not to r2', () => {
    const session = mesh(
      { near: ['r1.z1', 1], two: ['r2.z1', 1], three: ['r3.z1', 1] },
      `${OUTLIER}\nloadBalancer: { localityLbSetting: { enabled: true, failover: [{ from: r1, to: r3 }] } }`,
    );
    const { chosen } = picks(session, 30, (sim) => {
      sim.fail({ workload: 'near' }, '503');
      sim.send({ from: 'client', host: 'server', port: 8080 });
      sim.runUntilIdle();
    });
    expect(count(chosen, 'three')).toBe(30);
  });

  it('without the rule, r2 and r3 are both "another region" and share the failover', () => {
    const session = mesh({ near: ['r1.z1', 1], two: ['r2.z1', 1], three: ['r3.z1', 1] }, `${OUTLIER}\nloadBalancer: { simple: ROUND_ROBIN }`);
    const { chosen } = picks(session, 30, (sim) => {
      sim.fail({ workload: 'near' }, '503');
      sim.send({ from: 'client', host: 'server', port: 8080 });
      sim.runUntilIdle();
    });
    expect(count(chosen, 'two')).toBe(15);
    expect(count(chosen, 'three')).toBe(15);
  });

  it('localityLbSetting enabled: false turns priorities off', () => {
    const session = mesh({ near: ['r1.z1', 1], far: ['r2.z3', 1] }, `${OUTLIER}\nloadBalancer: { localityLbSetting: { enabled: false } }`);
    const client = session.scenario.pods.find((p) => p.workload === 'client')?.name ?? '';
    expect(session.xds.proxies[client]?.priorities).toBeUndefined();
  });

  it('the legacy istio-locality label works the same (dots for slashes)', () => {
    const session = sessionFrom(
      deployment('client', { app: 'client', 'istio-locality': 'r1.z1' }),
      deployment('near', { app: 'server', 'istio-locality': 'r1.z1' }),
      deployment('far', { app: 'server', 'istio-locality': 'r2.z9' }),
      service('server'),
      `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: server, namespace: default }
spec: { host: server, trafficPolicy: { ${OUTLIER} } }`,
    );
    expect(count(picks(session, 10).chosen, 'near')).toBe(10);
  });
});

describe('locality findings', () => {
  const findings = (trafficPolicy: string) =>
    mesh({ near: ['r1.z1', 1], far: ['r2.z3', 1] }, trafficPolicy).diagnostics.map((d) => `${d.code} ${d.path}`);

  it('MV0441: a failover rule without outlier detection never fails over', () => {
    expect(findings('loadBalancer: { localityLbSetting: { failover: [{ from: r1, to: r2 }] } }')).toContain('MV0441 spec.trafficPolicy.loadBalancer.localityLbSetting.failover');
    expect(findings(`${OUTLIER}\nloadBalancer: { localityLbSetting: { failover: [{ from: r1, to: r2 }] } }`).filter((f) => f.startsWith('MV0441'))).toEqual([]);
  });

  it('MV0441 for failoverPriority too; none for distribute, which needs no outlier detection', () => {
    expect(findings('loadBalancer: { localityLbSetting: { failoverPriority: [rack] } }')).toContain('MV0441 spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority');
    expect(findings('loadBalancer: { localityLbSetting: { distribute: [{ from: "r1/*", to: { "r1/*": 80, "r2/*": 20 } }] } }')).toEqual([]);
  });

  it('MV0442 (IST0106): what Istio’s validation refuses in a localityLbSetting, at its field', () => {
    const invalid = (setting: string) => {
      const opened = openSession([{ name: 'm.yaml', text: [deployment('client', { app: 'client' }), service('server', 'client'), destinationRule('server', `${OUTLIER}\nloadBalancer: { localityLbSetting: ${setting} }`)].join('\n---\n') }]);
      // An error: the mesh does not open, as istiod's webhook would refuse the DestinationRule.
      return opened.ok ? [] : opened.diagnostics.filter((d) => d.code === 'MV0442').map((d) => `${d.path} ${d.message}`);
    };
    const at = 'spec.trafficPolicy.loadBalancer.localityLbSetting';
    expect(invalid('{ distribute: [{ from: "r1/*", to: { "r1/*": 80, "r2/*": 30 } }] }')).toEqual([`${at}.distribute[0].to total locality weight 110 != 100: Istio's validation rejects this localityLbSetting`]);
    expect(invalid('{ distribute: [{ from: "r1/*", to: { "r1/*": 100 } }], failover: [{ from: r1, to: r2 }] }')).toEqual([`${at} can not simultaneously specify 'distribute' and 'failover': Istio's validation rejects this localityLbSetting`]);
    expect(invalid('{ failover: [{ from: r1, to: r1 }] }')).toEqual([`${at}.failover[0] locality lb failover settings must specify different regions: Istio's validation rejects this localityLbSetting`]);
  });
});

describe('examples/locality (the README’s run)', () => {
  it('east keeps every call until its failing pod is ejected, then 70 % ± 4 (west 30 %)', async () => {
    const { readFileSync } = await import('node:fs');
    const { openSession, runSimulation } = await import('../../src/api/index.ts');
    const files = ['mesh.yaml', 'simulation.yaml'].map((name) => ({ name, text: readFileSync(new URL(`../../examples/locality/${name}`, import.meta.url), 'utf8') }));
    const opened = openSession(files);
    if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
    const report = runSimulation(opened.session);
    const received = (workload: string) => report.pods.filter((p) => p.workload === workload).reduce((n, p) => n + p.received, 0);
    const [east, west] = [received('api-east'), received('api-west')];
    expect(east + west).toBe(3000);
    // 20 s at 50 rps all east (1,000), then 40 s split 70/30 (2,000).
    const afterEjection = 2000;
    expect(west / afterEjection).toBeGreaterThan(0.26);
    expect(west / afterEjection).toBeLessThan(0.34);
    expect(report.ejections).toHaveLength(1);
  });
});
