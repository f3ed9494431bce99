import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MESH, REAPPLY_USERS_RULE, withTimeline } from '../../../tests/helpers/storyTimeline.ts';
import type { MeshEvent } from '../../model/index.ts';
import { openSession } from '../Session.ts';
import { changedLines } from './changedLines.ts';
import { openLive } from './LiveMesh.ts';

const shop = DEFAULT_MESH;
const applyUsersRule = REAPPLY_USERS_RULE;

function live(text: string) {
  const opened = openSession([{ name: 'mesh.yaml', text }]);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('; '));
  const events: MeshEvent[] = [];
  const mesh = openLive(opened.session, { sink: (e) => events.push(e) });
  const picks = () => events.filter((e): e is Extract<MeshEvent, { kind: 'lb.pick' }> => e.kind === 'lb.pick' && e.cluster.includes('users'));
  const sendUsers = (n: number) => {
    for (let i = 0; i < n; i++) {
      mesh.send({ from: 'api', host: 'users.default', port: 8080, path: '/' });
      mesh.runUntil(mesh.now + 1_000);
    }
    mesh.runUntil(mesh.now + 1_000_000);
  };
  return { mesh, events, picks, sendUsers };
}

describe('LiveMesh: one running mesh, one way to change it', () => {
  it('a slider edit survives the story re-applying the users DestinationRule (the engine keeps routing 0/100)', () => {
    const { mesh, picks, sendUsers } = live(withTimeline(applyUsersRule));
    mesh.scheduleScenario();
    expect(mesh.change({ kind: 'weights', route: 'default/users#0', weights: [0, 100] })).toEqual({ ok: true, queued: false });
    mesh.runUntil(2_000_000);
    expect(mesh.routes()[0]?.destinations.map((d) => d.weight)).toEqual([0, 100]);
    expect(mesh.documents().find((d) => d.ref.kind === 'VirtualService')?.text).toMatch(/subset: v1 }\n\s+weight: 0\n[\s\S]*subset: v2 }\n\s+weight: 100/);
    expect(mesh.files[0]?.text).not.toMatch(/outlierDetection/);
    sendUsers(40);
    // Everything picked after the first push (0.1 s) — the story's browse traffic and these sends — goes to v2.
    const after = picks().filter((p) => p.t > 100_000);
    expect(after.length).toBeGreaterThan(60);
    expect(after.every((p) => p.endpoint.startsWith('users-v2'))).toBe(true);
  });

  it("the controls' edits and the story's changes share one push path: one version sequence, in the order they were made", () => {
    const { mesh, events } = live(withTimeline(applyUsersRule));
    mesh.scheduleScenario();
    mesh.change({ kind: 'weights', route: 'default/users#0', weights: [0, 100] });
    mesh.runUntil(5_000_000);
    const changes = events.filter((e): e is Extract<MeshEvent, { kind: 'config.change' }> => e.kind === 'config.change');
    expect(changes.map((e) => e.version)).toEqual(changes.map((_, i) => i + 1));
    expect(changes.length).toBeGreaterThanOrEqual(2);
    const pushed = [...new Set(events.filter((e) => e.kind === 'config.push').map((e) => (e as Extract<MeshEvent, { kind: 'config.push' }>).version))];
    expect(pushed).toEqual(changes.map((e) => e.version));
    expect(mesh.controlPlane().lastPush?.version).toBe(changes.length);
  });

  it('a change reaches the proxies after the push delay, with config.change and config.push events', () => {
    const { mesh, events, picks, sendUsers } = live(shop);
    mesh.change({ kind: 'weights', route: 'default/users#0', weights: [0, 100] });
    const change = events.find((e) => e.kind === 'config.change');
    expect(change).toMatchObject({ t: 0, version: 1, change: 'apply VirtualService/default/users (weights 0/100)' });
    expect(mesh.pushPending).toBe(true);
    expect(mesh.controlPlane()).toEqual({ up: true, pushing: { version: 1, at: 100_000 }, waiting: 0 });
    expect(mesh.nextTaskTime()).toBe(100_000);
    // Sent before the push lands: the proxies still split 90/10, and with this seed v1 gets it.
    mesh.send({ from: 'api', host: 'users.default', port: 8080, path: '/' });
    mesh.runUntil(50_000);
    expect(picks()[0]?.endpoint).toMatch(/^users-v1/);
    mesh.runUntil(100_000);
    const pushes = events.filter((e) => e.kind === 'config.push');
    expect(pushes.length).toBe(mesh.scenario.pods.length);
    expect(pushes.every((e) => e.t === 100_000 && e.kind === 'config.push' && e.version === 1)).toBe(true);
    expect(mesh.pushPending).toBe(false);
    expect(mesh.controlPlane()).toEqual({ up: true, waiting: 0, lastPush: { version: 1, at: 100_000 } });
    sendUsers(10);
    expect(picks().slice(1).every((p) => p.endpoint.startsWith('users-v2'))).toBe(true);
  });

  it('while istiod is down a change waits (config.rejected says why) and is pushed when it is back', () => {
    const { mesh, events } = live(withTimeline(['    - at: 1s', '      controlPlane: down', '    - at: 3s', '      controlPlane: up']));
    mesh.scheduleScenario();
    mesh.runUntil(2_000_000);
    expect(mesh.controlPlaneUp).toBe(false);
    expect(mesh.change({ kind: 'mtls', mode: 'STRICT' })).toEqual({ ok: true, queued: true });
    expect(mesh.controlPlane()).toEqual({ up: false, waiting: 1 });
    expect(mesh.mtls()).toEqual({ mode: 'STRICT', fromPolicy: true });
    expect(events.at(-1)).toMatchObject({ kind: 'config.rejected', reason: 'istiod is down: the change waits until it is back' });
    mesh.runUntil(3_000_000);
    expect(events.filter((e) => e.kind === 'config.change')).toMatchObject([{ t: 3_000_000, change: 'apply PeerAuthentication/istio-system (mtls STRICT)' }]);
    mesh.runUntil(3_100_000);
    expect(events.some((e) => e.kind === 'config.push' && e.t === 3_100_000)).toBe(true);
  });

  it('a change with errors is refused with its diagnostics; the documents and the mesh stay', () => {
    const { mesh, events } = live(shop);
    const before = mesh.files;
    const result = mesh.change({ kind: 'document', ref: { kind: 'VirtualService', name: 'users', namespace: 'default' }, text: 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: users }\nspec:\n  hosts: [users]\n  http: [{ route: [{ destination: { host: users, subset: v3 } }] }]\n  tcp: 5\n' });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.path}`)).toEqual(['MV0040 spec.tcp']);
    expect(mesh.files).toBe(before);
    expect(events).toEqual([]);
  });

  it('a running mesh takes Istio resources only: a change to its workloads is refused (MV0500)', () => {
    const { mesh } = live(shop);
    const extra = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: extra }\nspec:\n  selector: { matchLabels: { app: extra } }\n  template:\n    metadata: { labels: { app: extra } }\n    spec: { containers: [{ name: extra, image: x }] }\n';
    const result = mesh.change({ kind: 'add', files: [{ name: 'extra.yaml', text: extra }] });
    expect(result.ok ? [] : result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'MV0500 a running mesh takes changes to Istio resources only, and this changes its workloads (workloads, pods): open the files as a new scenario instead',
    ]);
  });

  it('an unknown route or document is a diagnostic, not a crash', () => {
    const { mesh } = live(shop);
    expect(mesh.change({ kind: 'weights', route: 'default/nope#0', weights: [1] })).toMatchObject({ ok: false, diagnostics: [{ code: 'MV0501' }] });
    expect(mesh.change({ kind: 'document', ref: { kind: 'VirtualService', name: 'nope', namespace: 'default' }, text: undefined })).toMatchObject({ ok: false, diagnostics: [{ code: 'MV0502', resource: 'VirtualService/default/nope' }] });
  });
});

