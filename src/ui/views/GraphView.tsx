import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import type { GraphEdge, GraphNode, GraphType, ServiceGraph } from '../../telemetry/index.ts';
import { foldServices } from '../layout/foldServices.ts';
import type { FoldedNode } from '../layout/foldServices.ts';
import { layoutGraph, nodeLines } from '../layout/graphLayout.ts';
import type { GraphPicture, PlacedEdge, PlacedNode } from '../layout/graphLayout.ts';
import { edgeFacts, nodeFacts } from '../stats/graphFacts.ts';
import { GRAPH_TYPES } from '../stats/GraphWindow.ts';
import type { EdgeFacts, NodeFacts } from '../stats/graphFacts.ts';
import { useLiveController } from './ControllerContext.ts';
import { GraphLegend } from './GraphLegend.tsx';
import { LockIcon } from './LockIcon.tsx';
import { useWidth } from './useWidth.ts';

/** elkjs is loaded with this view, as its own chunk: the first paint does not carry it. */
const elk = import('elkjs/lib/elk.bundled.js').then((m) => new m.default());

type Zoom = 'fit' | 'actual';

/**
 * The service graph, Kiali's way: namespaces as boxes, a node per app
 * version and per Service, each call as two edges labelled with requests/s,
 * error share and p99 over the last few simulated seconds, coloured by
 * health, a lock when mTLS; traffic marks move along edges with requests.
 * ELK lays it out whenever a node or an edge appears; every edge seen stays
 * (idle when quiet), so the picture does not jump. Fitted to the stage when
 * its text stays readable, else at full size with scrolling.
 */
