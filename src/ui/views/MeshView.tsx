import { useCallback, useEffect, useRef, useState } from 'react';
import type { FailureMode } from '../../model/index.ts';
import { useLiveController } from './ControllerContext.ts';
import { MeshCanvas } from './MeshCanvas.tsx';
import { PodCard } from './PodCard.tsx';
import { StaticWires } from './StaticWires.tsx';

/**
 * The picture: service groups and the traffic path (SVG), pod cards (DOM,
 * so they can be focused and read), and the requests (canvas) on top.
 * Scales to the width available; never above 1.15× or below half size.
 */
export function MeshView() {
  const c = useLiveController();
  const { layout, stats, sim } = c.scene;
  const wrap = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);
  const scale = Math.min(1.15, Math.max(0.3, (width - 4) / layout.width));
  const onHealth = useCallback((pod: string, mode: FailureMode | undefined) => c.setFailing(pod, mode), [c]);
  const ejected = ejectedBySelectedCaller(sim.state.proxies[c.caller]?.clusters);
  const callerWorkload = sim.state.pods[c.caller]?.pod.workload ?? '';

  return (
    <div className="mesh-scroll" ref={wrap} data-testid="mesh">
      <div className="mesh" style={{ width: layout.width * scale, height: layout.height * scale }}>
        <div style={{ position: 'relative', width: layout.width, height: layout.height, transform: `scale(${scale})`, transformOrigin: '0 0' }}>
          <StaticWires layout={layout} wireMtls={stats.wireMtls} revision={stats.wireRevision} />
          {[...layout.cards.values()].map((card) => (
            <PodCard
              key={card.pod.name}
              card={card}
              mode={c.failing[card.pod.name]}
              received={stats.received.get(card.pod.name) ?? 0}
              ejectedBy={ejected.has(card.pod.name) ? callerWorkload : undefined}
              caller={card.pod.name === c.caller}
              onHealth={onHealth}
            />
          ))}
          <MeshCanvas width={layout.width} height={layout.height} scale={scale} />
        </div>
      </div>
    </div>
  );
}

function ejectedBySelectedCaller(clusters: Record<string, { outlier: Record<string, { ejected: boolean }> }> | undefined): Set<string> {
  const out = new Set<string>();
  for (const cr of Object.values(clusters ?? {})) for (const [pod, host] of Object.entries(cr.outlier)) if (host.ejected) out.add(pod);
  return out;
}
