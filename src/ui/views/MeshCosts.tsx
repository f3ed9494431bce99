import { useId } from 'react';
import { meshCostsFor } from '../../model/index.ts';
import type { CostedMesh, Flavor } from '../../model/index.ts';
import { flavorsFrom } from '../../api/index.ts';
import { FLAVOR_TWINS } from '../state/builtInScenarios.ts';
import { useController } from './ControllerContext.ts';

const NAMES: Record<CostedMesh, string> = { istio: 'Istio', linkerd: 'Linkerd', 'istio-ambient': 'Istio ambient' };
const MESHES: readonly CostedMesh[] = ['istio', 'linkerd', 'istio-ambient'];

/**
 * Which mesh runs the picture, and what each mesh's proxies cost (the cited
 * table of `model/flavorCosts.ts`; each figure's source is its tooltip). The
 * switch runs the scenario under another mesh: a built-in scenario's twin,
 * else the loaded scenario translated as `meshviz compare` translates it,
 * with what was not carried over listed below the table.
 */
export function MeshCosts() {
  const c = useController();
  const id = useId();
  const live = c.scene.live;
  const flavor = live.scenario.simulation.flavor;
  const pods = live.scenario.pods;
  const ztunnels = new Set(pods.filter((p) => p.ambient).map((p) => p.node)).size;
  const waypoints = live.scenario.waypoints.length;
  const proxies = pods.filter((p) => p.sidecar && !p.ambient).length;
  const costs = meshCostsFor(flavor, live.scenario.simulation.meshCosts);
  const memory = Math.round(flavor === 'istio-ambient' ? ztunnels * costs.memoryMB + waypoints * (costs.waypointMemoryMB ?? 0) + proxies * meshCostsFor('istio', live.scenario.simulation.meshCosts).memoryMB : proxies * costs.memoryMB);
  const runs = flavor === 'istio-ambient' ? `${ztunnels} ztunnel${ztunnels === 1 ? '' : 's'} (one per node) and ${waypoints} waypoint${waypoints === 1 ? '' : 's'}${proxies > 0 ? ` and ${proxies} Envoy sidecars` : ''}` : `${proxies} ${flavor === 'istio' ? 'Envoy sidecars' : 'linkerd-proxies'}`;
  const translation = c.translation;
  const from = translation?.from.flavor ?? flavor;
  // A built-in scenario written for each mesh switches between its twins (the ambient one too); any other by translation.
  const twins = FLAVOR_TWINS.find((t) => Object.values(t).includes(translation?.from.id ?? c.scene.id));
  const offered = twins ? (Object.keys(twins) as Flavor[]) : flavorsFrom(from);
  return (
    <section className="panel mesh-costs" aria-labelledby={`${id}-h`} data-testid="mesh-costs">
      <h2 id={`${id}-h`}>Which mesh, at what cost</h2>
      <div className="panel-body">
        {offered.length > 1 ? (
          <fieldset>
            <legend>Run this scenario under</legend>
            {offered.map((f) => (
              <label key={f}>
                <input type="radio" name={`${id}-flavor`} value={f} checked={flavor === f} data-testid={`flavor-${f}`} onChange={() => c.runUnder(f)} />
                <span>{NAMES[f]}</span>
              </label>
            ))}
          </fieldset>
        ) : (
          <p className="hint">This scenario runs under {NAMES[flavor]}; meshviz translates Istio and Linkerd scenarios to the other meshes, not ambient ones.</p>
        )}
        <table className="grid costs" data-testid="cost-table" aria-label="What each mesh’s proxy costs">
          <thead>
            <tr>
              <th scope="col">Mesh</th>
              <th scope="col" className="num" title="what one proxy adds to a request and its response, in ms: median / tail">
                ms added
              </th>
              <th scope="col" className="num" title="memory of one proxy, MB">
                MB
              </th>
              <th scope="col" className="num" title="vCPU of one proxy per 1,000 requests a second through it">
                vCPU/1k
              </th>
            </tr>
          </thead>
          <tbody>
            {MESHES.map((m) => {
              const k = meshCostsFor(m, live.scenario.simulation.meshCosts);
              return (
                <tr key={m} className={m === flavor ? 'current' : undefined} data-testid={`cost-${m}`}>
                  <th scope="row" title={k.proxy}>
                    {NAMES[m]}
                  </th>
                  <td className="num" title={`${k.sources.hopP50}; ${k.sources.hopTail}`}>
                    {(k.hopP50 / 1000).toFixed(2)}/{(k.hopTail / 1000).toFixed(2)}
                  </td>
                  <td className="num" title={k.sources.memoryMB}>
                    {k.memoryMB}
                  </td>
                  <td className="num" title={k.sources.cpuPer1000Rps}>
                    {k.cpuPer1000Rps}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="hint" data-testid="cost-note">
          This mesh runs {runs}: about {memory} MB of proxy memory. Figures from Istio’s performance page (ambient: ztunnel 12 MB, a waypoint 60 MB, Istio 1.24) and
          Linkerd’s published benchmark; hover one for its source.
        </p>
        {translation ? (
          <div className="translation" data-testid="translation">
            <p className="hint">
              Translated from the {NAMES[translation.from.flavor]} scenario as <code>meshviz compare</code> does: {translation.translated.length} carried over, {translation.notTranslated.length} not.
            </p>
            <details open>
              <summary>Not translated ({translation.notTranslated.length})</summary>
              <ul data-testid="not-translated">
                {translation.notTranslated.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            </details>
            <details>
              <summary>Carried over ({translation.translated.length})</summary>
              <ul data-testid="carried-over">
                {translation.translated.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            </details>
          </div>
        ) : null}
      </div>
    </section>
  );
}
