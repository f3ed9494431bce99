import { useCallback, useMemo, useRef } from 'react';
import { sidecarName } from '../../api/index.ts';
import type { FailureMode } from '../../model/index.ts';
import { labelsPlace } from '../layout/labelsPlace.ts';
import { useLiveController } from './ControllerContext.ts';
import { MeshCanvas } from './MeshCanvas.tsx';
import { PodCard } from './PodCard.tsx';
import { StaticWires } from './StaticWires.tsx';
import { AmbientProxies } from './AmbientProxies.tsx';
import { useWidth } from './useWidth.ts';

/**
 * The picture: service groups and the traffic path (SVG), pod cards (DOM,
 * so they can be focused and read), and the requests (canvas) on top, each
 * on its own layer. Scales to the width available, never above 1.15× and
 * never so far down that its smallest text (11 px) reads under 10 px: a mesh
 * wider than that scrolls. Cards re-render only when their own facts change.
 */
/** No text in the picture reads smaller than this. */
const MIN_TEXT_PX = 10;
/** The smallest font the picture draws with (wire labels, the pod's version, rx counts; styles.css). */
const SMALLEST_TEXT_PX = 11;

export function MeshView() {
  const c = useLiveController('cards');
  const { layout, live, cards } = c.scene;
  const wrap = useRef<HTMLDivElement>(null);
  const width = useWidth(wrap);
  const scale = Math.min(1.15, Math.max(MIN_TEXT_PX / SMALLEST_TEXT_PX, (width - 4) / layout.width));
  const places = useMemo(() => new Map([...layout.cards.values()].map((card) => [card.pod.name, labelsPlace(card, layout)])), [layout]);
  const onHealth = useCallback((pod: string, mode: FailureMode | undefined) => c.setFailing(pod, mode), [c]);
  const proxy = sidecarName(live.scenario.simulation.flavor);

  return (
    <div className="mesh-scroll" ref={wrap} data-testid="mesh">
      <div className="mesh" style={{ width: layout.width * scale, height: layout.height * scale }}>
        <div className="mesh-static" style={{ width: layout.width, height: layout.height, transform: `scale(${scale})` }}>
          <StaticWires layout={layout} wireMtls={live.wires()} />
          <AmbientProxies layout={layout} />
          {[...layout.cards.values()].map((card) => {
            const place = places.get(card.pod.name);
            return <PodCard key={card.pod.name} card={card} fact={cards.get(card.pod.name)} caller={card.pod.name === c.caller} proxy={proxy} labelsSide={place?.side ?? 'above'} labelsAlign={place?.align ?? 'start'} onHealth={onHealth} />;
          })}
        </div>
        <MeshCanvas width={layout.width} height={layout.height} scale={scale} />
      </div>
    </div>
  );
}