export default function GraphView() {
  const c = useLiveController('stats');
  const { scene } = c;
  /** Kiali's graph type: a node per app version (the default), per app, or per workload. */
  const [type, setType] = useState<GraphType>('versionedApp');
  const graph = scene.graph.graph(scene.driver.now, type);
  const seen = useSeen(scene, type, graph);
  const key = [...seen.nodes.keys(), ...seen.edges.keys()].join(' ');
  const wrap = useRef<HTMLDivElement>(null);
  const width = useWidth(wrap);
  const widthStep = Math.round(width / 50);
  const [picture, setPicture] = useState<{ key: string; picture: GraphPicture } | undefined>();
  useEffect(() => {
    let current = true;
    const topology = foldServices(seen.nodes, seen.edges);
    void elk
      .then(async (e) => {
        // Calls flow left to right; when that does not fit the stage readably, top to bottom if that fits better.
        const across = await layoutGraph(e, topology, 'RIGHT');
        if (boxScaleOf(across, width) >= READABLE) return across;
        const down = await layoutGraph(e, topology, 'DOWN');
        return boxScaleOf(down, width) > boxScaleOf(across, width) ? down : across;
      })
      .then((laid) => current && setPicture({ key, picture: laid }));
    return () => {
      current = false;
    };
    // The layout follows the topology and the stage's width only; rates change every refresh.
  }, [key, widthStep]);
  const [zoom, setZoom] = useState<{ mode: Zoom; at?: { x: number; y: number } } | undefined>();
  /** The node picked by a click, or Enter / Space on it: its calls stand out and its facts show above the graph. */
  const [selected, setSelected] = useState<string | undefined>();
  const select = (id: string) => setSelected((now) => (now === id ? undefined : id));
  const pic = picture?.picture;
  const shown: Zoom = zoom?.mode ?? (pic ? defaultZoom(boxScaleOf(pic, width)) : 'fit');
  const scale = shown === 'fit' && pic ? boxScaleOf(pic, width) : 1;
  useEffect(() => {
    // After zooming in on a point (a click on the fitted graph, or a failing edge), bring it to the middle.
    const el = wrap.current;
    const at = zoom?.at;
    if (!el || !at || zoom?.mode !== 'actual') return;
    el.scrollTo({ left: at.x - el.clientWidth / 2, top: at.y - el.clientHeight / 2 });
  }, [zoom]);
  const nodes = seen.nodes;
  const edges = new Map(graph.edges.map((e) => [e.id, e]));
  const ejections = nodeFacts(graph, scene.stats.ejected, scene.live.scenario.pods);
  const name = (id: string) => nodeLines(nodes.get(id) ?? { id, kind: 'unknown', namespace: '', outOfMesh: false }).filter(Boolean).join(' ');
  const facts = new Map(pic?.edges.map((e) => [e.id, edgeFacts(edges.get(e.id), graph.durationMs, name(e.source), name(e.target))]));
  const failing = pic?.edges.filter((e) => facts.get(e.id)?.health === 'failure') ?? [];
  // A node no call has reached or left since the scene began: Kiali's idle node (its "Idle Nodes" display option).
  const busy = new Set<string>();
  for (const e of seen.edges.values()) busy.add(e.source).add(e.target);
  const idle = (n: FoldedNode) => !busy.has(n.id) && !(n.folded && busy.has(n.folded.service.id));
  /** What the sidecar of a node with its Service folded in saw of the calls to it. */
  const inboundOf = (n: FoldedNode) => (n.folded ? edgeFacts(edges.get(n.folded.edge), graph.durationMs, name(n.folded.service.id), name(n.id)) : undefined);
  const selectedNode = pic?.nodes.find((n) => n.node.id === selected);
  const linked = (e: PlacedEdge) => selected !== undefined && (e.source === selected || e.target === selected);
  const showFailing = () => {
    const first = failing[0];
    if (first) setZoom({ mode: 'actual', at: { x: first.label.x, y: first.label.y } });
  };
  /** 100% without a place picked: where requests enter (`entryNode`), in the middle. */
  const showActual = () => {
    const entry = pic ? entryNode(pic) : undefined;
    setZoom(entry ? { mode: 'actual', at: { x: entry.x + entry.width / 2, y: entry.y + entry.height / 2 } } : { mode: 'actual' });
  };
  const onClick = (e: MouseEvent<SVGSVGElement>) => {
    if (shown !== 'fit' || scale >= 1) return;
    const box = e.currentTarget.getBoundingClientRect();
    setZoom({ mode: 'actual', at: { x: (e.clientX - box.left) / scale, y: (e.clientY - box.top) / scale } });
  };

  return (
    <div className="graph-view" data-testid="graph">
      <div className="graph-bar">
        <span className="graph-window">
          Last {(graph.durationMs / 1000).toFixed(0)} s of simulated time · {seen.nodes.size} nodes · {seen.edges.size} edges
        </span>
        {failing.length > 0 ? (
          <button type="button" className="graph-failing" data-testid="graph-failing" onClick={showFailing} title="Show the first failing edge at full size">
            {failing.length} failing
          </button>
        ) : null}
        {selectedNode ? (
          <span className="graph-selected" data-testid="graph-selected">
            {nodeAbout(selectedNode.node, ejections.get(selectedNode.node.id), inboundOf(selectedNode.node), idle(selectedNode.node)).join('; ')}
          </span>
        ) : shown === 'fit' && scale < READABLE ? (
          <span className="graph-hint">small to fit: click a place to see it at full size</span>
        ) : null}
        <label className="graph-type">
          Graph{' '}
          <select data-testid="graph-type" value={type} onChange={(e) => setType(e.target.value as GraphType)} title="Kiali's graph types: a node per app version, per app (its versions together) or per workload">
            {GRAPH_TYPES.map((t) => (
              <option key={t} value={t}>
                {GRAPH_TYPE_NAMES[t]}
              </option>
            ))}
          </select>
        </label>
        <span className="graph-zoom" role="group" aria-label="Zoom">
          <button type="button" aria-pressed={shown === 'fit'} data-testid="graph-fit" onClick={() => setZoom({ mode: 'fit' })} title="The whole graph on the stage; click a place on it to see it at full size">
            Fit
          </button>
          <button type="button" aria-pressed={shown === 'actual'} data-testid="graph-actual" onClick={showActual}>
            100%
          </button>
        </span>
      </div>
      <div className="graph-scroll" ref={wrap}>
        {pic ? (
          <svg
            className={`graph${c.playing ? '' : ' paused'}${shown === 'fit' && scale < 1 ? ' zoomable' : ''}`}
            data-testid="graph-svg"
            data-laid-out={picture?.key === key ? 'true' : 'false'}
            data-scale={scale.toFixed(2)}
            width={pic.width * scale}
            height={pic.height * scale}
            viewBox={`0 0 ${pic.width} ${pic.height}`}
            role="group"
            aria-label="Service graph"
            onClick={onClick}
          >
            {pic.boxes.map((b) => (
              <g key={b.namespace} className="graph-box" data-testid={`graph-namespace-${b.namespace}`}>
                <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={8} />
                <text x={b.x + 10} y={b.y + 18}>
                  {b.title}
                </text>
              </g>
            ))}
            {pic.edges.map((e) => (
              <Edge key={e.id} placed={e} facts={facts.get(e.id) as EdgeFacts} wide={pic.direction === 'DOWN'} focus={selected === undefined ? undefined : linked(e)} />
            ))}
            {pic.nodes.map((n) => (
              <Node
                key={n.node.id}
                placed={n}
                facts={ejections.get(n.node.id)}
                inbound={inboundOf(n.node)}
                idle={idle(n.node)}
                selected={selected === n.node.id}
                onSelect={select}
              />
            ))}
          </svg>
        ) : (
          <p className="graph-wait">Laying out the graph…</p>
        )}
      </div>
      <GraphLegend type={type} />
    </div>
  );
}

