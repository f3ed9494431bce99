import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, startSimulation } from '../../api/index.ts';
import { edgeHealth, edgeRates } from '../../telemetry/index.ts';
import type { ServiceGraph } from '../../telemetry/index.ts';
import { GRAPH_BUCKET, GraphWindow } from './GraphWindow.ts';

describe('the Graph view’s window', () => {
  // The default mesh's story: 20 rps web → api; users-v1 answers 503 from 15 s to 45 s.
  const opened = openSession([{ name: 'default.yaml', text: readFileSync('scenarios/default.yaml', 'utf8') }]);
  if (!opened.ok) throw new Error('default.yaml does not load');
  const window = new GraphWindow(opened.session.scenario);
  const at = [10, 30, 57].map((s) => s * 1_000_000);
  const seen: ServiceGraph[] = [];
  const run = startSimulation(opened.session, {
    sink: (e) => {
      while (at.length > 0 && e.t >= (at[0] as number)) seen.push(window.graph(at.shift() as number));
      window.add(e);
    },
  });
  while (run.advance());
  const health = (g: ServiceGraph, id: string) => {
    const edge = g.edges.find((e) => e.id === id);
    return edge ? edgeHealth(edgeRates(edge, g.durationMs)) : 'idle';
  };
  const toUsers = 'vapp_Kubernetes_default_api>svc_Kubernetes_default_users';

  it('covers the last one to two buckets of simulated time, at the rate sent', () => {
    // At 10 s and 30 s a bucket has just begun: the window is the one before; at 57 s, 50–55 s and 55–57 s.
    expect(seen.map((g) => g.durationMs)).toEqual([GRAPH_BUCKET / 1000, GRAPH_BUCKET / 1000, GRAPH_BUCKET / 1000 + 2_000]);
    const web = seen[1]!.edges.find((e) => e.id === 'vapp_Kubernetes_default_web>svc_Kubernetes_default_api')!;
    expect(edgeRates(web, seen[1]!.durationMs).rps).toBeCloseTo(20, 0);
  });

  it('turns the failing call red while users-v1 fails, and back once it recovered', () => {
    expect(seen.map((g) => health(g, toUsers))).toEqual(['healthy', 'failure', 'healthy']);
  });

  it('has every workload and service as a node from the start', () => {
    expect(seen[0]!.nodes.map((n) => n.workload ?? n.service)).toEqual(['api', 'cache', 'db', 'users', 'web', 'api', 'cache', 'db', 'users-v1', 'users-v2', 'web']);
  });
});
