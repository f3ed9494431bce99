import { useContext, useEffect, useRef } from 'react';
import { ControllerContext } from './ControllerContext.ts';
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
    const loop = (now: number) => {
      controller.frame(now - last);
      last = now;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.setTransform(dpr * scale, 0, 0, dpr * scale, 0, 0);
      drawRequests(ctx, controller.scene.driver, controller.scene.layout, reduced.matches);
      frame = requestAnimationFrame(loop);
    };
    frame = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(frame);
  }, [controller, width, height, scale]);

  return <canvas ref={ref} aria-hidden="true" data-testid="mesh-canvas" style={{ width, height }} />;
}
