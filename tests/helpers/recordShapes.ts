/*
 * Run by tests/engine/recordShapes.test.ts in a child process with V8's
 * natives syntax (`--allow-natives-syntax`): after a built-in scenario's
 * first minute (the default mesh's story: users-v1 fails, then recovers), do
 * the engine's records of one kind share one hidden class? A record of its own
 * shape (a field deleted, or fields added in another order) sends every
 * read of its kind through V8's generic lookup. Prints, per kind, how many
 * distinct shapes there are and whether any is a dictionary.
 */
import { readFileSync } from 'node:fs';
import { openSession } from '../../src/api/index.ts';
import { Simulation } from '../../src/engine/index.ts';

const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: unknown, b: unknown) => boolean;
const dictionary = new Function('o', 'return %HasFastProperties(o) === false') as (o: unknown) => boolean;

/** The built-in scenario to run (`scenarios/<name>.yaml`): the first argument, the default mesh when none. */
const name = process.argv[2] ?? 'default';
const text = readFileSync(new URL(`../../scenarios/${name}.yaml`, import.meta.url), 'utf8');
const opened = openSession([{ name: `${name}.yaml`, text }]);
if (!opened.ok) throw new Error(`scenarios/${name}.yaml does not load`);
const { scenario, xds, resolve } = opened.session;
const sim = new Simulation({ scenario, xds, resolve });
sim.scheduleScenario();
sim.runUntilIdle(60_000_000);
const w = (sim as unknown as { w: { pods: Record<string, object>; proxies: Record<string, { clusters: Record<string, { balancer?: unknown; hosts?: object[] }> }> } }).w;

/** Distinct shapes among `records` (each compared with one of every shape seen). */
function shapes(records: readonly object[]): { records: number; shapes: number; dictionaries: number } {
  const seen: object[] = [];
  for (const r of records) if (!seen.some((s) => sameMap(s, r))) seen.push(r);
  return { records: records.length, shapes: seen.length, dictionaries: records.filter(dictionary).length };
}

const clusters = Object.values(w.proxies).flatMap((p) => Object.values(p.clusters));
const actions = Object.values(xds.proxies).flatMap((p) => Object.values(p.virtualHosts).flatMap((v) => v.routes.map((r) => r.action).filter((a) => a.kind === 'route')));
process.stdout.write(
  JSON.stringify({
    pods: shapes(Object.values(w.pods)),
    clusterConfigs: shapes(clusters.map((c) => (c as unknown as { config: object }).config)),
    routeActions: shapes(actions),
  }),
);