describe('changedLines', () => {
  it('marks an inserted line and an edited one, not the lines after them', () => {
    expect(changedLines('a\nb\nc\nd\n', 'a\nnew\nb\nC\nd\n')).toEqual([2, 4]);
    expect(changedLines('', 'a\nb\n')).toEqual([1, 2]);
    expect(changedLines('a\nb\n', 'a\nb\n')).toEqual([]);
  });
});

describe('LiveMesh.check: the editor’s findings', () => {
  it('places analyze’s findings on the lines of the edited document, and changes nothing', () => {
    const { mesh } = live(shop);
    const vs = mesh.documents().find((d) => d.ref.kind === 'VirtualService');
    if (!vs) throw new Error('no VirtualService');
    const text = vs.text.replace('subset: v2 }', 'subset: v3 }');
    const findings = mesh.check(vs.ref, text);
    const line = text.split('\n').findIndex((l) => l.includes('subset: v3')) + 1;
    expect(findings.filter((f) => f.severity === 'error').map((f) => `${f.line} ${f.code}`)).toEqual([`${line} MV0401`]);
    expect(mesh.check(vs.ref, vs.text).filter((f) => f.severity === 'error')).toEqual([]);
    expect(mesh.documents().find((d) => d.ref.kind === 'VirtualService')?.text).toBe(vs.text);
  });
});

