import { formatCount } from '../format/formatNumbers.ts';
import { useLiveController } from './ControllerContext.ts';

/**
 * One slider per destination of each weighted route, and beside each the
 * share of requests the picture has shown going there since the last push.
 * Istio splits by each weight's share of their sum; the sliders keep the
 * sum at 100 and say so when the YAML's weights do not.
 */
export function CanaryControls() {
  const c = useLiveController('stats');
  const routes = c.scene.live.routes();
  return (
    <section className="panel weights" aria-labelledby="canary-h">
      <h2 id="canary-h">Canary weights</h2>
      <div className="panel-body">
        {routes.length === 0 ? <p className="hint">No VirtualService rule here can split traffic by weight.</p> : null}
        {routes.map((r) => {
          const sum = r.destinations.reduce((a, d) => a + d.weight, 0);
          const observed = c.scene.shares.observed(r.key, r.destinations);
          const seen = observed.reduce((a, b) => a + b, 0);
          return (
            <fieldset key={r.key} data-testid={`canary-${r.key}`}>
              <legend>
                {r.host} <span className="hint">· subsets, VirtualService {r.doc.name} rule {r.label}</span>
              </legend>
              {r.destinations.map((d, i) => {
                const label = d.subset ?? d.host;
                const inputId = `w-${r.key}-${i}`;
                const share = sum > 0 ? (100 * d.weight) / sum : 0;
                const got = seen > 0 ? (100 * (observed[i] ?? 0)) / seen : undefined;
                return (
                  <div className="weight" key={inputId}>
                    <label htmlFor={inputId} title={d.subset ? `subset ${d.subset} of ${d.host}` : d.host}>
                      {label}
                    </label>
                    <input id={inputId} type="range" aria-label={`${r.host} ${label} weight`} min={0} max={100} step={1} value={d.weight} aria-valuetext={`${d.weight} percent`} data-testid={`weight-${r.key}-${d.subset ?? i}`} onChange={(e) => c.setWeight(r.key, i, Number(e.target.value))} />
                    <output htmlFor={inputId}>{sum === 100 ? `${d.weight}%` : `${d.weight} → ${Math.round(share)}%`}</output>
                    <div className="share" data-testid={`share-${r.key}-${d.subset ?? i}`} data-observed={observed[i] ?? 0} title="requests the picture has shown going here since the last config push, against the configured share">
                      <div className="share-bar" aria-hidden="true">
                        <span className="share-got" style={{ width: `${got ?? 0}%` }} />
                        <span className="share-want" style={{ left: `${share}%` }} />
                      </div>
                      <span className="share-text">{got === undefined ? 'observed: none yet' : `observed ${Math.round(got)}% · ${formatCount(observed[i] ?? 0)} of ${formatCount(seen)}`}</span>
                    </div>
                  </div>
                );
              })}
              {sum !== 100 ? (
                <p className="hint" data-testid={`canary-sum-${r.key}`}>
                  These weights add up to {sum}, not 100: Istio sends each destination its weight’s share of the sum (shown after the arrow). Moving a slider makes them add up to 100 again.
                </p>
              ) : null}
            </fieldset>
          );
        })}
        <p className="hint" style={{ marginBottom: 0 }}>
          Each request draws its destination by weight, so a handful of sends can all land on one side: <strong>Send 100</strong> shows the split.
        </p>
      </div>
    </section>
  );
}
