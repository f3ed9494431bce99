import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { GraphEdge, GraphNode } from '../../telemetry/index.ts';
import type { FoldedNode } from './foldServices.ts';

/** The layout engine (elkjs), handed in so the module that loads it stays its own chunk. */
export interface Elk {
  layout(graph: ElkNode): Promise<ElkNode>;
}

export interface Point {
  x: number;
  y: number;
}

export interface Rect extends Point {
  width: number;
  height: number;
}

export interface PlacedNode extends Rect {
  node: FoldedNode;
}

export interface PlacedEdge {
  id: string;
  source: string;
  target: string;
  /** The route, start to end (bends between). */
  points: Point[];
  /** Where the edge's label goes. */
  label: Rect;
}

export interface GraphPicture {
  direction: GraphDirection;
  width: number;
  height: number;
  /** One box per namespace, around its nodes and at least as wide as its title. */
  boxes: Array<Rect & { namespace: string; title: string }>;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/**
 * The label slot on every edge (11 px monospace): across, three short lines
 * (requests/s, the error share, p99 and the lock); down, two wider ones
 * (requests/s with the error share, p99 and the lock), so a layer costs
 * little in the direction calls flow.
 */
export const EDGE_LABEL = { RIGHT: { width: 78, height: 40 }, DOWN: { width: 132, height: 28 } } as const;

export type GraphDirection = keyof typeof EDGE_LABEL;
const CHAR_PX = 7.6;
const APP_HEIGHT = 40;
const SERVICE_HEIGHT = 30;
const BOX_PADDING = 16;
const BOX_TITLE = 22;
/** A box title's characters (12 px, semi-bold sans) at their widest, and the space either side of it. */
const TITLE_CHAR_PX = 8.4;
const TITLE_INSET = 10;

/** What a namespace's box says: the graph's `unknown` namespace holds the callers outside the mesh. */
export function boxTitle(namespace: string): string {
  return namespace === 'unknown' ? 'outside the mesh' : `namespace ${namespace}`;
}

/** The least width of a namespace's box: its title and the space either side. */
export function boxTitleWidth(namespace: string): number {
  return Math.ceil(boxTitle(namespace).length * TITLE_CHAR_PX) + 2 * TITLE_INSET;
}

/** The node's name as drawn, and its second line (a version). */
export function nodeLines(n: GraphNode): [string, string?] {
  switch (n.kind) {
    case 'app':
      return [n.app ?? n.workload ?? '?', n.version];
    case 'workload':
      return [n.workload ?? '?', n.version];
    case 'service':
      return n.serviceEntry ? [n.service ?? '?', 'service entry'] : [n.service ?? n.host ?? '?'];
    case 'unknown':
      return ['unknown'];
    default:
      return n.kind satisfies never;
  }
}

function nodeSize(n: FoldedNode): { width: number; height: number } {
  const [name, second] = nodeLines(n);
  // A node with its Service folded in may add its inbound error share to the version: ` · 100% err`.
  const text = Math.max(name.length, (second ?? '').length + (n.folded ? 11 : 0));
  // Services carry a triangle before the name; apps a dot.
  return { width: Math.max(64, Math.ceil(text * CHAR_PX) + 42), height: (n.kind === 'service' || n.kind === 'unknown') && !n.folded && second === undefined ? SERVICE_HEIGHT : APP_HEIGHT };
}

/**
 * Lays the graph out with ELK's layered algorithm, calls flowing left to
 * right (or top to bottom): one compound node per namespace (drawn as its box), edges routed
 * orthogonally across them, and a label slot on each edge, so nothing is
 * placed by hand and labels never sit on nodes. Positions come back in the
 * root's coordinates.
 */
export async function layoutGraph(elk: Elk, graph: { nodes: readonly FoldedNode[]; edges: readonly GraphEdge[] }, direction: GraphDirection = 'RIGHT'): Promise<GraphPicture> {
  const namespaces = [...new Set(graph.nodes.map((n) => n.namespace))].sort();
  const children: ElkNode[] = namespaces.map((ns) => ({
    id: `ns:${ns}`,
    layoutOptions: {
      'elk.padding': `[top=${BOX_PADDING + BOX_TITLE},left=${BOX_PADDING},bottom=${BOX_PADDING},right=${BOX_PADDING}]`,
      // A box with one small node ("outside the mesh" around `unknown`) would otherwise be narrower than its title.
      'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      'elk.nodeSize.minimum': minimumSize(boxTitleWidth(ns), direction),
    },
    children: graph.nodes.filter((n) => n.namespace === ns).map((n) => ({ id: n.id, ...nodeSize(n) })),
  }));
  const edges: ElkExtendedEdge[] = graph.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target], labels: [{ id: `${e.id}:label`, text: ' ', ...EDGE_LABEL[direction] }] }));
  const laid = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '14',
      'elk.spacing.nodeNode': '18',
      'elk.spacing.edgeLabel': '2',
      'elk.spacing.edgeEdge': '8',
      'elk.spacing.edgeNode': '12',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.edgeLabels.sideSelection': 'ALWAYS_UP',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.layered.crossingMinimization.semiInteractive': 'false',
      'elk.randomSeed': '1',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.padding': '[top=8,left=8,bottom=8,right=8]',
    },
    children,
    edges,
  });
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes: PlacedNode[] = [];
  const boxes: GraphPicture['boxes'] = [];
  for (const box of laid.children ?? []) {
    const namespace = box.id.slice('ns:'.length);
    boxes.push({ namespace, title: boxTitle(namespace), ...rect(box) });
    for (const child of box.children ?? []) {
      const node = byId.get(child.id);
      if (node) nodes.push({ node, ...rect(child) });
    }
  }
  const placed = (laid.edges ?? []).map((e): PlacedEdge => {
    const source = graph.edges.find((g) => g.id === e.id);
    const section = e.sections?.[0];
    const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
    const label = e.labels?.[0];
    return { id: e.id, source: source?.source ?? '', target: source?.target ?? '', points, label: label ? rect(label) : { x: 0, y: 0, ...EDGE_LABEL[direction] } };
  });
  return { direction, width: laid.width ?? 0, height: laid.height ?? 0, boxes, nodes, edges: placed };
}

/**
 * ELK's minimum size of a namespace's box, for a least width. Laying out top
 * to bottom, elkjs (0.12) applies a compound node's minimum in its rotated frame
 * (the width would bound the height), so the pair is given turned too; the
 * layout test checks every box against its title in both directions.
 */
function minimumSize(width: number, direction: GraphDirection): string {
  return direction === 'DOWN' ? `(0, ${width})` : `(${width}, 0)`;
}

function rect(shape: { x?: number; y?: number; width?: number; height?: number }): Rect {
  return { x: shape.x ?? 0, y: shape.y ?? 0, width: shape.width ?? 0, height: shape.height ?? 0 };
}