describe('LiveMesh.wires: what the picture draws between a caller and a pod', () => {
  const files = ['mesh.yaml', 'simulation.yaml'].map((f) => ({ name: f, text: readFileSync(new URL(`../../../examples/egress-tls-origination/${f}`, import.meta.url), 'utf8') }));

  it("judges a pod the caller's own calls reach by the clusters those calls take: sleep → egress gateway is mTLS (its route's port 443, ISTIO_MUTUAL), though port 80's cluster to the gateway would be plaintext", () => {
    const opened = openSession(files);
    if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('; '));
    const { scenario, xds } = opened.session;
    const sleep = scenario.pods.find((p) => p.workload === 'sleep')?.name as string;
    const gateway = scenario.pods.find((p) => p.workload === 'istio-egressgateway')?.name as string;
    // The config the rule chooses between: the sidecar holds both kinds of cluster to the gateway's pod.
    const toGateway = Object.values(xds.proxies[sleep]?.clusters ?? {}).filter((c) => c.endpoints.some((e) => e.pod === gateway));
    expect(new Set(toGateway.map((c) => `${c.port} ${c.tls.mode}${c.tls.auto ? ' auto' : ''}`))).toEqual(new Set(['80 ISTIO_MUTUAL auto', '443 ISTIO_MUTUAL auto', '443 ISTIO_MUTUAL']));
    const wires = openLive(opened.session, { sink: () => undefined }).wires();
    expect(wires.get(sleep, gateway)).toBe(true);
    expect(wires.tls(sleep, gateway)).toBe(false);
    // The gateway's own wire on to the external host: TLS it originates (SIMPLE), not mTLS.
    const external = scenario.pods.find((p) => p.workload === 'edition.cnn.com')?.name as string;
    expect([wires.get(gateway, external), wires.tls(gateway, external)]).toEqual([false, true]);
  });

  it('judges every other pod by all the clusters that reach it, as before: the default shop is mTLS between sidecars', () => {
    const opened = openSession([{ name: 'mesh.yaml', text: shop }]);
    if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('; '));
    const pod = (workload: string) => opened.session.scenario.pods.find((p) => p.workload === workload)?.name as string;
    const wires = openLive(opened.session, { sink: () => undefined }).wires();
    expect([wires.get(pod('web'), pod('api')), wires.get(pod('api'), pod('users-v1')), wires.get(pod('api'), pod('cache'))]).toEqual([true, true, true]);
    // A caller without a proxy has no wire the picture could draw as mTLS.
    expect(wires.get('outside', pod('web'))).toBeUndefined();
  });
});
