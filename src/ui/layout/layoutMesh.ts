import { EXTERNAL } from '../../model/index.ts';
import type { GroupShape, MeshShape, PodShape } from './meshShape.ts';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface CardLayout extends Box {
  pod: PodShape;
  group: string;
  /** The app part of the card. */
  app: Box;
  /** The envoy strip clipped to the card's bottom; absent for pods without a sidecar. */
  sidecar?: Box;
}

export interface GroupLayout extends Box {
  group: GroupShape;
  column: number;
}

export interface MeshLayout {
  width: number;
  height: number;
  groups: GroupLayout[];
  cards: Map<string, CardLayout>;
  /** The box standing for clients outside the mesh, when drawn. */
  client?: Box;
  /** Ambient: one ztunnel box per node, along the bottom. */
  ztunnels: Map<string, Box>;
  /** Ambient: one card per waypoint, along the top, above the first group it serves. */
  waypoints: Map<string, Box & { label: string }>;
  edges: MeshShape['edges'];
}

export const CARD = { w: 156, h: 74, sidecarH: 22, gap: 8 };
const GROUP = { pad: 8, header: 28, gapY: 22 };
const COLUMN_GAP = 72;
const MARGIN = 16;
const CLIENT = { w: 120, h: 64 };
/** Columns shorter than this are never split (small meshes stay one column per call depth). */
const MIN_STACK_H = 560;

/**
 * Places service groups in columns by call depth (callers left of callees),
 * orders each column by the position of its callers, and lays pods out as a
 * grid of cards inside their group. Pure geometry in CSS pixels.
 */
export function layoutMesh(shape: MeshShape, options: { client?: boolean; aspect?: number } = {}): MeshLayout {
  const depth = callDepths(shape);
  const withClient = options.client ?? shape.edges.some((e) => e.from === EXTERNAL);
  const maxDepth = Math.max(1, ...depth.values());
  const columns: GroupShape[][] = Array.from({ length: maxDepth + 1 }, () => []);
  for (const group of shape.groups) (columns[depth.get(group.id) ?? 1] as GroupShape[]).push(group);
  const order = new Map<string, number>([[EXTERNAL, 0]]);
  const callersOf = (id: string) => shape.edges.filter((e) => e.to === id).map((e) => order.get(e.from) ?? 0);
  const sized = columns.map((column) => {
    const sorted = [...column].sort((a, b) => mean(callersOf(a.id)) - mean(callersOf(b.id)) || a.label.localeCompare(b.label));
    sorted.forEach((g, i) => order.set(g.id, i));
    return sorted.map((group) => ({ group, ...groupSize(group.pods.length) }));
  });
  // Tall columns (many services at one depth) are split into side-by-side
  // stacks so that the whole picture keeps a screen-like shape.
  const area = sized.flat().reduce((a, g) => a + (g.w + COLUMN_GAP) * (g.h + GROUP.gapY), 0);
  const maxH = Math.max(MIN_STACK_H, ...sized.flat().map((g) => g.h), Math.sqrt(area / (options.aspect ?? 2.2)));
  const stacks = sized.flatMap((col, column) => splitColumn(col, maxH).map((groupsIn, k) => ({ column, first: k === 0, groups: groupsIn })));
  const stackWidth = stacks.map((st) => Math.max(st.column === 0 && withClient ? CLIENT.w : 0, ...st.groups.map((g) => g.w)));
  const stackHeight = stacks.map((st) => st.groups.reduce((h, g) => h + g.h, 0) + Math.max(0, st.groups.length - 1) * GROUP.gapY);
  const height = Math.max(CLIENT.h, ...stackHeight) + 2 * MARGIN;
  const groups: GroupLayout[] = [];
  const cards = new Map<string, CardLayout>();
  let x = MARGIN;
  let client: Box | undefined;
  let placed = 0;
  stacks.forEach((st, i) => {
    const colW = stackWidth[i] as number;
    if (colW === 0) return;
    if (placed > 0) x += st.first ? COLUMN_GAP : COLUMN_GAP / 2;
    placed += 1;
    let y = (height - (stackHeight[i] as number)) / 2;
    if (st.column === 0 && st.first) client = { x: x + (colW - CLIENT.w) / 2, y: height / 2 - CLIENT.h / 2, w: CLIENT.w, h: CLIENT.h };
    for (const { group, w, h, cols } of st.groups) {
      const gx = x + (colW - w) / 2;
      groups.push({ group, column: st.column, x: gx, y, w, h });
      group.pods.forEach((pod, j) => {
        const cx = gx + GROUP.pad + (j % cols) * (CARD.w + CARD.gap);
        const cy = y + GROUP.header + Math.floor(j / cols) * (CARD.h + CARD.gap);
        cards.set(pod.name, cardAt(pod, group.id, cx, cy));
      });
      y += h + GROUP.gapY;
    }
    x += colW;
  });
  const width = x + MARGIN;
  const ambient = placeAmbient(shape, groups, cards, width, height, client);
  return { width, height: ambient.height, groups, cards, client: ambient.client, edges: shape.edges, ztunnels: ambient.ztunnels, waypoints: ambient.waypoints };
}

