import { useEffect, useRef } from 'react';
import { formatOffset } from '../format/formatNumbers.ts';
import { eventLog } from '../playback/eventLog.ts';
import { useLiveController } from './ControllerContext.ts';

const MAX_LINES = 150;

/** The last request in plain words: the app's view, the sidecar's actions, and every event so far. */
export function EventLog() {
  const c = useLiveController();
  const { driver, sim } = c.scene;
  const log = eventLog(driver.featuredTracks(), driver.tau, (pod) => sim.state.pods[pod]?.pod.workload ?? pod);
  const { summary } = log;
  // A request that fans out can have hundreds of events; the newest are the ones being watched.
  const hidden = Math.max(0, log.lines.length - MAX_LINES);
  const lines = hidden ? log.lines.slice(hidden) : log.lines;
  const list = useRef<HTMLOListElement>(null);
  const current = lines.findIndex((l) => l.current);
  useEffect(() => {
    const el = list.current?.querySelector('.current');
    if (el && list.current) {
      const box = list.current;
      const top = (el as HTMLElement).offsetTop - box.offsetTop;
      if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - 30) box.scrollTop = Math.max(0, top - box.clientHeight / 2);
    }
  }, [current]);
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
            <dt>Its sidecar did</dt>
            <dd data-testid="log-sidecar-did">
              {summary.sidecarDid.length ? (
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
        <ol className="log" ref={list} tabIndex={0} aria-label="Events of the last request">
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
    </section>
  );
}
