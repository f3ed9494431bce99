import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/api/index.ts';
import type { MeshEvent } from '../../src/model/index.ts';
import { deployment, destinationRule, recordingSim, service, sessionFrom } from '../helpers/mesh.ts';

/**
 * `localityLbSetting.distribute`, `failoverPriority`, and the mesh-wide setting. Facts from Istio's source
 * (github.com/istio/istio, master of Aug 2026), pilot/pkg/networking/core/loadbalancer/loadbalancer.go:
 * - `GetEffectiveLbSetting`: a DestinationRule's localityLbSetting replaces the mesh config's whole.
 * - `ApplyLocalityLoadBalancer`: distribute, if set, is applied (no outlier detection needed) and failover is
 *   not; otherwise, with outlier detection, failoverPriority (then `failover` refining each level ×5) or failover.
 * - `applyLocalityWeights`: the first rule whose `from` matches the proxy's locality; each `to` takes the
 *   localities it matches, each weighted ⌈its endpoints × weight / the matched endpoints⌉; localities no `to`
 *   matches lose their endpoints. `util.LocalityMatch`: `*` parts and a missing zone/subzone match anything.
 * - `applyFailoverPriorityPerLocality`: priority 0 if every label matches the proxy's, else (labels − index of
 *   the first that differs); `label=value` compares with the value written. Labels include the locality
 *   (pilot/pkg/serviceregistry/util/label/label.go `AugmentLabels`).
 * Envoy (docs arch_overview/upstream/load_balancing/locality_weight): the locality is picked by weighted round
 * robin over weight × min(1, 1.4 × healthy share), then a host there by the cluster's balancer.
 */

const kinds = <K extends MeshEvent['kind']>(events: MeshEvent[], kind: K) => events.filter((e): e is Extract<MeshEvent, { kind: K }> => e.kind === kind);
const CLUSTER = 'outbound|8080||server.default.svc.cluster.local';
const OUTLIER = 'outlierDetection: { consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 10m, maxEjectionPercent: 100 }';

/** A client in r1/z1 (with `clientLabels`) and `server` pods: `name → [locality, replicas, extra labels]`. */
function mesh(servers: Record<string, [string, number, Record<string, string>?]>, trafficPolicy?: string, ...more: string[]): Session {
  return sessionFrom(
    deployment('client', { app: 'client', 'topology.istio.io/locality': 'r1.z1', rack: 'a1' }),
    ...Object.entries(servers).map(([name, [locality, replicas, labels]]) => deployment(name, { app: 'server', 'topology.istio.io/locality': locality, ...labels }, replicas)),
    service('server'),
    ...(trafficPolicy === undefined ? [] : [destinationRule('server', trafficPolicy)]),
    ...more,
  );
}

const clientProxy = (session: Session) => session.xds.proxies[session.scenario.pods.find((p) => p.workload === 'client')?.name as string];
const workloadOf = (session: Session, pod: string) => session.scenario.pods.find((p) => p.name === pod)?.workload ?? pod;

/** `n` requests one after the other; the workload each first attempt went to, counted. */
function shares(session: Session, n: number, before?: (sim: ReturnType<typeof recordingSim>['sim']) => void): { counts: Record<string, number>; events: MeshEvent[] } {
  const { sim, events } = recordingSim(session, 11);
  before?.(sim);
  const from = events.length;
  for (let i = 0; i < n; i++) {
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
  }
  const counts: Record<string, number> = {};
  for (const e of kinds(events.slice(from), 'lb.pick')) counts[workloadOf(session, e.endpoint)] = (counts[workloadOf(session, e.endpoint)] ?? 0) + 1;
  return { counts, events: events.slice(from) };
}

const DISTRIBUTE = 'loadBalancer: { localityLbSetting: { distribute: [{ from: "r2/*", to: { "r2/*": 100 } }, { from: "r1/z1/*", to: { "r1/z1/*": 70, "r1/z2/*": 20, "r2/*": 10 } }] } }';

