import { stringify } from 'csv-stringify/sync';
import { Digraph, Edge, Node, toDot } from 'ts-graphviz';
import type { ReachCell, ReachExplanation, ReachReport } from '../api/index.ts';
import { fitLine, formatTable } from './table.ts';
import type { Column, Layout } from './table.ts';

/** What a cell shows in the matrix. */
function mark(cell: ReachCell | undefined): string {
  if (!cell) return '·';
  switch (cell.verdict) {
    case 'allowed':
      return cell.mtls === 'mTLS' ? 'mTLS' : cell.mtls === 'plaintext' ? 'plain' : cell.mtls === 'none' ? 'ok' : 'mixed';
    case 'denied':
      // A denial on a TCP port (Envoy's network RBAC filter) or at a ztunnel closes the connection: no 403 exists there.
      return cell.answers.startsWith('reset') ? 'closed ✗' : '403 ✗';
    case 'reset':
      return 'reset ✗';
    case 'unreachable':
      return `${cell.answers.replace(/ [\d.]+ %.*$/, '')} ✗`;
    default:
      return cell.verdict satisfies never;
  }
}

/** The matrix (a row per source, a column per service port), then each refused call with the policy and its words. */
export function formatReach(r: ReachReport, layout: Layout): string {
  const c = layout.colors;
  const byPair = new Map(r.cells.map((cell) => [`${cell.from}\u0000${cell.to}`, cell]));
  const style = (text: string): string => (text.endsWith('✗') ? c.red(text) : text === 'plain' ? c.yellow(text) : text);
  const columns: Array<Column<string>> = [
    { header: 'FROM \\ TO', cell: (source) => source },
    ...r.targets.map((target) => ({ header: target.replace(/\.[^.:]+(?=:)/, ''), cell: (source: string) => mark(byPair.get(`${source}\u0000${target}`)), style })),
  ];
  const lines = formatTable(r.sources, columns, layout);
  lines.push('', `mTLS / plain: answered over mTLS or plaintext · 403 ✗: denied by an AuthorizationPolicy${r.cells.some((cell) => cell.verdict === 'denied' && cell.answers.startsWith('reset')) ? ' (closed ✗: on a TCP connection, which it closes)' : ''} · reset ✗: refused by PeerAuthentication · · : its own Service (${r.requestsPerCell} requests per cell)`);
  const refused = r.cells.filter((cell) => cell.verdict === 'denied' || cell.verdict === 'reset');
  if (refused.length > 0) lines.push('', 'refused:');
  for (const cell of refused) {
    const why = cell.reason?.startsWith(cell.deniedBy ?? '') ? cell.reason : `${cell.deniedBy}: ${cell.reason}`;
    lines.push(layout.wide ? `  ${cell.from} → ${cell.to}: ${why}` : fitLine(`  ${cell.from} → ${cell.to}: ${why}`, layout.width));
  }
  return lines.join('\n');
}

/** One line per cell: from, to, verdict, mtls, answers, denied_by, reason. */
export function reachCsv(r: ReachReport): string {
  return stringify(r.cells.map((cell) => [cell.from, cell.to, cell.verdict, cell.mtls, cell.answers, cell.deniedBy ?? '', cell.reason ?? '']), { header: true, columns: ['from', 'to', 'verdict', 'mtls', 'answers', 'denied_by', 'reason'] }).trimEnd();
}

/** Graphviz: workloads and services as nodes, an edge per call that gets through (solid under mTLS, dashed in plaintext) or is refused (red). */
export function reachDot(r: ReachReport): string {
  const graph = new Digraph('reach', { rankdir: 'LR' });
  const nodes = new Map<string, Node>();
  const node = (name: string, shape: string): Node => {
    let n = nodes.get(name);
    if (!n) {
      n = new Node(name, { shape });
      nodes.set(name, n);
      graph.addNode(n);
    }
    return n;
  };
  for (const cell of r.cells) {
    const refused = cell.verdict !== 'allowed';
    graph.addEdge(new Edge([node(cell.from, 'box'), node(cell.to, 'ellipse')], {
      color: refused ? 'red' : cell.mtls === 'plaintext' ? 'orange' : 'darkgreen',
      style: cell.mtls === 'plaintext' ? 'dashed' : 'solid',
      label: refused ? `${mark(cell)} ${cell.deniedBy ?? ''}`.trim() : mark(cell),
    }));
  }
  return toDot(graph);
}

/** The verdict of one cell, then each decision with where it is written. */
export function formatExplanation(x: ReachExplanation, layout: Layout): string {
  const verdict = x.verdict === 'allowed' ? layout.colors.green('allowed') : layout.colors.red(x.verdict);
  const width = Math.max(...x.steps.map((s) => s.step.length));
  const lines = [`${x.from} → ${x.to}: ${verdict}`];
  for (const s of x.steps) {
    const at = s.source ? `  (${s.source.file}:${s.source.line}:${s.source.col})` : '';
    lines.push(layout.wide ? `  ${s.step.padEnd(width)}  ${s.text}${at}` : fitLine(`  ${s.step.padEnd(width)}  ${s.text}${at}`, layout.width));
  }
  return lines.join('\n');
}
