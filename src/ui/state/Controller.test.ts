import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { outlierRows } from '../stats/outlierRows.ts';
import { BUILT_IN_SCENARIOS } from './builtInScenarios.ts';
import { Controller } from './Controller.ts';

function shop(): Controller {
  const s = BUILT_IN_SCENARIOS.find((b) => b.id === 'default');
  if (!s) throw new Error('no default scenario');
  return new Controller(s.id, s.files);
}

const podOf = (c: Controller, workload: string) => c.scene.live.scenario.pods.find((p) => p.workload === workload)?.name as string;
const received = (c: Controller, workload: string) => c.scene.stats.received.get(podOf(c, workload)) ?? 0;
/** The default control plane's push delay: a control's change reaches the proxies this long after it is made. */
const PUSH_DELAY = 100_000;
/** The default mesh's users canary: v1, then v2. */
const V1_V2 = [{ subset: 'v1' }, { subset: 'v2' }];

describe('Controller (the newcomer story, without a browser)', () => {
  it('a scenario without a Service has nothing to send to: Send and Auto do nothing instead of failing', () => {
    const c = new Controller('custom', [
      { name: 'lonely.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: lonely }\nspec:\n  selector: { matchLabels: { app: lonely } }\n  template:\n    metadata: { labels: { app: lonely } }\n    spec: { containers: [{ name: lonely, image: x }] }\n' },
    ]);
    expect(c.canSend).toBe(false);
    c.send(1);
    c.setAuto(true);
    expect(c.scene.driver.autoRunning).toBe(false);
    expect(c.scene.stats.requests).toBe(0);
  });

  it('each action plays at its own real-time factor: Send 1/100×, Send 100 1/10×, Auto 1×, the story so that it ends within a minute; the user may change it', () => {
    const c = shop();
    expect(c.speed).toBe(0.01);
    c.send(100);
    expect(c.speed).toBe(0.1);
    c.send(1);
    expect(c.speed).toBe(0.01);
    c.setAuto(true);
    expect(c.speed).toBe(1);
    c.setSpeed(10);
    c.setAuto(false);
    expect(c.speed).toBe(10);
    c.playStory();
    expect(c.speed).toBe(2);
  });

  it('speed 1× plays a request of tens of ms in as many ms of frames', () => {
    const c = shop();
    c.send(1);
    c.setSpeed(1);
    const start = c.scene.driver.now;
    let wall = 0;
    for (; wall < 10_000 && c.scene.stats.snapshot().completed === 0; wall += 1) c.frame(1);
    const simulated = c.scene.driver.now - start;
    // One frame of 1 ms moves the picture 1 ms of simulated time: the wall time spent is the request's own duration.
    expect(wall).toBe(Math.ceil(simulated / 1_000));
    expect(simulated).toBeGreaterThan(5_000);
    expect(simulated).toBeLessThan(100_000);
  });

  it('switching scenarios picks a caller sidecar of the new one; Auto’s rate stays within 1–5000', () => {
    const c = shop();
    const bookinfo = BUILT_IN_SCENARIOS.find((b) => b.id === 'bookinfo');
    expect(c.load('bookinfo', bookinfo?.files ?? [])).toBe(true);
    expect(c.caller).toBe(podOf(c, 'productpage-v1'));
    c.setAuto(false, 99_999);
    expect(c.rate).toBe(5_000);
    c.setAuto(false, 0);
    expect(c.rate).toBe(1);
  });

  it('starts on api → users and splits users traffic 90/10 between v1 and v2', () => {
    const c = shop();
    expect([c.from, c.to]).toEqual(['api', 'default/users']);
    c.send(50);
    c.finishPlayback();
    const v1 = received(c, 'users-v1');
    const v2 = received(c, 'users-v2');
    expect(v1 + v2).toBe(50);
    expect(v2).toBeGreaterThanOrEqual(1);
    expect(v1).toBeGreaterThan(35);
    expect(c.scene.stats.snapshot()).toMatchObject({ requests: 50, completed: 50, failures: 0 });
  });

  it('a 50/50 canary edits the VirtualService and the split follows', () => {
    const c = shop();
    c.setWeight('default/users#0', 0, 50);
    expect(c.scene.live.documents()[0]?.text).toMatch(/weight: 50[\s\S]*weight: 50/);
    c.send(100);
    c.finishPlayback();
    expect(received(c, 'users-v2')).toBeGreaterThan(30);
    expect(c.urlState().weights).toEqual({ 'default/users#0': [50, 50] });
  });

  it('a failing users-v1 causes retries, failures, an ejection, then fail-fast requests that never reach it', () => {
    const c = shop();
    const v1 = podOf(c, 'users-v1');
    c.setFailing(v1, '503');
    c.send(10);
    c.finishPlayback();
    const s = c.scene.stats.snapshot();
    expect(s.retries).toBeGreaterThan(0);
    expect(s.failures).toBeGreaterThan(0);
    expect(s.ejections).toBeGreaterThanOrEqual(1);
    const grid = outlierRows(c.scene.live.clusters(c.caller), c.caller, c.scene.stats.ejected, c.scene.driver.now);
    expect(grid.rows.find((r) => r.endpoint === v1)).toMatchObject({ state: 'ejected', ejections: 1 });
    const before = received(c, 'users-v1');
    c.send(10);
    c.finishPlayback();
    expect(received(c, 'users-v1')).toBe(before);
    c.setFailing(v1, undefined);
    expect(c.failing).toEqual({});
  });

  it('once nothing is left to watch the clock stands still; an ejection running out keeps it going until the pod returns', () => {
    const c = shop();
    const frames = (wallMs: number) => {
      for (let ms = 0; ms < wallMs; ms += 16) c.frame(16);
    };
    c.send(1);
    frames(20_000);
    // Certificates rotate about 12 h in: a background timer must not drag the clock there.
    const settled = c.scene.driver.now;
    expect(settled).toBeLessThan(1_000_000);
    frames(5_000);
    expect(c.scene.driver.now).toBe(settled);

    const v1 = podOf(c, 'users-v1');
    c.setFailing(v1, '503');
    c.send(10);
    c.finishPlayback();
    expect(c.scene.stats.snapshot().ejections).toBe(1);
    c.setSpeed(1);
    frames(60_000);
    const returned = c.scene.stats.snapshot();
    expect(outlierRows(c.scene.live.clusters(c.caller), c.caller, c.scene.stats.ejected, c.scene.driver.now).rows.find((r) => r.endpoint === v1)?.state).not.toBe('ejected');
    const after = c.scene.driver.now;
    expect(after).toBeGreaterThan(settled + 30_000_000);
    expect(after).toBeLessThan(settled + 120_000_000);
    frames(5_000);
    expect(c.scene.driver.now).toBe(after);
    expect(returned.ejections).toBe(1);
  });

  it('mTLS DISABLE adds a mesh PeerAuthentication and new connections go over plaintext', () => {
    const c = shop();
    c.setMtls('DISABLE');
    expect(c.scene.live.documents().map((d) => d.title)).toContain('PeerAuthentication istio-system/default');
    c.advance(PUSH_DELAY);
    c.send(1);
    c.finishPlayback();
    const fromApi = [...c.scene.stats.wireMtls].filter(([k]) => k.startsWith(`${podOf(c, 'api')}>`));
    expect(fromApi.length).toBeGreaterThan(0);
    expect(fromApi.every(([, mtls]) => mtls === false)).toBe(true);
  });

  // Envoy drains a cluster's pools when its transport socket changes, so the next request opens a plaintext connection.
  it('mTLS DISABLE also changes a wire that already has a keep-alive connection', () => {
    const c = shop();
    c.send(1);
    c.finishPlayback();
    const wire = () => [...c.scene.stats.wireMtls].find(([k]) => k.startsWith(`${podOf(c, 'api')}>`))?.[1];
    expect(wire()).toBe(true);
    c.setMtls('DISABLE');
    c.advance(PUSH_DELAY);
    c.send(1);
    c.finishPlayback();
    expect(wire()).toBe(false);
  });

  it('steps the featured request hop by hop', () => {
    const c = shop();
    c.select('api', 'default/cache');
    c.setPlaying(false);
    c.send(1);
    const keys = [c.scene.driver.currentStop()?.key];
    for (let i = 0; i < 20; i++) {
      c.stepForward();
      keys.push(c.scene.driver.currentStop()?.key);
    }
    const api = podOf(c, 'api');
    const cache = podOf(c, 'cache');
    expect(keys.slice(0, 9)).toEqual([`app:${api}`, `sidecar:${api}`, `wire:${api}>${cache}`, `sidecar:${cache}`, `app:${cache}`, `sidecar:${cache}`, `wire:${cache}>${api}`, `sidecar:${api}`, `app:${api}`]);
  });
});

