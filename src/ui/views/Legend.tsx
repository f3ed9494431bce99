import { StopIcon } from './StopIcon.tsx';

/** The picture's symbols in words (shape and line style carry the meaning, not only colour). */
export function Legend() {
  return (
    <div className="legend" aria-label="Legend">
      <span>
        <svg width="12" height="12" aria-hidden="true">
          <circle cx="6" cy="6" r="5" fill="#0072b2" />
        </svg>
        request
      </span>
      <span>
        <svg width="12" height="12" aria-hidden="true">
          <circle cx="6" cy="6" r="5" fill="#009e73" />
        </svg>
        good answer
      </span>
      <span>
        <svg width="12" height="12" aria-hidden="true">
          <rect x="1" y="1" width="10" height="10" fill="#d55e00" />
        </svg>
        failure
      </span>
      <span>
        <svg width="14" height="14" aria-hidden="true">
          <circle cx="7" cy="7" r="5.5" fill="#fff" stroke="#a86f00" strokeWidth="2" />
          <path d="M7 7 L7 1.5 A5.5 5.5 0 0 1 12.5 7 Z" fill="#a86f00" />
        </svg>
        retry back-off
      </span>
      <span>
        <StopIcon />
        stopped by the callee’s sidecar (mTLS, RBAC)
      </span>
      <span>
        <svg width="34" height="8" aria-hidden="true">
          <line x1="1" y1="4" x2="33" y2="4" stroke="#555" strokeWidth="2" strokeDasharray="6 4" />
        </svg>
        mTLS wire
      </span>
      <span>
        <svg width="34" height="8" aria-hidden="true">
          <line x1="1" y1="4" x2="33" y2="4" stroke="#555" strokeWidth="2" />
        </svg>
        plaintext wire
      </span>
      <span className="keys">
        Keys: <kbd>Space</kbd> play/pause · <kbd>←</kbd> <kbd>→</kbd> step
      </span>
    </div>
  );
}
