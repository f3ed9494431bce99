import { memo } from 'react';
import type { FailureMode } from '../../model/index.ts';
import type { LabelsPlace } from '../layout/labelsPlace.ts';
import type { CardLayout } from '../layout/layoutMesh.ts';
import { formatCompactCount } from '../format/formatNumbers.ts';
import type { CardFact } from '../stats/cardFacts.ts';

export const CARD_MODES: readonly FailureMode[] = ['503', 'reset', 'refuse', 'slow'];

interface Props {
  card: CardLayout;
  /** Requests received, failure mode, ejection; a new object only when one of them changed. */
  fact: CardFact;
  caller: boolean;
  /** The sidecar's name: `envoy`, or `linkerd-proxy` under Linkerd. */
  proxy: string;
  /** Where the labels tooltip opens so that the picture does not clip it. */
  labelsSide: LabelsPlace['side'];
  labelsAlign: LabelsPlace['align'];
  onHealth: (pod: string, mode: FailureMode | undefined) => void;
}

const MODE_TEXT: Record<string, string> = { healthy: 'healthy', '503': 'failing 503', reset: 'failing reset', refuse: 'failing refuse', slow: 'failing slow', '500': 'failing 500', hang: 'failing hang' };

/** One pod: its app above, its sidecar (envoy or linkerd-proxy) clipped to the bottom, its health tag, its labels on hover or focus. */
export const PodCard = memo(function PodCard({ card, fact, caller, proxy, labelsSide, labelsAlign, onHealth }: Props) {
  const { pod } = card;
  const { mode, received, ejectedBy } = fact;
  const labelsId = `labels-${pod.name}`;
  const classes = ['card', mode ? 'failing' : '', caller ? 'caller' : ''].filter(Boolean).join(' ');
  return (
    <div className={classes} style={{ left: card.x, top: card.y, width: card.w, height: card.h }} data-testid={`pod-${pod.name}`} data-pod={pod.name} data-state={mode ? `failing-${mode}` : 'healthy'} aria-describedby={labelsId}>
      <div className="card-app">
        <div className="card-title">
          <span className="card-name" title={pod.workload}>
            {pod.workload}
          </span>
          {pod.version ? <span className="card-version">{pod.version}</span> : null}
        </div>
        <div className="card-row">
          {pod.gateway ? (
            <span className="card-gateway" title="a gateway proxy: an Envoy and no app; the Gateways whose selector matches it give it its listeners" data-testid={`gateway-${pod.name}`}>
              {pod.gateway} gateway
            </span>
          ) : (
            <HealthTag pod={pod.name} mode={mode} onHealth={onHealth} />
          )}
          <span className="card-rx" title="requests this pod has received" data-testid={`received-${pod.name}`}>
            rx {formatCompactCount(received)}
          </span>
        </div>
      </div>
      {pod.ambient ? <ZtunnelStrip pod={pod.name} node={pod.node ?? ''} ejectedBy={ejectedBy} /> : card.sidecar ? <SidecarStrip pod={pod.name} proxy={pod.gateway ? 'envoy (router)' : proxy} ejectedBy={ejectedBy} /> : <div className="card-sidecar none">no sidecar</div>}
      <Labels id={labelsId} pod={pod} side={labelsSide} align={labelsAlign} />
    </div>
  );
});

const HealthTag = memo(function HealthTag({ pod, mode, onHealth }: { pod: string; mode: FailureMode | undefined; onHealth: Props['onHealth'] }) {
  return (
    <select className={mode ? 'health failing' : 'health'} value={mode ?? 'healthy'} aria-label={`Health of pod ${pod}`} data-testid={`health-${pod}`} onChange={(e) => onHealth(pod, e.target.value === 'healthy' ? undefined : (e.target.value as FailureMode))}>
      <option value="healthy">{MODE_TEXT.healthy}</option>
      {CARD_MODES.map((m) => (
        <option key={m} value={m}>
          {MODE_TEXT[m]}
        </option>
      ))}
      {mode && !CARD_MODES.includes(mode) ? <option value={mode}>{MODE_TEXT[mode]}</option> : null}
    </select>
  );
});

/** Envoy ejects a pod (outlier detection); Linkerd's failure accrual makes it unavailable. */
const SIDECARS: Record<string, { title: string; out: string; why: string }> = {
  envoy: { title: "the pod's Envoy sidecar: every request in and out passes through it", out: '⊘ ejected', why: 'has ejected this pod (outlier detection)' },
  'envoy (router)': { title: "the gateway's Envoy: it takes requests from outside the mesh (an ingress gateway) or from the sidecars (an egress gateway) and routes them by the Gateway-bound VirtualServices", out: '', why: '' },
  'linkerd-proxy': { title: "the pod's linkerd-proxy: every request in and out passes through it", out: '⊘ unavailable', why: 'has made this pod unavailable (failure accrual)' },
};

const SidecarStrip = memo(function SidecarStrip({ pod, proxy, ejectedBy }: { pod: string; proxy: string; ejectedBy: string | undefined }) {
  const words = SIDECARS[proxy] ?? (SIDECARS.envoy as (typeof SIDECARS)[string]);
  return (
    <div className="card-sidecar" title={words.title} data-testid={`sidecar-${pod}`}>
      <svg width="10" height="11" viewBox="0 0 10 11" aria-hidden="true">
        <path d="M5 0.5 L9.5 3 V8 L5 10.5 L0.5 8 V3 Z" fill="none" stroke="currentColor" strokeWidth="1.3" />
      </svg>
      {proxy}
      {ejectedBy ? (
        <span className="ejected" title={`${ejectedBy}'s sidecar ${words.why}`} data-testid={`ejected-${pod}`}>
          {words.out}
        </span>
      ) : null}
    </div>
  );
});

/** Ambient (§11): no sidecar; the pod's traffic is carried by its node's ztunnel (the box of that node below). */
const ZtunnelStrip = memo(function ZtunnelStrip({ pod, node, ejectedBy }: { pod: string; node: string; ejectedBy: string | undefined }) {
  return (
    <div className="card-sidecar ambient" title={`no sidecar: the ztunnel of ${node} carries this pod's traffic (HBONE, mTLS)`} data-testid={`sidecar-${pod}`}>
      via ztunnel · {node}
      {ejectedBy ? (
        <span className="ejected" title={`${ejectedBy.replace(/^waypoint\//, 'waypoint ')} has ejected this pod (outlier detection)`} data-testid={`ejected-${pod}`}>
          ⊘ ejected
        </span>
      ) : null}
    </div>
  );
});

const Labels = memo(function Labels({ id, pod, side, align }: { id: string; pod: CardLayout['pod'] } & LabelsPlace) {
  return (
    <div className="card-labels" id={id} role="tooltip" data-side={side} data-align={align}>
      <div className="pod-name">pod {pod.name}</div>
      {Object.entries(pod.labels).map(([k, v]) => (
        <div key={k}>
          {k}: {v}
        </div>
      ))}
      <div>namespace: {pod.namespace}</div>
    </div>
  );
});