/** Scaled below this, the graph's smallest text (11 px) would read under 10 px. */
const READABLE = 10 / 11;

/**
 * The picture's first node that calls and that no edge reaches, by its
 * place along the layout's direction (its top, or its left): where requests
 * enter. Without one (every caller is called), the first node.
 */
function entryNode(pic: GraphPicture): PlacedNode | undefined {
  const called = new Set(pic.edges.map((e) => e.target));
  const calling = new Set(pic.edges.map((e) => e.source));
  const along = (n: PlacedNode) => (pic.direction === 'DOWN' ? n.y : n.x);
  const roots = pic.nodes.filter((n) => calling.has(n.node.id) && !called.has(n.node.id));
  return [...(roots.length > 0 ? roots : pic.nodes)].sort((a, b) => along(a) - along(b))[0];
}

const GRAPH_TYPE_NAMES: Record<GraphType, string> = { versionedApp: 'Versioned app', app: 'App', workload: 'Workload', service: 'Service' };

/**
 * Fitted when its text stays readable; at full size, scrolling, when it is
 * at most twice the stage (Bookinfo on a small screen); an overview to click
 * into when larger (50 services).
 */
function defaultZoom(boxScale: number): Zoom {
  return boxScale >= READABLE || boxScale < 0.5 ? 'fit' : 'actual';
}

/** The scale that fits the picture's width to the stage (never above 1.1). */
function fitScaleOf(pic: GraphPicture, width: number): number {
  return Math.min(1.1, (width - 8) / pic.width);
}

/** The scale that fits it on the stage without scrolling either way (the graph's height is bounded by the window's). */
function boxScaleOf(pic: GraphPicture, width: number): number {
  return Math.min(fitScaleOf(pic, width), graphHeight() / pic.height);
}

/** How tall the graph may be: what the window leaves under the page's header and the stage's bars (styles.css: .graph-scroll). */
function graphHeight(): number {
  return Math.max(360, window.innerHeight - 270);
}

function Edge({ placed, facts, wide, focus }: { placed: PlacedEdge; facts: EdgeFacts; wide: boolean; focus: boolean | undefined }) {
  const d = placed.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
  const { label } = placed;
  const [rate, err, p99] = facts.lines;
  const lines = (wide ? [err ? `${rate} · ${err}` : rate, p99] : [rate, err, p99]).filter((l) => l !== '');
  return (
    <g className={`graph-edge ${facts.health}${focus === undefined ? '' : focus ? ' linked' : ' dimmed'}`} data-testid={`graph-edge-${placed.id}`} data-health={facts.health} data-mtls={facts.mtls} role="img" aria-label={facts.words}>
      <title>{facts.words}</title>
      <path className="line" d={d} />
      {facts.flow > 0 ? <path className={`flow flow-${facts.flow}`} d={d} /> : null}
      <path className="arrow" d={arrowHead(placed.points)} />
      <text x={label.x + 2} y={label.y + 11}>
        {lines.map((line, i) => (
          <tspan key={i} className={line.endsWith('err') ? 'err' : i === 0 ? 'rate' : undefined} x={label.x + 2} dy={i === 0 ? 0 : 13}>
            {line}
          </tspan>
        ))}
      </text>
      {facts.mtls === 'all' || facts.mtls === 'some' ? <LockIcon x={label.x + 4 + (lines.at(-1) ?? '').length * 6.6} y={label.y + 2 + 13 * (lines.length - 1)} partial={facts.mtls === 'some'} /> : null}
    </g>
  );
}

/** What a node is, in words: its title, its accessible name, and the line shown when it is selected. */
function nodeAbout(node: FoldedNode, facts: NodeFacts | undefined, inbound: EdgeFacts | undefined, idle: boolean): string[] {
  const ejected = facts && facts.ejected > 0;
  return [
    node.serviceEntry
      ? `ServiceEntry ${node.service} (${node.serviceEntry.location}: ${node.serviceEntry.hosts.join(', ')})`
      : node.kind === 'service'
        ? `Service ${node.host}`
        : node.kind === 'unknown'
          ? 'Callers outside the mesh'
          : node.workload === undefined
            ? `app ${node.app} (every version)`
            : `${node.workload} (app ${node.app}, version ${node.version})`,
    node.folded ? `behind Service ${node.folded.service.host}; its sidecar saw ${inbound?.words.replace(/^.*?: /, '') ?? 'nothing yet'}` : '',
    node.outOfMesh ? 'no sidecar' : '',
    ejected ? `${facts.ejected} of ${facts.pods} pods ejected by a caller's sidecar` : '',
    idle ? (node.kind === 'service' ? 'idle: no request has been sent to this Service' : 'idle: no request to or from it yet') : '',
  ].filter(Boolean);
}

