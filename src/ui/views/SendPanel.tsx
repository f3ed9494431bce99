import { useId } from 'react';
import { EXTERNAL } from '../../model/index.ts';
import { useController } from './ControllerContext.ts';

/** Pick who sends and to which service; send one, ten, or a steady stream. */
export function SendPanel() {
  const c = useController();
  const id = useId();
  const auto = c.scene.driver.autoRunning;
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Send requests</h2>
      <div className="panel-body">
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <select id={`${id}-from`} data-testid="send-from" value={c.from} onChange={(e) => c.select(e.target.value, c.to)}>
            {c.sources().map((s) => (
              <option key={s} value={s}>
                {s === EXTERNAL ? 'outside client (no sidecar)' : `${s} (workload)`}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-to`}>To</label>
          <select id={`${id}-to`} data-testid="send-to" value={c.to} onChange={(e) => c.select(c.from, e.target.value)}>
            {c.destinations().map((g) => (
              <option key={g.id} value={g.id}>
                {`${g.label}:${g.ports[0] ?? ''} (service)`}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-path`}>Path</label>
          <input id={`${id}-path`} type="text" data-testid="send-path" value={c.path} spellCheck={false} onChange={(e) => c.select(c.from, c.to, e.target.value)} />
        </div>
        <div className="button-row">
          <button type="button" className="btn primary" data-testid="send-one" onClick={() => c.send(1)}>
            Send
          </button>
          <button type="button" className="btn" data-testid="send-ten" onClick={() => c.send(10)}>
            Send 10
          </button>
        </div>
        <div className="auto-row" role="group" aria-label="Send continuously">
          <button type="button" className="btn" aria-pressed={auto} data-testid="auto" onClick={() => c.setAuto(!auto)}>
            {auto ? 'Stop auto' : 'Auto'}
          </button>
          <label htmlFor={`${id}-rate`} className="hint">
            at
          </label>
          <input id={`${id}-rate`} type="number" min={1} max={5000} step={1} data-testid="auto-rate" value={c.rate} onChange={(e) => c.setAuto(auto, Math.max(1, Number(e.target.value) || 1))} />
          <span className="hint" title="requests per second of simulated time">
            req/s
          </span>
        </div>
        <p className="hint" style={{ margin: '8px 0 0' }}>
          Rates are in simulated time; Auto plays at 10× or faster.
        </p>
      </div>
    </section>
  );
}
