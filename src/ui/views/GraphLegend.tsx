import type { GraphType } from '../../telemetry/index.ts';
import { LockIcon } from './LockIcon.tsx';

/** The Graph view's symbols in words (line style and shape carry them too, not colour alone). */
export function GraphLegend({ type }: { type: GraphType }) {
  return (
    <div className="legend" aria-label="Graph legend">
      <span>
        <svg width="30" height="12" aria-hidden="true">
          <path d="M1,6 H29" stroke="#8a96a3" strokeWidth="1.5" />
        </svg>
        healthy
      </span>
      <span>
        <svg width="30" height="12" aria-hidden="true">
          <path d="M1,6 H29" stroke="#c98a00" strokeWidth="2" />
        </svg>
        degraded (some 5xx, or 10 % 4xx)
      </span>
      <span>
        <svg width="30" height="12" aria-hidden="true">
          <path d="M1,6 H29" stroke="#d55e00" strokeWidth="3" />
        </svg>
        failing (10 % 5xx or no answer, as Kiali)
      </span>
      <span>
        <svg width="12" height="12" aria-hidden="true" className="graph-legend-lock">
          <LockIcon x={1} y={0} />
        </svg>
        all over mTLS
      </span>
      {/* The service graph draws no workload behind a Service, so no pod's ejection. */}
      {type !== 'service' && (
        <span>
          <span className="graph-legend-ejected">⊘ 1/3</span> pods ejected by a caller
        </span>
      )}
      <span>
        <svg width="14" height="12" aria-hidden="true">
          <path d="M1,11 l6,-10 l6,10 z" fill="#5b7fa3" />
        </svg>
        Service
      </span>
      <span>
        <svg width="12" height="12" aria-hidden="true">
          <circle cx="6" cy="6" r="5" fill="#0072b2" />
        </svg>
        {type === 'app' ? 'app' : type === 'workload' ? 'workload' : type === 'service' ? 'workload nothing calls' : 'app version'}
      </span>
    </div>
  );
}