function Node({ placed, facts, inbound, idle, selected, onSelect }: { placed: PlacedNode; facts: NodeFacts | undefined; inbound: EdgeFacts | undefined; idle: boolean; selected: boolean; onSelect: (id: string) => void }) {
  const { node, x, y, width, height } = placed;
  const [name, version] = nodeLines(node);
  const ejected = facts && facts.ejected > 0;
  const service = node.kind === 'service' ? node : node.folded?.service;
  // An app node of Kiali's app graph has no version: the inbound error share stands alone then.
  const second = inbound?.lines[1] ? (version === undefined ? inbound.lines[1] : `${version} · ${inbound.lines[1]}`) : version;
  const health = inbound && inbound.health !== 'idle' && inbound.health !== 'healthy' ? ` ${inbound.health}` : '';
  const about = nodeAbout(node, facts, inbound, idle);
  const onClick = (e: MouseEvent<SVGGElement>) => {
    // Picking a node is not zooming into the place it is at.
    e.stopPropagation();
    onSelect(node.id);
  };
  const onKeyDown = (e: KeyboardEvent<SVGGElement>) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    onSelect(node.id);
  };
  return (
    <g
      className={`graph-node ${node.kind}${node.folded ? ' folded' : ''}${health}${ejected ? ' ejected' : ''}${node.outOfMesh ? ' out-of-mesh' : ''}${idle ? ' idle' : ''}${selected ? ' selected' : ''}`}
      data-testid={`graph-node-${node.id}`}
      data-ejected={facts?.ejected ?? 0}
      data-idle={idle}
      tabIndex={0}
      role="button"
      aria-pressed={selected}
      aria-label={about.join('; ')}
      onClick={onClick}
      onKeyDown={onKeyDown}
    >
      <title>{about.join('; ')}</title>
      <rect x={x} y={y} width={width} height={height} rx={node.kind === 'service' || node.kind === 'unknown' ? height / 2 : 6} />
      {service ? <path className="glyph" d={`M${x + 9},${y + height / 2 + 5} l6,-11 l6,11 z`} /> : <circle className="glyph" cx={x + 15} cy={y + height / 2} r={5} />}
      <text x={x + 28} y={second ? y + 17 : y + height / 2 + 4}>
        {name}
      </text>
      {second ? (
        <text className={inbound?.lines[1] ? 'version err' : 'version'} x={x + 28} y={y + 32}>
          {second}
        </text>
      ) : null}
      {ejected ? (
        <g className="ejected-mark" data-testid="graph-ejected">
          <rect x={x + width - 44} y={y - 9} width={52} height={16} rx={8} />
          <text x={x + width - 18} y={y + 3}>
            ⊘ {facts.ejected}/{facts.pods}
          </text>
        </g>
      ) : null}
    </g>
  );
}

/** A small arrowhead at the end of the route, pointing along its last segment. */
function arrowHead(points: PlacedEdge['points']): string {
  const end = points.at(-1);
  const before = points.at(-2);
  if (!end || !before) return '';
  const dx = Math.sign(end.x - before.x);
  const dy = Math.sign(end.y - before.y);
  return `M${end.x},${end.y} L${end.x - 7 * dx + 4 * dy},${end.y - 7 * dy + 4 * dx} L${end.x - 7 * dx - 4 * dy},${end.y - 7 * dy - 4 * dx} Z`;
}

/** Every node and edge seen since the scene began, by id: the layout keeps them, idle or not, so the picture does not jump. */
function useSeen(scene: object, type: GraphType, graph: ServiceGraph): { nodes: Map<string, GraphNode>; edges: Map<string, GraphEdge> } {
  const ref = useRef({ scene, type, nodes: new Map<string, GraphNode>(), edges: new Map<string, GraphEdge>() });
  // Another mesh, or another graph type: what was seen is of another picture.
  if (ref.current.scene !== scene || ref.current.type !== type) ref.current = { scene, type, nodes: new Map(), edges: new Map() };
  const seen = ref.current;
  const grown = (into: Map<string, GraphNode | GraphEdge>, items: ReadonlyArray<GraphNode | GraphEdge>): boolean => {
    let grew = false;
    for (const item of items) {
      if (!into.has(item.id)) grew = true;
      into.set(item.id, item);
    }
    return grew;
  };
  // Sorted, so the topology's key (and ELK's input order) does not depend on the order things were seen.
  if (grown(seen.nodes, graph.nodes)) seen.nodes = new Map([...seen.nodes].sort(([a], [b]) => (a < b ? -1 : 1)));
  if (grown(seen.edges, graph.edges)) seen.edges = new Map([...seen.edges].sort(([a], [b]) => (a < b ? -1 : 1)));
  return seen;
}
