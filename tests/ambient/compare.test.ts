import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compareFlavors, openSession, translateToAmbient } from '../../src/api/index.ts';
import { MESH_COSTS } from '../../src/model/index.ts';

const DEFAULT = { name: 'scenarios/default.yaml', text: readFileSync(new URL('../../scenarios/default.yaml', import.meta.url), 'utf8') };

function session() {
  const opened = openSession([DEFAULT]);
  if (!opened.ok) throw new Error('default scenario does not open');
  return opened.session;
}

describe('compare with ambient beside sidecars and Linkerd (§11, §12)', () => {
  it('translating the default shop: the namespace is labelled ambient, pods go on two nodes, users (it has a VirtualService and a DestinationRule) gets the waypoint', () => {
    const t = translateToAmbient(session().scenario);
    expect(t.scenario.simulation.flavor).toBe('istio-ambient');
    expect(t.scenario.namespaces.find((n) => n.name === 'default')?.labels['istio.io/dataplane-mode']).toBe('ambient');
    expect(new Set(t.scenario.pods.map((p) => p.node))).toEqual(new Set(['node-1', 'node-2']));
    expect(t.scenario.services.filter((s) => s.labels?.['istio.io/use-waypoint'] === 'waypoint').map((s) => s.name)).toEqual(['users']);
    expect(t.scenario.waypoints.map((w) => `${w.namespace}/${w.name}`)).toEqual(['default/waypoint']);
  });

  it('the failing-pod story: ambient ejects users-v1 at its waypoint, once for every caller; its proxies are 2 ztunnels and 1 waypoint at their cited figures', () => {
    const [istio, ambient] = compareFlavors(session(), { flavors: ['istio', 'istio-ambient'] });
    expect(ambient?.simulated).toBe(true);
    expect(ambient?.ambient).toMatchObject({ ztunnels: 2, waypoints: 1 });
    // Every request api makes to users goes through the waypoint: 20 rps for 60 s.
    expect(ambient?.ambient?.requestsThroughWaypoints).toBe(1200);
    const costs = MESH_COSTS['istio-ambient'];
    expect(ambient?.proxyMemoryMB).toBe(2 * costs.memoryMB + 1 * (costs.waypointMemoryMB ?? 0));
    expect(ambient?.proxyMemoryMB).toBeLessThan(istio?.proxyMemoryMB ?? 0);
    expect(ambient?.onFailure[0]).toMatch(/^users-v1 fails \(503\) at 15 s: the waypoint's outlier detection \(one for every caller\) ejected it 1× from 15\.\d s/);
    expect(ambient?.run?.retries).toBeGreaterThan(0);
    // Before the failure: ztunnel's passes cost less than sidecars' (§12 CPU ratio), so ambient is faster end to end.
    const [i14, a14] = compareFlavors(session(), { flavors: ['istio', 'istio-ambient'], duration: 14_000_000 });
    expect(a14?.run?.successRate).toBe(1);
    expect(a14?.run?.p50Ms).toBeLessThan(i14?.run?.p50Ms ?? 0);
  });

  it('the cost table: ztunnel below a sidecar in memory and CPU, a waypoint at Envoy’s figures (Istio 1.24, §12)', () => {
    const { istio, 'istio-ambient': ambient } = MESH_COSTS;
    expect([ambient.memoryMB, ambient.cpuPer1000Rps, ambient.waypointMemoryMB, ambient.waypointCpuPer1000Rps]).toEqual([12, 0.06, 60, 0.25]);
    expect(ambient.hopP50).toBe(Math.round(istio.hopP50 * 0.3));
    expect(ambient.hopP50).toBeLessThan(istio.hopP50);
  });
});
