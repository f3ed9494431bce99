import { describe, expect, it } from 'vitest';
import legacy from '../../../examples/legacy-client.yaml?raw';
import rbac from '../../../examples/rbac.yaml?raw';
import shop from '../../../scenarios/default.yaml?raw';
import { visibleMarks } from '../playback/blocks.ts';
import { eventLog } from '../playback/eventLog.ts';
import { Controller } from './Controller.ts';

function lastRequest(c: Controller) {
  const { driver, live: sim } = c.scene;
  return eventLog(driver.book.featuredTracks(), driver.tau, (pod) => sim.workloadOf(pod));
}

describe('security in the picture', () => {
  it('STRICT set from the control: a caller without a sidecar is reset at the callee’s sidecar, marked there, and told in the log', () => {
    const c = new Controller('custom', [
      { name: 'default.yaml', text: shop },
      { name: 'legacy-client.yaml', text: legacy },
    ]);
    const api = c.scene.live.scenario.pods.find((p) => p.workload === 'api')?.name as string;
    c.setMtls('STRICT');
    // The control plane pushes the new PeerAuthentication after its push delay (100 ms by default).
    c.advance(100_000);
    c.select('legacy', 'default/api');
    c.send(1);
    c.finishPlayback();
    const root = c.scene.driver.tracks.get(c.scene.driver.featuredRoot as number);
    expect(root?.block).toMatchObject({ pod: api, kind: 'mtls', label: 'mTLS STRICT: reset' });
    expect(visibleMarks(c.scene.driver.tracks.values(), c.scene.driver.tau).map((m) => [m.pod, m.kind])).toEqual([[api, 'mtls']]);
    const { summary, lines } = lastRequest(c);
    expect(summary?.appSaw).toMatch(/^no response \(reset\)/);
    expect(summary?.stopped).toBe("api's sidecar reset the connection: plaintext is refused under PeerAuthentication STRICT");
    expect(lines.some((l) => l.kind === 'mtls.reject' && l.who === 'api envoy')).toBe(true);
    expect(c.scene.stats.received.get(api) ?? 0).toBe(0);
  });

  it('an AuthorizationPolicy denial: 403 from api’s sidecar, the app never sees it', () => {
    const c = new Controller('custom', [
      { name: 'default.yaml', text: shop },
      { name: 'rbac.yaml', text: rbac },
    ]);
    c.select('cache', 'default/api');
    c.send(1);
    c.finishPlayback();
    const { summary, lines } = lastRequest(c);
    expect(summary?.appSaw).toMatch(/^403 /);
    expect(summary?.stopped).toMatch(/^api's sidecar denied it: no ALLOW policy matched \(AuthorizationPolicy\/default\/api-readers requires principal cluster.local\/ns\/default\/sa\/web/);
    expect(lines.some((l) => l.kind === 'authz.deny')).toBe(true);
    expect(lines.some((l) => l.kind === 'app.receive' && l.who === 'api app')).toBe(false);
    expect(visibleMarks(c.scene.driver.tracks.values(), c.scene.driver.tau).map((m) => m.label)).toEqual(['403 RBAC: denied']);
  });
});

describe('wires for callers the call graph does not know', () => {
  it('choosing a sender the call graph does not know (a pod without a sidecar) draws its wire to the destination', () => {
    const c = new Controller('custom', [
      { name: 'default.yaml', text: shop },
      { name: 'legacy-client.yaml', text: legacy },
    ]);
    const legacyGroup = c.scene.shape.groups.find((g) => g.label === 'legacy')?.id;
    const edge = (layoutEdges: Array<{ from: string; to: string }>) => layoutEdges.some((e) => e.from === legacyGroup && e.to === 'default/api');
    expect(edge(c.scene.layout.edges)).toBe(false);
    c.select('legacy', 'default/api');
    expect(edge(c.scene.layout.edges)).toBe(true);
    // A workload calling its own Service draws no wire from a card to itself.
    const before = c.scene.layout.edges.length;
    c.select('api', 'default/api');
    expect(c.scene.layout.edges.length).toBe(before);
  });
});
