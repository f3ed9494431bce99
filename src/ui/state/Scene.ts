import { openLive } from '../../api/index.ts';
import type { CanaryRoute, LiveMesh, Session } from '../../api/index.ts';
import { openTelemetry } from '../../telemetry/index.ts';
import type { RunOutputs } from '../../telemetry/index.ts';
import { layoutMesh } from '../layout/layoutMesh.ts';
import type { MeshLayout } from '../layout/layoutMesh.ts';
import { meshShapeOf } from '../layout/meshShape.ts';
import type { MeshShape } from '../layout/meshShape.ts';
import { PlaybackDriver } from '../playback/PlaybackDriver.ts';
import { CanaryShares } from '../stats/CanaryShares.ts';
import { ChartSeries } from '../stats/ChartSeries.ts';
import { GraphWindow } from '../stats/GraphWindow.ts';
import { MeshStats } from '../stats/MeshStats.ts';
import { StoryProgress } from '../story/StoryProgress.ts';
import { storyPlan } from '../story/storyPlan.ts';
import { CardFacts } from './CardFacts.ts';

/** Everything one loaded scenario needs on screen: the live mesh, the picture, playback, numbers. */
export interface Scene {
  id: string;
  /** The running mesh: simulation, control plane and current documents; every change goes through it. */
  live: LiveMesh;
  /** The weighted routes as the files were loaded (to tell which weights a link must carry). */
  baseRoutes: CanaryRoute[];
  shape: MeshShape;
  layout: MeshLayout;
  driver: PlaybackDriver;
  stats: MeshStats;
  /** The observed split of each weighted route, beside its sliders. */
  shares: CanaryShares;
  /** The service graph of the last few simulated seconds, for the Graph view. */
  graph: GraphWindow;
  /** Per-second series for the live charts. */
  charts: ChartSeries;
  /** What the pod cards show, refreshed a slice at a time. */
  cards: CardFacts;
  /** Set while the scenario's own traffic and timeline play. */
  story: StoryProgress | undefined;
  /** The mesh's Istio metrics and Envoy cluster stats, cumulative since the scene began (Prometheus text on demand). */
  metrics: RunOutputs;
}

/**
 * Builds the scene for a session: the live mesh's sink is the playback
 * driver, whose revealed events feed the stats. With `story`, a fresh mesh
 * plays the Simulation document's traffic and timeline from time 0;
 * `previous` keeps the picture and what edits are measured against.
 */
export function buildScene(id: string, session: Session, options: { story?: boolean; previous?: Scene } = {}): Scene {
  const { previous } = options;
  const shape = previous?.shape ?? meshShapeOf(session);
  const layout = previous?.layout ?? layoutMesh(shape);
  // A gateway's own Envoy is drawn as its proxy strip, as a sidecar is.
  const pods = new Map(session.scenario.pods.map((p) => [p.name, p.sidecar || p.gateway === true]));
  const costs = session.scenario.simulation.costs;
  const lookahead = Math.max(2_000, 2 * (costs.tcpHandshake + costs.tlsHandshake + costs.wire + costs.loopback + costs.proxyProcessing));
  const driver = new PlaybackDriver({ sidecarOf: (name) => pods.get(name), lookahead });
  // The mesh's Istio metrics as its sidecars would serve them (`meshviz serve` publishes them at /metrics).
  const metrics = openTelemetry({ scenario: session.scenario, xds: session.xds, startMs: 0, liveMetrics: true });
  const live = openLive(session, { sink: driver.ingest, base: previous?.live.base, telemetry: metrics });
  driver.attach(live);
  const stats = new MeshStats();
  driver.onReveal((e) => stats.add(e));
  const graph = new GraphWindow(session.scenario);
  driver.onReveal((e) => graph.add(e));
  const charts = new ChartSeries();
  driver.onReveal((e) => charts.add(e));
  const shares = new CanaryShares();
  driver.onReveal((e) => shares.add(e));
  const story = options.story ? new StoryProgress(storyPlan(session.scenario.simulation)) : undefined;
  if (story) {
    driver.onReveal((e) => story.add(e));
    driver.playStory();
  }
  const cards = new CardFacts(session.scenario.pods.map((p) => p.name));
  return { id, live, baseRoutes: previous?.baseRoutes ?? live.routes(), shape, layout, driver, stats, shares, graph, charts, cards, story, metrics };
}
