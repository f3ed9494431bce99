import { dotPosition, placeBox, wireCurve } from '../layout/geometry.ts';
import type { Curve, Point } from '../layout/geometry.ts';
import type { MeshLayout } from '../layout/layoutMesh.ts';
import type { PlaybackDriver } from '../playback/PlaybackDriver.ts';
import type { DotSample } from '../playback/Track.ts';

/** Okabe–Ito hues; the back-off ring's orange is darkened to 4.2:1 on white (a graphic must reach 3:1; the legend uses the same). */
export const COLORS = { request: '#0072b2', ok: '#009e73', error: '#d55e00', backoff: '#a86f00', ink: '#1b1f24', highlight: '#e69f00' };

const MAX_WIRES = 100;

interface Dot {
  p: Point;
  s: DotSample;
  featured: boolean;
}

/**
 * Draws every request in flight at the driver's display time: the wires
 * they are crossing (dashed under mTLS, solid in plaintext), one dot each,
 * and for the featured request a highlight on the place it is at. Dots are
 * batched by style so hundreds of requests cost a handful of draw calls.
 */
export function drawRequests(ctx: CanvasRenderingContext2D, driver: PlaybackDriver, layout: MeshLayout, reducedMotion: boolean): number {
  const dashed = new Path2D();
  const solid = new Path2D();
  const dots: Dot[] = [];
  const featured: Dot[] = [];
  const tau = driver.tau;
  let onWire = 0;
  for (const track of driver.tracks.values()) {
    const s = track.sample(tau);
    if (!s) continue;
    const p = dotPosition(s, layout, reducedMotion);
    if (!p) continue;
    // Past a hundred crossings the wires would merge into a smear (and cost the most to draw): dots only.
    if (s.onWire && ++onWire <= MAX_WIRES) {
      const curve = wireCurve(s.from, s.to, layout);
      if (curve) addCurve(s.mtls === false ? solid : dashed, curve);
    }
    const dot = { p, s, featured: track.rootId === driver.featuredRoot };
    (dot.featured ? featured : dots).push(dot);
  }
  ctx.lineWidth = 3;
  ctx.strokeStyle = 'rgba(27,31,36,0.6)';
  ctx.setLineDash([7, 5]);
  ctx.stroke(dashed);
  ctx.setLineDash([]);
  ctx.stroke(solid);
  for (const d of featured) highlightPlace(ctx, d, layout);
  drawDots(ctx, dots, 4.5);
  drawDots(ctx, featured, 7);
  return dots.length + featured.length;
}

function highlightPlace(ctx: CanvasRenderingContext2D, d: Dot, layout: MeshLayout): void {
  if (d.s.onWire) return;
  const box = placeBox(d.s.f > 0.5 ? d.s.to : d.s.from, layout);
  if (!box) return;
  ctx.save();
  ctx.strokeStyle = COLORS.highlight;
  ctx.lineWidth = 3;
  ctx.strokeRect(box.x - 1.5, box.y - 1.5, box.w + 3, box.h + 3);
  ctx.restore();
}

function drawDots(ctx: CanvasRenderingContext2D, dots: Dot[], r: number): void {
  const request = new Path2D();
  const ok = new Path2D();
  const error = new Path2D();
  const rings: Dot[] = [];
  for (const d of dots) {
    const { x, y } = d.p;
    if (d.s.phase === 'backoff') rings.push(d);
    else if (d.s.error) error.rect(x - r, y - r, 2 * r, 2 * r);
    else {
      const path = d.s.phase === 'response' ? ok : request;
      path.moveTo(x + r, y);
      path.arc(x, y, r, 0, Math.PI * 2);
    }
  }
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = '#fff';
  for (const [path, color] of [[request, COLORS.request], [ok, COLORS.ok], [error, COLORS.error]] as const) {
    ctx.fillStyle = color;
    ctx.fill(path);
    ctx.stroke(path);
  }
  for (const d of rings) {
    // A back-off is a hollow ring that fills clockwise as the wait runs out.
    ctx.beginPath();
    ctx.arc(d.p.x, d.p.y, r + 1, 0, Math.PI * 2);
    ctx.fillStyle = '#fff';
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = COLORS.backoff;
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(d.p.x, d.p.y);
    ctx.arc(d.p.x, d.p.y, r + 1, -Math.PI / 2, -Math.PI / 2 + 2 * Math.PI * (d.s.backoffDone ?? 0));
    ctx.closePath();
    ctx.fillStyle = COLORS.backoff;
    ctx.fill();
  }
  for (const d of dots) {
    if (d.s.attempt > 1 && r >= 6) {
      // Beside the dot, on its own white ground: it sits on a card's edge, clear of the group's title above.
      const text = `try ${d.s.attempt}`;
      ctx.font = '600 11px system-ui, sans-serif';
      const w = ctx.measureText(text).width;
      ctx.fillStyle = 'rgba(255,255,255,0.92)';
      ctx.fillRect(d.p.x + r + 1, d.p.y - 6, w + 4, 13);
      ctx.fillStyle = COLORS.ink;
      ctx.fillText(text, d.p.x + r + 3, d.p.y + 4);
    }
  }
}

function addCurve(path: Path2D, [p0, p1, p2, p3]: Curve): void {
  path.moveTo(p0.x, p0.y);
  path.bezierCurveTo(p1.x, p1.y, p2.x, p2.y, p3.x, p3.y);
}
