import { useId } from 'react';
import { meshCostsFor } from '../../model/index.ts';
import type { CostedMesh, Flavor } from '../../model/index.ts';
import { BUILT_IN_SCENARIOS, FLAVOR_TWINS } from '../state/builtInScenarios.ts';
import { useController } from './ControllerContext.ts';

const NAMES: Record<CostedMesh, string> = { istio: 'Istio', linkerd: 'Linkerd', 'istio-ambient': 'Istio ambient' };
const MESHES: readonly CostedMesh[] = ['istio', 'linkerd', 'istio-ambient'];

/**
 * Which mesh runs the picture, and what each mesh's proxies cost (the cited
 * table of `model/flavorCosts.ts`; each figure's source is its tooltip). For
 * a built-in scenario that exists under both flavors the switch loads the
 * other one: the same workloads, traffic and story under the other mesh.
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
  const twins = FLAVOR_TWINS.find((t) => Object.values(t).includes(c.scene.id));
  const switchTo = (to: Flavor): void => {
    const target = twins ? BUILT_IN_SCENARIOS.find((s) => s.id === twins[to]) : undefined;
    if (target) c.load(target.id, target.files);
  };
  return (
    <section className="panel mesh-costs" aria-labelledby={`${id}-h`} data-testid="mesh-costs">
      <h2 id={`${id}-h`}>Which mesh, at what cost</h2>
      <div className="panel-body">
        {twins ? (
          <fieldset>
            <legend>Run this scenario under</legend>
            {(Object.keys(twins) as Flavor[]).map((f) => (
              <label key={f}>
                <input type="radio" name={`${id}-flavor`} value={f} checked={flavor === f} data-testid={`flavor-${f}`} onChange={() => switchTo(f)} />
                <span>{NAMES[f]}</span>
              </label>
            ))}
          </fieldset>
        ) : (
          <p className="hint">This scenario runs under {NAMES[flavor]}. `meshviz compare FILES --flavors istio,linkerd,istio-ambient` runs any Istio scenario under all three.</p>
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
      </div>
    </section>
  );
}
