import { Simulation } from '../../engine/index.ts';
import type { CanaryRoute } from '../config/canaryRoutes.ts';
import { layoutMesh } from '../layout/layoutMesh.ts';
import type { MeshLayout } from '../layout/layoutMesh.ts';
import { meshShapeOf } from '../layout/meshShape.ts';
import type { MeshShape } from '../layout/meshShape.ts';
import { PlaybackDriver } from '../playback/PlaybackDriver.ts';
import { simPort } from '../playback/SimPort.ts';
import { MeshStats } from '../stats/MeshStats.ts';
import type { ConfigState } from './ConfigState.ts';

/** Everything one loaded scenario needs on screen: config, picture, simulation, playback, numbers. */
export interface Scene {
  id: string;
  config: ConfigState;
  /** The weighted routes as the files were loaded (to tell which weights a link must carry). */
  baseRoutes: CanaryRoute[];
  shape: MeshShape;
  layout: MeshLayout;
  sim: Simulation;
  driver: PlaybackDriver;
  stats: MeshStats;
}

/** Builds the scene for a loaded config: the engine's sink is the playback driver, whose revealed events feed the stats. */
export function buildScene(id: string, config: ConfigState): Scene {
  const { session } = config;
  const shape = meshShapeOf(session);
  const layout = layoutMesh(shape);
  const pods = new Map(session.scenario.pods.map((p) => [p.name, p.sidecar]));
  const costs = session.scenario.simulation.costs;
  const lookahead = Math.max(2_000, 2 * (costs.tcpHandshake + costs.tlsHandshake + costs.wire + costs.loopback + costs.proxyProcessing));
  const driver = new PlaybackDriver({ sidecarOf: (name) => pods.get(name), lookahead });
  const sim = new Simulation({ scenario: session.scenario, xds: session.xds, resolve: session.resolve, sink: driver.ingest });
  driver.attach(simPort(sim));
  const stats = new MeshStats();
  driver.onReveal((e) => stats.add(e));
  return { id, config, baseRoutes: config.routes(), shape, layout, sim, driver, stats };
}
