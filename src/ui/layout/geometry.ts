import type { Place } from '../playback/Place.ts';
import type { DotSample } from '../playback/Track.ts';
import type { Box, MeshLayout } from './layoutMesh.ts';

export interface Point {
  x: number;
  y: number;
}

/** A cubic Bézier: start, two control points, end. */
export type Curve = [Point, Point, Point, Point];

export function center(box: Box): Point {
  return { x: box.x + box.w / 2, y: box.y + box.h / 2 };
}

/**
 * Where a place is drawn; undefined for a pod or client the layout does not
 * have. A request at an app sits on the card's top edge, above the pod's
 * name, so the dot never covers the name, the health tag or the rx count.
 */
export function pointOf(place: Place, layout: MeshLayout): Point | undefined {
  if (place.kind === 'client') return layout.client ? center(layout.client) : undefined;
  if (place.kind === 'ztunnel' || place.kind === 'waypoint') {
    const box = placeBox(place, layout);
    return box ? center(box) : undefined;
  }
  const card = layout.cards.get(place.pod);
  if (!card) return undefined;
  if (place.kind === 'sidecar' && card.sidecar) return center(card.sidecar);
  return { x: card.app.x + card.app.w / 2, y: card.app.y - APP_DOT_LIFT };
}

/** How far above the card's top edge an app's dot is centred (the featured dot's radius is 7). */
const APP_DOT_LIFT = 2;

/**
 * The wire between two places of different pods: it leaves the side of the
 * first card that faces the second and arrives on the facing side, with
 * horizontal tangents (a calm S-curve). Cards in one column bulge outwards.
 */
export function wireCurve(from: Place, to: Place, layout: MeshLayout): Curve | undefined {
  const a = placeBox(from, layout);
  const b = placeBox(to, layout);
  if (!a || !b) return undefined;
  // Ambient's proxy boxes sit above and below the groups: wires to them leave and arrive vertically.
  if (from.kind === 'ztunnel' || from.kind === 'waypoint' || to.kind === 'ztunnel' || to.kind === 'waypoint') return verticalCurve(a, b);
  const ay = a.y + a.h / 2;
  const by = b.y + b.h / 2;
  if (a.x + a.w <= b.x) return sCurve({ x: a.x + a.w, y: ay }, { x: b.x, y: by });
  if (b.x + b.w <= a.x) return sCurve({ x: a.x, y: ay }, { x: b.x + b.w, y: by });
  const x = Math.max(a.x + a.w, b.x + b.w);
  const bulge = 28 + Math.abs(by - ay) / 4;
  return [{ x, y: ay }, { x: x + bulge, y: ay }, { x: x + bulge, y: by }, { x, y: by }];
}

export function bezierPoint([p0, p1, p2, p3]: Curve, t: number): Point {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return { x: a * p0.x + b * p1.x + c * p2.x + d * p3.x, y: a * p0.y + b * p1.y + c * p2.y + d * p3.y };
}

/**
 * Where a request's dot is. Crossing between pods it follows the wire; inside
 * one pod (app ↔ sidecar over loopback) it moves straight. With reduced
 * motion it stays at the place it last reached (it jumps, it does not glide).
 */
export function dotPosition(sample: DotSample, layout: MeshLayout, reducedMotion = false): Point | undefined {
  const from = pointOf(sample.from, layout);
  if (reducedMotion || sample.f <= 0) return from;
  const to = pointOf(sample.to, layout);
  if (!from || !to) return from;
  if (sample.onWire) {
    const curve = wireCurve(sample.from, sample.to, layout);
    if (!curve) return from;
    // Out of the card to the wire, along the wire, into the other card.
    const f = sample.f;
    if (f < EDGE) return lerp(from, curve[0], f / EDGE);
    if (f > 1 - EDGE) return lerp(curve[3], to, (f - 1 + EDGE) / EDGE);
    return bezierPoint(curve, (f - EDGE) / (1 - 2 * EDGE));
  }
  return lerp(from, to, sample.f);
}

const EDGE = 0.1;

function lerp(a: Point, b: Point, f: number): Point {
  return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f };
}

/** The box a place is drawn as (a card's app part, its envoy strip, or the outside client). */
export function placeBox(place: Place, layout: MeshLayout): Box | undefined {
  if (place.kind === 'client') return layout.client;
  if (place.kind === 'ztunnel') return layout.ztunnels.get(place.node);
  if (place.kind === 'waypoint') return layout.waypoints.get(place.name);
  const card = layout.cards.get(place.pod);
  if (!card) return undefined;
  return place.kind === 'sidecar' && card.sidecar ? card.sidecar : card.app;
}

/** From the facing edge (top or bottom) of one box to the facing edge of the other, with vertical tangents. */
function verticalCurve(a: Box, b: Box): Curve {
  const down = a.y + a.h / 2 <= b.y + b.h / 2;
  const start = { x: a.x + a.w / 2, y: down ? a.y + a.h : a.y };
  const end = { x: b.x + b.w / 2, y: down ? b.y : b.y + b.h };
  const dy = (end.y - start.y) / 2;
  return [start, { x: start.x, y: start.y + dy }, { x: end.x, y: end.y - dy }, end];
}

function sCurve(start: Point, end: Point): Curve {
  const dx = (end.x - start.x) / 2;
  return [start, { x: start.x + dx, y: start.y }, { x: end.x - dx, y: end.y }, end];
}
