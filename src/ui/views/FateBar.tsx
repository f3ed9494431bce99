import { FATE_LABELS, FATES } from '../../telemetry/index.ts';
import type { Fate, FateCounts } from '../../telemetry/index.ts';
import { formatCount } from '../format/formatNumbers.ts';

/** Successes in greens, the failures by cause in warm colours, each also named and counted beside the bar. */
const FATE_CLASS: Record<Fate, string> = {
  success: 'ok',
  successAfterRetry: 'ok-retry',
  failedAfterRetries: 'failed-retries',
  failFastUH: 'uh',
  overflowUO: 'uo',
  timeoutUT: 'ut',
  notRetryable: 'not-retryable',
};

/** What became of the requests sent (the same seven fates as `meshviz simulate`'s report): a bar in proportion, and every fate that happened with its count. */
export function FateBar({ fate }: { fate: FateCounts }) {
  const total = FATES.reduce((n, f) => n + fate[f], 0);
  const seen = FATES.filter((f) => fate[f] > 0);
  return (
    <div className="fates" data-testid="fates" aria-label="What became of the requests sent">
      <span className="fates-title">What became of them</span>
      {total === 0 ? (
        <span className="fates-none">nothing finished yet</span>
      ) : (
        <>
          <span className="fate-bar" aria-hidden="true">
            {seen.map((f) => (
              <span key={f} className={`fate-${FATE_CLASS[f]}`} style={{ flexGrow: fate[f] }} />
            ))}
          </span>
          <ul className="fate-list">
            {seen.map((f) => (
              <li key={f} data-testid={`fate-${f}`}>
                <span className={`fate-key fate-${FATE_CLASS[f]}`} aria-hidden="true" />
                {FATE_LABELS[f]} <strong>{formatCount(fate[f])}</strong> <small>{((100 * fate[f]) / total).toFixed(fate[f] === total ? 0 : 1)}%</small>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
