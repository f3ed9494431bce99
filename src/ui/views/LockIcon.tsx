/** A padlock drawn in SVG (no emoji font needed): closed when every request crossed over mTLS, with an open shackle when only some did. */
export function LockIcon({ x, y, partial = false }: { x: number; y: number; partial?: boolean }) {
  return (
    <g className={`lock${partial ? ' partial' : ''}`} transform={`translate(${x},${y})`} aria-hidden="true">
      <path d={partial ? 'M2.5,5 V3 a2.5,2.5 0 0 1 5,0 V2' : 'M2.5,5 V3 a2.5,2.5 0 0 1 5,0 V5'} fill="none" strokeWidth={1.4} />
      <rect x={1} y={5} width={8} height={6} rx={1} />
    </g>
  );
}
