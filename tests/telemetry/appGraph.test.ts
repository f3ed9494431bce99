import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, startGraph } from '../../src/api/index.ts';
import { kialiGraph } from '../../src/telemetry/index.ts';
import type { GraphType } from '../../src/telemetry/index.ts';
import { meshviz } from '../helpers/meshvizCli.ts';

/** The default mesh for 20 s: api calls users, whose VirtualService sends 90 % to v1 and 10 % to v2; both versions call db. */
function graphs(...types: GraphType[]) {
  const opened = openSession([{ name: 'scenarios/default.yaml', text: readFileSync('scenarios/default.yaml', 'utf8') }]);
  if (!opened.ok) throw new Error('the default scenario does not load');
  const g = startGraph(opened.session, { duration: 20_000_000 });
  while (g.run.advance());
  return types.map((t) => g.graph(t));
}

/** Kiali's app graph: an app's versions are one node, and the edges to and from them add up. */
describe('meshviz graph --graph-type app', () => {
  it('draws users as one app node whose edges are the sum of its versions’ (requests, answers, mTLS), with a p99 between theirs', () => {
    const [versioned, apps] = graphs('versionedApp', 'app');
    if (!versioned || !apps) throw new Error('no graphs');
    const service = 'svc_Kubernetes_default_users';
    const toVersions = versioned.edges.filter((e) => e.source === service);
    expect(toVersions.map((e) => e.target)).toEqual(['vapp_Kubernetes_default_users-v1', 'vapp_Kubernetes_default_users-v2']);
    const [toApp, ...rest] = apps.edges.filter((e) => e.source === service);
    expect(rest).toEqual([]);
    expect(toApp?.target).toBe('app_Kubernetes_default_users');
    expect(toApp?.requests).toBe(toVersions.reduce((n, e) => n + e.requests, 0));
    expect(toApp?.mtls).toBe(toVersions.reduce((n, e) => n + e.mtls, 0));
    expect(toApp?.responses['200']?.['-']).toBe(toVersions.reduce((n, e) => n + (e.responses['200']?.['-'] ?? 0), 0));
    const p99s = toVersions.map((e) => e.latencyMs.p99);
    expect(toApp?.latencyMs.p99).toBeGreaterThanOrEqual(Math.min(...p99s));
    expect(toApp?.latencyMs.p99).toBeLessThanOrEqual(Math.max(...p99s));
    // users calls db from both versions: one edge from the app.
    expect(apps.edges.filter((e) => e.target === 'svc_Kubernetes_default_db').map((e) => e.source)).toEqual(['app_Kubernetes_default_users']);
    expect(apps.nodes.filter((n) => n.app === 'users')).toEqual([{ id: 'app_Kubernetes_default_users', kind: 'app', namespace: 'default', app: 'users', outOfMesh: false }]);
  });

  it('in Kiali’s JSON: graphType app, app nodes without a version or workload, and no app boxes', () => {
    const [apps] = graphs('app');
    if (!apps) throw new Error('no graph');
    const kiali = kialiGraph(apps, 'app');
    expect(kiali.graphType).toBe('app');
    const users = kiali.elements.nodes.find((n) => n.data.app === 'users' && n.data.nodeType === 'app')?.data;
    expect(users).toBeDefined();
    expect(users?.version).toBeUndefined();
    expect(users?.workload).toBeUndefined();
    expect(kiali.elements.nodes.filter((n) => n.data.isBox === 'app')).toEqual([]);
  });

  it('is a choice of the CLI: the table names apps without versions', async () => {
    const r = await meshviz('graph', '--duration', '10s', '--graph-type', 'app');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^users \(service\)\s+users\s+\d/m);
    expect(r.stdout).not.toMatch(/users v1/);
  }, 30_000);
});