describe('distribute', () => {
  const servers = { near: ['r1.z1', 2], zone: ['r1.z2', 1], far: ['r2.z3', 1] } as Record<string, [string, number]>;

  it('gives the client’s proxy the first matching rule’s weights per locality, no outlier detection needed', () => {
    const weights = clientProxy(mesh(servers, DISTRIBUTE))?.localityWeights?.[CLUSTER];
    expect(weights && Object.fromEntries(weights.localities.map((l, i) => [l, weights.weights[i]]))).toEqual({ 'r1/z1': 70, 'r1/z2': 20, 'r2/z3': 10 });
  });

  it('sends 70/20/10 % of 2,000 requests (weighted round robin: within ±1 point)', () => {
    const { counts } = shares(mesh(servers, DISTRIBUTE), 2000);
    expect(Math.abs((counts['near'] ?? 0) / 20 - 70)).toBeLessThanOrEqual(1);
    expect(Math.abs((counts['zone'] ?? 0) / 20 - 20)).toBeLessThanOrEqual(1);
    expect(Math.abs((counts['far'] ?? 0) / 20 - 10)).toBeLessThanOrEqual(1);
  });

  it('divides a wildcard’s weight by endpoint count, ⌈2 × 80 / 3⌉ and ⌈1 × 80 / 3⌉, and drops localities no `to` names', () => {
    const session = mesh({ near: ['r1.z1', 2], zone: ['r1.z2', 1], far: ['r2.z3', 1], gone: ['r3.z1', 1] }, 'loadBalancer: { localityLbSetting: { distribute: [{ from: "r1/*", to: { "r1/*": 80, "r2/*": 20 } }] } }');
    const weights = clientProxy(session)?.localityWeights?.[CLUSTER];
    expect(weights?.weights).toEqual([54, 27, 20, 0]);
    const endpoints = clientProxy(session)?.clusters[CLUSTER]?.endpoints ?? [];
    expect(endpoints.filter((_, i) => weights?.group[i] === -1).map((e) => workloadOf(session, e.pod))).toEqual(['gone']);
    expect(shares(session, 300).counts['gone']).toBeUndefined();
  });

  it('scales a locality with ejected hosts by min(1, 1.4 × healthy share): one of two near pods out → 49 against 20 and 10 (62 % ± 1)', () => {
    const session = mesh(servers, `${OUTLIER}\n${DISTRIBUTE}`);
    const nearPods = session.scenario.pods.filter((p) => p.workload === 'near').map((p) => p.name);
    const { counts, events } = shares(session, 2000, (sim) => {
      sim.fail({ pod: nearPods[0] as string }, '503');
      for (let i = 0; i < 20 && !sim.anyEjected(); i++) {
        sim.send({ from: 'client', host: 'server', port: 8080 });
        sim.runUntilIdle();
      }
      expect(sim.anyEjected()).toBe(true);
    });
    expect(kinds(events, 'lb.pick')[0]?.weighted?.total).toBe(79);
    expect(Math.abs((counts['near'] ?? 0) / 20 - (100 * 49) / 79)).toBeLessThanOrEqual(1);
  });

  it('applies no weights to a client no `from` matches', () => {
    const session = mesh(servers, 'loadBalancer: { localityLbSetting: { distribute: [{ from: "r9/*", to: { "r9/*": 100 } }] } }');
    expect(clientProxy(session)?.localityWeights).toBeUndefined();
  });
});

