import { formatCount, formatLatency } from '../format/formatNumbers.ts';
import { useLiveController } from './ControllerContext.ts';
import { FateBar } from './FateBar.tsx';

/** Requests, retries, failures, ejections and live latency percentiles, as the picture has shown them. */
export function StatRow() {
  const c = useLiveController('stats');
  const s = c.scene.stats.snapshot();
  const items: Array<[string, string, string, string?]> = [
    ['requests', 'Requests sent', formatCount(s.requests), `${formatCount(s.completed)} done`],
    ['retries', 'Retries', formatCount(s.retries), 'by any sidecar'],
    ['failures', 'Failed', formatCount(s.failures), '5xx or reset'],
    ['ejections', 'Ejections', formatCount(s.ejections)],
    ['p50', 'Latency p50', formatLatency(s.p50)],
    ['p99', 'Latency p99', formatLatency(s.p99)],
  ];
  return (
    <>
      <dl className="stats" aria-label="Statistics">
        {items.map(([key, label, value, note]) => (
          <div className="stat" key={key}>
            <dt>{label}</dt>
            <dd>
              <span data-testid={`stat-${key}`}>{value}</span>
              {note ? <small>{note}</small> : null}
            </dd>
          </div>
        ))}
      </dl>
      <FateBar fate={s.fate} />
    </>
  );
}
