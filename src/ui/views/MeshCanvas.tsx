import { useContext, useEffect, useRef } from 'react';
import { ControllerContext } from './ControllerContext.ts';
import { visibleMarks } from '../playback/blocks.ts';
import { drawMarks } from './drawMarks.ts';
import { drawRequests } from './drawRequests.ts';

interface Props {
  width: number;
  height: number;
  scale: number;
}

/**
 * The layer requests move on. It owns the animation loop: each frame it
 * advances the controller by the wall time elapsed and redraws every request
 * in flight (one canvas, not one DOM node per request).
 */
export function MeshCanvas({ width, height, scale }: Props) {
  const controller = useContext(ControllerContext);
  const ref = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !controller) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * scale * dpr);
    canvas.height = Math.round(height * scale * dpr);
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)');
    let last = performance.now();
    let frame = 0;
    // What the canvas shows; a still picture is not redrawn.
    let shown = { scene: undefined as unknown, tau: -1, revision: -1, featured: undefined as number | undefined, reduced: false };
    const loop = (now: number) => {
      controller.frame(now - last);
      last = now;
      const { scene } = controller;
      const { driver, layout } = scene;
      const want = { scene, tau: driver.tau, revision: driver.revision, featured: driver.featuredRoot, reduced: reduced.matches };
      if (want.scene !== shown.scene || want.tau !== shown.tau || want.revision !== shown.revision || want.featured !== shown.featured || want.reduced !== shown.reduced) {
        shown = want;
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        ctx.setTransform(dpr * scale, 0, 0, dpr * scale, 0, 0);
        drawRequests(ctx, driver, layout, reduced.matches);
        drawMarks(ctx, visibleMarks(driver.tracks.values(), driver.tau), layout);
      }
      frame = requestAnimationFrame(loop);
    };
    frame = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(frame);
  }, [controller, width, height, scale]);

  return <canvas ref={ref} aria-hidden="true" data-testid="mesh-canvas" style={{ width: width * scale, height: height * scale }} />;
}
