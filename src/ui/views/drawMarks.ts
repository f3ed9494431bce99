import { placeBox } from '../layout/geometry.ts';
import type { MeshLayout } from '../layout/layoutMesh.ts';
import type { Block } from '../playback/blocks.ts';

const STOP = '#d55e00';
const INK = '#1b1f24';

/**
 * Marks each place where a callee's sidecar stopped a request: a stop-sign
 * octagon with a bar at the end of its envoy strip, and the reason in words
 * on a dark tag across the strip ("mTLS STRICT: reset", "403 RBAC: denied").
 */
export function drawMarks(ctx: CanvasRenderingContext2D, marks: readonly Block[], layout: MeshLayout): void {
  for (const mark of marks) {
    const box = placeBox({ kind: 'sidecar', pod: mark.pod }, layout);
    if (!box) continue;
    const r = Math.min(9, box.h / 2);
    const cx = box.x + box.w - r - 3;
    const cy = box.y + box.h / 2;
    ctx.save();
    ctx.font = '700 11px system-ui, sans-serif';
    const tagX = box.x + 2;
    const tagW = Math.min(ctx.measureText(mark.label).width + 10, cx - r - 3 - tagX);
    ctx.fillStyle = INK;
    ctx.fillRect(tagX, box.y + 2, tagW, box.h - 4);
    ctx.fillStyle = '#fff';
    ctx.textBaseline = 'middle';
    ctx.fillText(mark.label, tagX + 5, cy, tagW - 10);
    octagon(ctx, cx, cy, r);
    ctx.fillStyle = STOP;
    ctx.fill();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = '#fff';
    ctx.stroke();
    ctx.fillStyle = '#fff';
    ctx.fillRect(cx - r * 0.55, cy - 1.5, r * 1.1, 3);
    ctx.restore();
  }
}

function octagon(ctx: CanvasRenderingContext2D, cx: number, cy: number, r: number): void {
  ctx.beginPath();
  for (let i = 0; i < 8; i++) {
    const a = Math.PI / 8 + (i * Math.PI) / 4;
    const x = cx + r * Math.cos(a);
    const y = cy + r * Math.sin(a);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.closePath();
}