export const ZTUNNEL = { w: 168, h: 30, band: 62 };
export const WAYPOINT_CARD = { w: 210, h: 40, band: 70 };

/**
 * Ambient's proxies get their own boxes (§11): a band along the top for the
 * waypoints (each above the first group it serves) and one along the bottom
 * with a ztunnel per node. Everything else moves down by the top band.
 */
function placeAmbient(shape: MeshShape, groups: GroupLayout[], cards: Map<string, CardLayout>, width: number, height: number, client: Box | undefined) {
  const ztunnels = new Map<string, Box>();
  const waypoints = new Map<string, Box & { label: string }>();
  const nodes = shape.nodes ?? [];
  if (nodes.length === 0) return { height, client, ztunnels, waypoints };
  const top = (shape.waypoints ?? []).length > 0 ? WAYPOINT_CARD.band : 0;
  const down = <B extends Box>(b: B): B => ({ ...b, y: b.y + top });
  for (const g of groups) g.y += top;
  for (const [name, card] of cards) cards.set(name, { ...down(card), app: down(card.app), ...(card.sidecar ? { sidecar: down(card.sidecar) } : {}) });
  const used = new Set<number>();
  for (const w of shape.waypoints ?? []) {
    const g = groups.find((x) => w.groups.includes(x.group.id));
    let wx = g ? g.x + (g.w - WAYPOINT_CARD.w) / 2 : MARGIN;
    while (used.has(Math.round(wx))) wx += WAYPOINT_CARD.w + CARD.gap;
    used.add(Math.round(wx));
    waypoints.set(w.key, { x: wx, y: MARGIN, w: WAYPOINT_CARD.w, h: WAYPOINT_CARD.h, label: w.label });
  }
  const total = height + top + ZTUNNEL.band;
  const span = Math.max(width - 2 * MARGIN, nodes.length * (ZTUNNEL.w + CARD.gap));
  nodes.forEach((node, i) => {
    const cx = MARGIN + ((i + 0.5) * span) / nodes.length;
    ztunnels.set(node, { x: cx - ZTUNNEL.w / 2, y: total - MARGIN - ZTUNNEL.h, w: ZTUNNEL.w, h: ZTUNNEL.h });
  });
  return { height: total, client: client ? down(client) : undefined, ztunnels, waypoints };
}

/** Greedy split of a column into stacks no taller than `maxH` (a stack always takes at least one group). */
function splitColumn<T extends { h: number }>(col: T[], maxH: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let h = 0;
  for (const g of col) {
    const next = current.length ? h + GROUP.gapY + g.h : g.h;
    if (current.length && next > maxH) {
      out.push(current);
      current = [];
      h = g.h;
    } else h = next;
    current.push(g);
  }
  if (current.length) out.push(current);
  return out.length ? out : [[]];
}

/** A card: the app above, and clipped to the bottom its sidecar — or under ambient a strip naming the node's ztunnel that carries it. */
function cardAt(pod: PodShape, group: string, x: number, y: number): CardLayout {
  const appH = pod.sidecar ? CARD.h - CARD.sidecarH : CARD.h;
  return {
    pod,
    group,
    x,
    y,
    w: CARD.w,
    h: CARD.h,
    app: { x, y, w: CARD.w, h: appH },
    sidecar: pod.sidecar ? { x, y: y + appH, w: CARD.w, h: CARD.sidecarH } : undefined,
  };
}

function groupSize(pods: number): { w: number; h: number; cols: number } {
  const cols = Math.max(1, pods <= 3 ? 1 : pods <= 8 ? 2 : Math.ceil(Math.sqrt(pods)));
  const rows = Math.max(1, Math.ceil(pods / cols));
  return {
    cols,
    w: 2 * GROUP.pad + cols * CARD.w + (cols - 1) * CARD.gap,
    h: GROUP.header + GROUP.pad + rows * CARD.h + (rows - 1) * CARD.gap,
  };
}

/**
 * Column of each group: 0 for clients outside the mesh and groups nobody
 * calls and who call nobody; otherwise one more than the deepest caller.
 * Cycles stop growing after one pass per group.
 */
export function callDepths(shape: MeshShape): Map<string, number> {
  const depth = new Map<string, number>(shape.groups.map((g) => [g.id, 1]));
  depth.set(EXTERNAL, 0);
  for (let pass = 0; pass < shape.groups.length; pass++) {
    let changed = false;
    for (const { from, to } of shape.edges) {
      const want = (depth.get(from) ?? 1) + 1;
      if (want > (depth.get(to) ?? 1)) {
        depth.set(to, want);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const touched = new Set(shape.edges.flatMap((e) => [e.from, e.to]));
  for (const g of shape.groups) if (!touched.has(g.id)) depth.set(g.id, 1);
  return depth;
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
