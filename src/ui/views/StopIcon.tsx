/** The stop marker the picture draws where a callee's sidecar stopped a request (octagon with a bar). */
export function StopIcon({ size = 14 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 14 14" aria-hidden="true" className="stop-icon">
      <path d="M4.3 1 H9.7 L13 4.3 V9.7 L9.7 13 H4.3 L1 9.7 V4.3 Z" fill="#d55e00" stroke="#fff" strokeWidth="1" />
      <rect x="3.5" y="6" width="7" height="2" fill="#fff" />
    </svg>
  );
}
