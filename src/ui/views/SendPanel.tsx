import { useEffect, useId, useState } from 'react';
import { EXTERNAL } from '../../model/index.ts';
import { MAX_RATE } from '../state/Controller.ts';
import { useController } from './ControllerContext.ts';

/** Pick who sends and to which service; send one, ten, or a steady stream. */
export function SendPanel() {
  const c = useController();
  const id = useId();
  const auto = c.scene.driver.autoRunning;
  const canSend = c.canSend;
  const externals = c.externalDestinations();
  // The rate as typed: it may be empty or out of range while the user types; it is applied when it is a valid rate.
  const [rateText, setRateText] = useState(String(c.rate));
  useEffect(() => setRateText(String(c.rate)), [c.rate]);
  const rateValid = /^\d+$/.test(rateText) && Number(rateText) >= 1 && Number(rateText) <= MAX_RATE;
  const commitRate = () => (rateValid ? c.setAuto(auto, Number(rateText)) : setRateText(String(c.rate)));
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
                {g.ingress ? `${g.ingress.host}:${g.ingress.port} (via ${g.label})` : `${g.label}:${g.ports[0] ?? ''} (service)`}
              </option>
            ))}
            {externals.length > 0 ? (
              <optgroup label="Outside the mesh">
                {externals.map((d) => (
                  <option key={d.id} value={d.id}>{`${d.host}:${d.port} (external)`}</option>
                ))}
              </optgroup>
            ) : null}
          </select>
          <label htmlFor={`${id}-path`}>Path</label>
          <input id={`${id}-path`} type="text" data-testid="send-path" value={c.path} spellCheck={false} onChange={(e) => c.select(c.from, c.to, e.target.value)} />
        </div>
        <div className="button-row">
          <button type="button" className="btn primary" data-testid="send-one" disabled={!canSend} onClick={() => c.send(1)}>
            Send
          </button>
          <button type="button" className="btn" data-testid="send-ten" disabled={!canSend} onClick={() => c.send(10)}>
            Send 10
          </button>
          <button type="button" className="btn" data-testid="send-hundred" disabled={!canSend} onClick={() => c.send(100)} title="a burst of 100, 2 ms apart, played at 1/10×: watch the canary split fill in">
            Send 100
          </button>
        </div>
        {canSend ? null : (
          <p className="hint" role="status" data-testid="send-none">
            This scenario has no Service to send to: load manifests with a Service (and the Deployment behind it).
          </p>
        )}
        <div className="auto-row" role="group" aria-label="Send continuously">
          <button type="button" className="btn" aria-pressed={auto} disabled={!canSend && !auto} data-testid="auto" onClick={() => c.setAuto(!auto)}>
            Auto
          </button>
          <label htmlFor={`${id}-rate`} className="hint">
            at
          </label>
          <input
            id={`${id}-rate`}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_RATE}
            step={1}
            data-testid="auto-rate"
            aria-describedby={`${id}-unit`}
            aria-invalid={!rateValid}
            value={rateText}
            onChange={(e) => {
              setRateText(e.target.value);
              const n = Number(e.target.value);
              if (/^\d+$/.test(e.target.value) && n >= 1 && n <= MAX_RATE) c.setAuto(auto, n);
            }}
            onBlur={commitRate}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commitRate();
            }}
          />
          <span className="hint" id={`${id}-unit`} title="requests per second of simulated time">
            req/s{rateValid ? '' : ` (1 to ${MAX_RATE})`}
          </span>
        </div>
        <p className="hint" style={{ margin: '8px 0 0' }}>
          Send plays at 1/100× (a request of 30 ms takes 3 s to watch), Send 100 at 1/10×, Auto at 1×; rates are per simulated second.
        </p>
      </div>
    </section>
  );
}