describe('failoverPriority', () => {
  it('orders priorities by how many of the labels, in order, an endpoint shares with the client', () => {
    // Labels [rack, zone]: same rack and zone 0; same rack, other zone 1 (2 − 1); other rack 2 (2 − 0) whatever the zone.
    const session = mesh(
      { both: ['r1.z1', 1, { rack: 'a1' }], rackOnly: ['r1.z2', 1, { rack: 'a1' }], zoneOnly: ['r1.z1', 1, { rack: 'b7' }], neither: ['r2.z3', 1, { rack: 'b7' }] },
      `${OUTLIER}\nloadBalancer: { localityLbSetting: { failoverPriority: [rack, topology.kubernetes.io/zone] } }`,
    );
    const proxy = clientProxy(session);
    const endpoints = proxy?.clusters[CLUSTER]?.endpoints ?? [];
    const byWorkload = Object.fromEntries(endpoints.map((e, i) => [workloadOf(session, e.pod), proxy?.priorities?.[CLUSTER]?.[i]]));
    expect(byWorkload).toEqual({ both: 0, rackOnly: 1, zoneOnly: 2, neither: 2 });
    expect(shares(session, 20).counts).toEqual({ both: 20 });
  });

  it('compares with the value written after `=`, and a failover rule refines each level by region', () => {
    const session = mesh(
      { pinned: ['r1.z1', 1, { rack: 'b7' }], local: ['r1.z1', 1, { rack: 'a1' }], east: ['r2.z1', 1, { rack: 'a1' }], west: ['r3.z1', 1, { rack: 'a1' }] },
      `${OUTLIER}\nloadBalancer: { localityLbSetting: { failoverPriority: ["rack=b7"], failover: [{ from: r1, to: r3 }] } }`,
    );
    const proxy = clientProxy(session);
    const endpoints = proxy?.clusters[CLUSTER]?.endpoints ?? [];
    // rack=b7: pinned level 0, the rest level 1; then × 5 + region priority (r1 0, r3 the failover target 3, r2 4).
    const byWorkload = Object.fromEntries(endpoints.map((e, i) => [workloadOf(session, e.pod), proxy?.priorities?.[CLUSTER]?.[i]]));
    expect(byWorkload).toEqual({ pinned: 0, local: 1, west: 2, east: 3 });
  });
});

describe('the mesh config’s localityLbSetting', () => {
  const meshConfig = (setting: string) => `apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    localityLbSetting: ${setting}`;
  const meshWide = meshConfig('{ distribute: [{ from: "r1/*", to: { "r1/z1/*": 90, "r2/*": 10 } }] }');
  const servers = { near: ['r1.z1', 1], far: ['r2.z3', 1] } as Record<string, [string, number]>;

  it('applies to every destination without a setting of its own', () => {
    expect(clientProxy(mesh(servers, undefined, meshWide))?.localityWeights?.[CLUSTER]?.weights).toEqual([90, 10]);
  });

  it('is replaced whole by a DestinationRule’s setting, even one that only disables it', () => {
    expect(clientProxy(mesh(servers, 'loadBalancer: { localityLbSetting: { enabled: false } }', meshWide))?.localityWeights).toBeUndefined();
    const own = 'loadBalancer: { localityLbSetting: { distribute: [{ from: "r1/*", to: { "r1/z1/*": 50, "r2/*": 50 } }] } }';
    expect(clientProxy(mesh(servers, own, meshWide))?.localityWeights?.[CLUSTER]?.weights).toEqual([50, 50]);
  });

  it('is overridden by the Simulation’s mesh, and refused with the reason when istiod would refuse it', () => {
    const simulation = `apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: { name: s }
spec:
  mesh: { localityLbSetting: { distribute: [{ from: "r1/*", to: { "r1/z1/*": 60, "r2/*": 40 } }] } }`;
    expect(clientProxy(mesh(servers, undefined, meshWide, simulation))?.localityWeights?.[CLUSTER]?.weights).toEqual([60, 40]);
    const bad = mesh(servers, undefined, meshConfig('{ distribute: [{ from: "r1/*", to: { "r1/*": 50 } }] }'));
    expect(bad.diagnostics.map((d) => `${d.code} ${d.message}`)).toContain("MV0032 the mesh config is not YAML istiod could read (localityLbSetting.distribute[0].to: total locality weight 50 != 100): Istio's defaults apply");
    expect(clientProxy(bad)?.localityWeights).toBeUndefined();
  });
});
