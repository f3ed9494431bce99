import { readFileSync } from 'node:fs';
import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { openSession, startGraph } from '../../api/index.ts';
import { foldServices } from './foldServices.ts';
import { boxTitleWidth, layoutGraph } from './graphLayout.ts';
import type { GraphDirection, Rect } from './graphLayout.ts';

function topologyOf(...files: string[]) {
  const opened = openSession(files.map((name) => ({ name, text: readFileSync(name, 'utf8') })));
  if (!opened.ok) throw new Error(`${files.join(', ')} do not load`);
  const run = startGraph(opened.session, { duration: 20_000_000 });
  while (run.run.advance());
  const graph = run.graph();
  return foldServices(new Map(graph.nodes.map((n) => [n.id, n])), new Map(graph.edges.map((e) => [e.id, e])));
}

const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Rect, box: Rect) => a.x >= box.x && a.y >= box.y && a.x + a.width <= box.x + box.width && a.y + a.height <= box.y + box.height;

describe.each([
  ['Bookinfo', ['tests/fixtures/bookinfo/bookinfo.yaml', 'tests/fixtures/graph/bookinfo-failing.yaml'], 7],
  ['50 services', ['tests/fixtures/graph/fifty-services.yaml'], 59],
])('the graph laid out by ELK: %s', (_, files, nodeCount) => {
  const topology = topologyOf(...files);
  it.each(['RIGHT', 'DOWN'] as GraphDirection[])('%s: no node on another, no label on a node, every node in its namespace box', async (direction) => {
    const pic = await layoutGraph(new ELK(), topology, direction);
    expect(pic.nodes).toHaveLength(nodeCount);
    expect(pic.edges).toHaveLength(topology.edges.length);
    for (const [i, a] of pic.nodes.entries()) for (const b of pic.nodes.slice(i + 1)) expect(overlap(a, b), `${a.node.id} on ${b.node.id}`).toBe(false);
    for (const e of pic.edges) {
      expect(e.points.length).toBeGreaterThanOrEqual(2);
      for (const n of pic.nodes) expect(overlap(e.label, n), `label of ${e.id} on ${n.node.id}`).toBe(false);
    }
    for (const n of pic.nodes) expect(inside(n, pic.boxes.find((b) => b.namespace === n.node.namespace) as Rect), `${n.node.id} in its box`).toBe(true);
    // "outside the mesh" holds one small node: its box is sized to its title, not to the node.
    for (const b of pic.boxes) expect(b.width, `the box of ${b.namespace}`).toBeGreaterThanOrEqual(boxTitleWidth(b.namespace));
  });
  it('lays the same graph out the same way', async () => {
    const [a, b] = await Promise.all([layoutGraph(new ELK(), topology), layoutGraph(new ELK(), topology)]);
    expect(b).toEqual(a);
  });
});
