import { createReconfigure } from '../../api/index.ts';
import { Simulation } from '../../engine/index.ts';
import type { CanaryRoute } from '../config/canaryRoutes.ts';
import { layoutMesh } from '../layout/layoutMesh.ts';
import type { MeshLayout } from '../layout/layoutMesh.ts';
import { meshShapeOf } from '../layout/meshShape.ts';
import type { MeshShape } from '../layout/meshShape.ts';
import { PlaybackDriver } from '../playback/PlaybackDriver.ts';
import { simPort } from '../playback/SimPort.ts';
import { MeshStats } from '../stats/MeshStats.ts';
import { StoryProgress } from '../story/StoryProgress.ts';
import { storyPlan } from '../story/storyPlan.ts';
import { CardFacts } from './CardFacts.ts';
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
  /** What the pod cards show, refreshed a slice at a time. */
  cards: CardFacts;
  /** Set while the scenario's own traffic and timeline play. */
  story: StoryProgress | undefined;
}

/**
 * Builds the scene for a loaded config: the engine's sink is the playback
 * driver, whose revealed events feed the stats. With `story`, a fresh
 * simulation plays the Simulation document's traffic and timeline from
 * time 0; `previous` keeps the picture and what the links compare against.
 */
export function buildScene(id: string, config: ConfigState, options: { story?: boolean; previous?: Scene } = {}): Scene {
  const { session } = config;
  const { previous } = options;
  const shape = previous?.shape ?? meshShapeOf(session);
  const layout = previous?.layout ?? layoutMesh(shape);
  const pods = new Map(session.scenario.pods.map((p) => [p.name, p.sidecar]));
  const costs = session.scenario.simulation.costs;
  const lookahead = Math.max(2_000, 2 * (costs.tcpHandshake + costs.tlsHandshake + costs.wire + costs.loopback + costs.proxyProcessing));
  const driver = new PlaybackDriver({ sidecarOf: (name) => pods.get(name), lookahead });
  // The control plane recompiles the timeline's `apply`/`delete` changes from the loaded files, as `simulate` does.
  const reconfigure = createReconfigure(session.files, session.scenario);
  const sim = new Simulation({ scenario: session.scenario, xds: session.xds, resolve: session.resolve, sink: driver.ingest, reconfigure });
  driver.attach(simPort(sim));
  const stats = new MeshStats();
  driver.onReveal((e) => stats.add(e));
  const story = options.story ? new StoryProgress(storyPlan(session.scenario.simulation)) : undefined;
  if (story) {
    driver.onReveal((e) => story.add(e));
    driver.playStory();
  }
  const cards = new CardFacts(session.scenario.pods.map((p) => p.name));
  return { id, config, baseRoutes: previous?.baseRoutes ?? config.routes(), shape, layout, sim, driver, stats, cards, story };
}
