import { memo, useMemo } from 'react';
import { EXTERNAL } from '../../model/index.ts';
import { wireCurve } from '../layout/geometry.ts';
import type { MeshLayout } from '../layout/layoutMesh.ts';
import { placeOwner } from '../playback/Place.ts';
import type { Place } from '../playback/Place.ts';
import type { WireMtls } from '../../api/index.ts';

interface Props {
  layout: MeshLayout;
  /** mTLS per sidecar-to-pod pair as the proxies are configured now (a new one after each push). */
  wireMtls: WireMtls;
}

/** Above this many pod-to-pod wires the picture draws one wire per pair of services instead. */
const MAX_POD_WIRES = 120;

/**
 * The background: service groups, the outside client, and the traffic path
 * between them. A wire shows the current setting: dashed when the caller's
 * sidecar is configured for mTLS to that pod, solid for plaintext (always,
 * from a caller without a sidecar), and says so in words.
 */
export const StaticWires = memo(function StaticWires({ layout, wireMtls }: Props) {
  const wires = useMemo(() => podWires(layout), [layout]);
  const labelled = wires.length <= 24;
  return (
    <svg className="mesh-bg" width={layout.width} height={layout.height} aria-hidden="true">
      {layout.client ? (
        <g>
          <rect className="client-box" x={layout.client.x} y={layout.client.y} width={layout.client.w} height={layout.client.h} rx={6} />
          <text className="client-label" x={layout.client.x + layout.client.w / 2} y={layout.client.y + 27} textAnchor="middle">
            outside client
          </text>
          <text className="group-port" x={layout.client.x + layout.client.w / 2} y={layout.client.y + 45} textAnchor="middle">
            no sidecar
          </text>
        </g>
      ) : null}
      {layout.groups.map((g) => (
        <g key={g.group.id}>
          <rect className="group-box" x={g.x} y={g.y} width={g.w} height={g.h} rx={7} />
          <text className="group-label" x={g.x + 9} y={g.y + 18}>
            {groupTitle(g.group, g.w)}
          </text>
          {g.group.ports.length ? (
            <text className="group-port" x={g.x + g.w - 9} y={g.y + 18} textAnchor="end">
              :{g.group.ports.join(',')}
            </text>
          ) : null}
          <title>{g.group.kind === 'service' ? `Service ${g.group.namespace}/${g.group.label}` : `Deployment ${g.group.label}: no Service selects its pods`}</title>
        </g>
      ))}
      {wires.map(({ key, from, to, d, mid, plain, tls }) => {
        const mtls = plain ? false : wireMtls.get(from, to);
        return (
          <g key={key} data-wire={`${from}>${to}`} data-mtls={mtls === undefined ? 'unknown' : String(mtls)}>
            <path className={mtls === false ? 'wire' : mtls ? 'wire mtls' : 'wire unknown'} d={d} />
            {labelled && mtls !== undefined ? (
              <text className="wire-label" x={mid.x} y={mid.y - 5} textAnchor="middle">
                {mtls ? 'mTLS' : tls || wireMtls.tls(from, to) ? 'TLS' : 'plaintext'}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
});

/** Text widths in CSS pixels: measured on a canvas in the browser, estimated per character elsewhere. */
type Measure = (text: string, font: 'label' | 'port') => number;

const FONTS = {
  label: "600 12px system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif",
  port: "11.5px ui-monospace, 'SFMono-Regular', 'DejaVu Sans Mono', Menlo, Consolas, monospace",
} as const;

let context: CanvasRenderingContext2D | null | undefined;
const measureText: Measure = (text, font) => {
  if (context === undefined) context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!context) return text.length * (font === 'label' ? 7.3 : 6.95);
  context.font = FONTS[font];
  return context.measureText(text).width;
};

/**
 * The group's title ("service reviews", "legacy (no Service)") as it fits
 * beside its port: the name is cut with an ellipsis when it does not fit, so
 * every group reads the same way; the group's tooltip has it in full.
 */
export function groupTitle(group: MeshLayout['groups'][number]['group'], width: number, measure: Measure = measureText): string {
  const port = group.ports.length ? measure(`:${group.ports.join(',')}`, 'port') + 6 : 0;
  const room = width - 18 - port;
  const [before, after] = group.kind === 'service' ? ['service ', ''] : ['', ' (no Service)'];
  const full = `${before}${group.label}${after}`;
  if (measure(full, 'label') <= room) return full;
  for (let n = group.label.length - 1; n >= 1; n--) {
    const text = `${before}${group.label.slice(0, n)}…${after}`;
    if (measure(text, 'label') <= room) return text;
  }
  for (let n = full.length - 1; n >= 1; n--) if (measure(`${full.slice(0, n)}…`, 'label') <= room) return `${full.slice(0, n)}…`;
  return '…';
}

interface Wire {
  key: string;
  from: string;
  to: string;
  d: string;
  mid: { x: number; y: number };
  /** The caller has no sidecar: nothing of it speaks mTLS. */
  plain: boolean;
  /** An outside client's TLS to a gateway that terminates it (not Istio mTLS). */
  tls: boolean;
}

function podWires(layout: MeshLayout): Wire[] {
  const podsOf = (group: string): Place[] => {
    if (group === EXTERNAL) return [{ kind: 'client', name: EXTERNAL }];
    const g = layout.groups.find((x) => x.group.id === group);
    return (g?.group.pods ?? []).map((p) => (p.sidecar && !p.ambient ? { kind: 'sidecar', pod: p.name } : { kind: 'app', pod: p.name }));
  };
  const pairs: Array<[Place, Place]> = [];
  for (const e of layout.edges) for (const a of podsOf(e.from)) for (const b of podsOf(e.to)) pairs.push([a, b]);
  const chosen = pairs.length <= MAX_POD_WIRES ? pairs : layout.edges.map((e) => [podsOf(e.from)[0], podsOf(e.to)[0]] as [Place, Place]).filter(([a, b]) => a && b);
  return chosen.flatMap(([a, b]) => {
    const c = wireCurve(a, b, layout);
    if (!c) return [];
    const from = placeOwner(a);
    const to = placeOwner(b);
    const [p0, p1, p2, p3] = c;
    const mid = { x: (p0.x + 3 * p1.x + 3 * p2.x + p3.x) / 8, y: (p0.y + 3 * p1.y + 3 * p2.y + p3.y) / 8 };
    const tls = a.kind === 'client' && b.kind !== 'client' && layout.groups.some((g) => g.group.ingress?.tls === true && 'pod' in b && g.group.pods.some((p) => p.name === b.pod));
    return [{ key: `${from}>${to}`, from, to, d: `M${p0.x},${p0.y} C${p1.x},${p1.y} ${p2.x},${p2.y} ${p3.x},${p3.y}`, mid, plain: a.kind !== 'sidecar' && !(a.kind === 'app' && ambientPod(layout, a.pod)), tls }];
  });
}

/** An ambient pod speaks mTLS through its node's ztunnel (HBONE), though it has no sidecar. */
function ambientPod(layout: MeshLayout, pod: string): boolean {
  return layout.cards.get(pod)?.pod.ambient === true;
}
