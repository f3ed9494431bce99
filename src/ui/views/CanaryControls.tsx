import { useController } from './ControllerContext.ts';

/** One slider per destination of each weighted route; they always add up to 100. */
export function CanaryControls() {
  const c = useController();
  const routes = c.scene.live.routes();
  return (
    <section className="panel weights" aria-labelledby="canary-h">
      <h2 id="canary-h">Canary weights</h2>
      <div className="panel-body">
        {routes.length === 0 ? <p className="hint">No VirtualService rule here can split traffic by weight.</p> : null}
        {routes.map((r) => (
          <fieldset key={r.key} data-testid={`canary-${r.key}`}>
            <legend>
              {r.host} <span className="hint">· subsets, VirtualService {r.doc.name} rule {r.label}</span>
            </legend>
            {r.destinations.map((d, i) => {
              const label = d.subset ?? d.host;
              const inputId = `w-${r.key}-${i}`;
              return (
                <div className="weight" key={inputId}>
                  <label htmlFor={inputId} title={d.subset ? `subset ${d.subset} of ${d.host}` : d.host}>
                    {label}
                  </label>
                  <input id={inputId} type="range" aria-label={`${r.host} ${label} weight`} min={0} max={100} step={1} value={d.weight} aria-valuetext={`${d.weight} percent`} data-testid={`weight-${r.key}-${d.subset ?? i}`} onChange={(e) => c.setWeight(r.key, i, Number(e.target.value))} />
                  <output htmlFor={inputId}>{d.weight}%</output>
                </div>
              );
            })}
          </fieldset>
        ))}
      </div>
    </section>
  );
}
