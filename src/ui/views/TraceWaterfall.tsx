import { formatDuration } from '../../model/index.ts';
import { traceSpans } from '../playback/traceSpans.ts';
import type { SpanRow } from '../playback/traceSpans.ts';
import { useLiveController } from './ControllerContext.ts';

/** At most this many spans are drawn (a request that fans out has many); the newest are kept. */
const MAX_ROWS = 60;

/** Where a bar's words go: after it when there is room, else before it, else on it (in white). */
function textSide(start: number, end: number): 'after' | 'before' | 'on' {
  return end <= 0.7 ? 'after' : start >= 0.3 ? 'before' : 'on';
}

function textPlace(start: number, end: number): { left?: string; right?: string } {
  const side = textSide(start, end);
  const pct = (f: number) => `${(100 * f).toFixed(3)}%`;
  return side === 'after' ? { left: pct(end) } : side === 'before' ? { right: pct(1 - start) } : { left: pct(start) };
}

const KIND_WORDS: Record<SpanRow['kind'], string> = { request: 'the app’s call', client: 'caller’s sidecar', server: 'callee’s sidecar', backoff: 'waiting' };

/**
 * The last request as a trace: a waterfall of its spans as far as the
 * picture has got, the app's view of each call, then the client span of each
 * attempt at the caller's sidecar and the server span at the callee's, with
 * the back-off waited between attempts; failed spans in red with their status
 * and flags.
 */
export function TraceWaterfall() {
  const c = useLiveController('log');
  const { driver, live } = c.scene;
  const trace = traceSpans(driver.book.featuredTracks(), driver.tau);
  const rows = trace ? trace.rows.slice(-MAX_ROWS) : [];
  const span = Math.max(1, trace ? Math.max(trace.until, ...trace.rows.map((r) => r.end ?? 0)) : 1);
  const pct = (t: number) => `${((100 * t) / span).toFixed(3)}%`;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * span);
  return (
    <section className="panel" aria-labelledby="trace-h">
      <h2 id="trace-h">Trace of the last request</h2>
      <div className="panel-body" data-testid="trace">
        {!trace ? (
          <p className="trace-empty">Send a request to see its spans.</p>
        ) : (
          <div className="trace" role="table" aria-label="Spans of the last request">
            {trace.rows.length > rows.length ? <p className="trace-more">{trace.rows.length - rows.length} earlier spans not shown</p> : null}
            <div className="trace-row trace-axis" role="row">
              <span role="columnheader">span</span>
              <span role="columnheader" className="trace-track">
                {ticks.map((t, i) => (
                  <span key={i} className="tick" style={{ left: pct(t) }}>
                    {formatDuration(Math.round(t))}
                  </span>
                ))}
              </span>
            </div>
            {rows.map((r) => {
              const end = r.end ?? trace.until;
              const text = `${r.end === undefined ? '…' : formatDuration(r.end - r.start)}${r.outcome ? ` · ${r.outcome}` : ''}`;
              return (
                <div key={r.key} className={`trace-row ${r.kind}${r.failed ? ' failed' : ''}`} role="row" data-testid={`span-${r.key}`} data-kind={r.kind} data-failed={r.failed}>
                  <span role="cell" className="trace-name" style={{ paddingLeft: `${r.depth * 14}px` }} title={`${KIND_WORDS[r.kind]} in ${r.pod}`}>
                    {r.kind === 'request' ? <strong>{r.label}</strong> : r.label}
                    <small>{r.kind === 'backoff' ? '' : live.workloadOf(r.pod)}</small>
                  </span>
                  <span role="cell" className="trace-track">
                    <span className="bar" style={{ left: pct(r.start), width: `max(2px, ${pct(end - r.start)})` }} />
                    <span className={`bar-text ${textSide(r.start / span, end / span)}`} style={textPlace(r.start / span, end / span)}>
                      {text}
                    </span>
                  </span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}