describe('the canary a newcomer is told to watch', () => {
  it('Send 100 fills the observed share: about 10 % to v2, converging to the weight; a push starts the count again', () => {
    const c = shop();
    c.send(100);
    c.finishPlayback();
    const [v1, v2] = c.scene.shares.observed('default/users#0', V1_V2) as [number, number];
    expect(v1 + v2).toBe(100);
    expect(v2).toBeGreaterThanOrEqual(4);
    expect(v2).toBeLessThanOrEqual(18);
    c.setWeights('default/users#0', [50, 50]);
    c.advance(PUSH_DELAY);
    expect(c.scene.shares.observed('default/users#0', V1_V2)).toEqual([0, 0]);
    c.send(100);
    c.send(100);
    c.finishPlayback();
    const [a, b] = c.scene.shares.observed('default/users#0', V1_V2) as [number, number];
    expect(a + b).toBe(200);
    expect(Math.abs(a - b)).toBeLessThan(40);
  });
});

describe('files in the page', () => {
  const example = (name: string) => ({ name, text: readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8') });

  it('adding Istio resources pushes them into the running mesh; adding a workload starts a fresh mesh of everything', () => {
    const c = shop();
    const live = c.scene.live;
    expect(c.add('custom', [example('strict-mtls.yaml')])?.map((f) => f.name)).toEqual(['default.yaml', 'strict-mtls.yaml']);
    expect(c.scene.live).toBe(live);
    expect(c.scene.id).toBe('custom');
    expect(c.scene.live.mtls().mode).toBe('STRICT');
    expect(c.add('custom', [example('legacy-client.yaml')])?.map((f) => f.name)).toEqual(['default.yaml', 'strict-mtls.yaml', 'legacy-client.yaml']);
    expect(c.scene.live).not.toBe(live);
    expect(c.sources()).toContain('legacy');
  });

  it('an empty file or a file with errors is refused with what `meshviz analyze` says, and the mesh stays', () => {
    const c = shop();
    const live = c.scene.live;
    expect(c.load('custom', [{ name: 'empty.yaml', text: '' }], 'empty.yaml')).toBe(false);
    expect(c.rejected?.diagnostics.map((d) => `${d.code} ${d.severity} ${d.message}`)).toEqual(['MV0004 info file is empty: nothing to load']);
    expect(c.add('custom', [{ name: 'bad.yaml', text: 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: x }\nspec:\n  hosts: [x]\n  tcp: 7\n' }])).toBeUndefined();
    expect(c.rejected?.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['MV0040']);
    expect(c.scene.live).toBe(live);
  });
});
