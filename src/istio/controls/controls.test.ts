import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../load/index.ts';
import { canaryRoutes, rebalance, setRouteWeights } from './canaryRoutes.ts';
import { editDocument } from './editYaml.ts';
import type { SourceFile } from '../load/index.ts';
import { meshMtlsMode, setMeshMtls } from './meshMtls.ts';

const read = (name: string): SourceFile[] => [{ name: `${name}.yaml`, text: readFileSync(new URL(`../../../scenarios/${name}.yaml`, import.meta.url), 'utf8') }];

function scenarioOf(files: SourceFile[]) {
  const loaded = loadScenario(files);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('\n'));
  return loaded.scenario;
}

describe('editDocument', () => {
  const text = '# first\nkind: A\nmetadata: { name: a }\n---\n# the VS\nkind: B\nmetadata:\n  name: b\nspec:\n  x: [1, 2]  # keep me\n---\nkind: C\nmetadata: { name: c }\n';

  it('changes one document and leaves every other byte alone', () => {
    const out = editDocument(text, { kind: 'B', name: 'b', namespace: 'default' }, (d) => d.setIn(['spec', 'y'], 3));
    expect(out).toBe('# first\nkind: A\nmetadata: { name: a }\n---\n# the VS\nkind: B\nmetadata:\n  name: b\nspec:\n  x: [ 1, 2 ] # keep me\n  y: 3\n---\nkind: C\nmetadata: { name: c }\n');
  });

  it('edits the first document without repeating its leading comment', () => {
    const out = editDocument(text, { kind: 'A', name: 'a', namespace: 'default' }, (d) => d.setIn(['spec'], 1));
    expect(out).toBe('# first\nkind: A\nmetadata: { name: a }\nspec: 1\n' + text.slice(text.indexOf('---')));
  });

  it('returns undefined when no document matches', () => {
    expect(editDocument(text, { kind: 'B', name: 'b', namespace: 'prod' }, () => undefined)).toBeUndefined();
  });
});

describe('canary routes', () => {
  it("finds the default scenario's users v1/v2 split", () => {
    const routes = canaryRoutes(scenarioOf(read('default')));
    expect(routes.map((r) => [r.key, r.label, r.destinations.map((d) => `${d.subset}=${d.weight}`)])).toEqual([['default/users#0', 'canary', ['v1=90', 'v2=10']]]);
  });

  it("offers Bookinfo's reviews subsets although its rule has one destination", () => {
    const reviews = canaryRoutes(scenarioOf(read('bookinfo'))).find((r) => r.key === 'default/reviews#0');
    expect(reviews?.destinations.map((d) => `${d.subset}=${d.weight}`)).toEqual(['v1=100', 'v2=0', 'v3=0']);
  });

  it('writes new weights into the VirtualService and the result loads with them', () => {
    const files = read('default');
    const [route] = canaryRoutes(scenarioOf(files));
    const edited = setRouteWeights(files, route as NonNullable<typeof route>, [50, 50]) as SourceFile[];
    expect(edited[0]?.text).toContain('weight: 50');
    // The comment that stated the old split would now be wrong; the others stay.
    expect(edited[0]?.text).not.toContain('90% of requests');
    expect(edited[0]?.text).toContain("# Istio's default retry policy no longer retries 503s");
    expect(edited[0]?.text).toContain('# A real cache would listen on 6379');
    // Nothing else moves: the flow collections keep their spacing, so a diff shows the two weights and the comment.
    const before = files[0]?.text.split('\n') ?? [];
    const after = edited[0]?.text.split('\n') ?? [];
    expect(before.filter((l) => !after.includes(l))).toEqual(['        # A canary: 90% of requests to v1, 10% to the new v2.', '          weight: 90', '          weight: 10']);
    expect(after.filter((l) => !before.includes(l))).toEqual(['          weight: 50', '          weight: 50']);
    expect(canaryRoutes(scenarioOf(edited))[0]?.destinations.map((d) => d.weight)).toEqual([50, 50]);
  });

  it('adds a subset to a single-destination rule only when it gets weight', () => {
    const files = read('bookinfo');
    const route = canaryRoutes(scenarioOf(files)).find((r) => r.key === 'default/reviews#0') as NonNullable<ReturnType<typeof canaryRoutes>[number]>;
    const edited = setRouteWeights(files, route, [80, 0, 20]) as SourceFile[];
    const again = canaryRoutes(scenarioOf(edited)).find((r) => r.key === 'default/reviews#0');
    expect(again?.destinations.map((d) => `${d.subset}=${d.weight}`)).toEqual(['v1=80', 'v3=20', 'v2=0']);
    const back = setRouteWeights(edited, again as typeof route, [100, 0, 0]) as SourceFile[];
    expect(canaryRoutes(scenarioOf(back)).find((r) => r.key === 'default/reviews#0')?.destinations.map((d) => d.weight)).toEqual([100, 0, 0]);
  });

  it('rebalance keeps the sum at 100 and the others in proportion', () => {
    expect(rebalance([90, 10], 0, 70)).toEqual([70, 30]);
    expect(rebalance([50, 25, 25], 0, 0)).toEqual([0, 50, 50]);
    expect(rebalance([100, 0, 0], 2, 33)).toEqual([67, 0, 33]);
    expect(rebalance([60, 30, 10], 1, 50).reduce((a, b) => a + b)).toBe(100);
  });
});

describe('mesh mTLS', () => {
  it('adds a mesh-wide PeerAuthentication, then edits it in place', () => {
    const files = read('default');
    expect(meshMtlsMode(scenarioOf(files))).toEqual({ mode: 'PERMISSIVE', fromPolicy: false });
    const strict = setMeshMtls(files, scenarioOf(files), 'STRICT');
    expect(meshMtlsMode(scenarioOf(strict))).toEqual({ mode: 'STRICT', fromPolicy: true });
    const disabled = setMeshMtls(strict, scenarioOf(strict), 'DISABLE');
    expect(meshMtlsMode(scenarioOf(disabled))).toEqual({ mode: 'DISABLE', fromPolicy: true });
    expect(disabled[0]?.text.match(/kind: PeerAuthentication/g)).toHaveLength(1);
  });
});
