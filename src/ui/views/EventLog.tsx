import { proxyName } from '../../api/index.ts';
import { formatOffset } from '../format/formatNumbers.ts';
import { eventLog } from '../playback/eventLog.ts';
import { useLiveController } from './ControllerContext.ts';
import { StopIcon } from './StopIcon.tsx';

const MAX_LINES = 150;

/** The last request in plain words: the app's view, the sidecar's actions, and every event so far. */
export function EventLog() {
  const c = useLiveController('log');
  const { driver, live } = c.scene;
  // A request that fans out can have hundreds of events; the newest are the ones being watched.
  const { summary, lines, hidden } = eventLog(driver.book.featuredTracks(), driver.tau, (pod) => live.workloadOf(pod), MAX_LINES, proxyName(live.scenario.simulation.flavor));
  return (
    <section className="panel" aria-labelledby="log-h">
      <h2 id="log-h">Last request, step by step</h2>
      <div className="panel-body" data-testid="event-log">
        {summary ? (
          <dl className="summary">
            <dt>Request</dt>
            <dd>{summary.request}</dd>
            <dt>The app saw</dt>
            <dd data-testid="log-app-saw">{summary.appSaw ?? 'still waiting…'}</dd>
            {summary.stopped ? (
              <>
                <dt>Stopped at</dt>
                <dd className="stopped" data-testid="log-stopped">
                  <StopIcon size={13} /> {summary.stopped}
                </dd>
              </>
            ) : null}
            <dt>{summary.viaSidecar ? 'Its sidecar did' : 'Its sidecar'}</dt>
            <dd data-testid="log-sidecar-did">
              {!summary.viaSidecar ? (
                'none: the call went straight to a pod kube-proxy picked, with no routing rules, retries or mTLS on the caller’s side'
              ) : summary.sidecarDid.length ? (
                <ul>
                  {summary.sidecarDid.map((s, i) => (
                    <li key={i}>{s}</li>
                  ))}
                </ul>
              ) : (
                'nothing yet'
              )}
            </dd>
          </dl>
        ) : (
          <p className="hint">Send a request: its story appears here, in step with the picture.</p>
        )}
        {hidden ? <p className="hint">… {hidden} earlier events not shown.</p> : null}
        {/* The current line is always the last one shown; the scroller stays at the bottom by itself (column-reverse), so nothing reads layout. */}
        <div className="log-scroll" tabIndex={0} role="region" aria-label="Events of the last request">
          <ol className="log">
            {lines.map((l) => (
              <li key={l.key} className={`tone-${l.tone}${l.current ? ' current' : ''}`} data-kind={l.kind} style={{ paddingLeft: 6 + l.depth * 14 }}>
                <span className="t">{formatOffset(l.offset)}</span>
                <span className="who" title={l.who}>
                  {l.who}
                </span>
                <span className="what">{l.text}</span>
              </li>
            ))}
          </ol>
        </div>
      </div>
    </section>
  );
}
