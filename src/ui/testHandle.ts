import { digestRun } from '../api/index.ts';
import type { DigestRun, MtlsMode } from '../api/index.ts';
import type { FailureMode, Micros } from '../model/index.ts';
import type { Controller } from './state/Controller.ts';
import type { MeshViewName } from './state/urlState.ts';
import { edgeFacts } from './stats/graphFacts.ts';
import type { ChartData } from './stats/ChartSeries.ts';
import { edgeRates } from '../telemetry/index.ts';
import type { EdgeHealth } from '../telemetry/index.ts';
import { visibleMarks } from './playback/blocks.ts';
import type { BlockKind } from './playback/blocks.ts';
import type { StatsSnapshot } from './stats/MeshStats.ts';
import type { StoryView } from './story/StoryProgress.ts';
import { outlierRows } from './stats/outlierRows.ts';
import type { OutlierRow } from './stats/outlierRows.ts';

/**
 * The typed handle end-to-end tests drive the page with (`window.__meshviz`).
 * It moves virtual time deterministically, so tests never sleep; it reads
 * the same state the picture shows.
 */
export interface MeshvizTestHandle {
  scenario(): string;
  pods(): Array<{ name: string; workload: string; version?: string }>;
  /** The first pod of a workload. */
  podOf(workload: string): string | undefined;
  /** Sender workload (or `external`) and destination service name. */
  select(from: string, to: string, path?: string): void;
  send(count?: number): void;
  play(): void;
  pause(): void;
  /** Starts Auto at `rate` requests per simulated second, or stops it with null. */
  auto(rate: number | null): void;
  /** Auto's rate as the controls hold it. */
  rate(): number;
  setSpeed(speed: number): void;
  /** The speed control's real-time factor. */
  speed(): number;
  /** Plays `wallMs` of wall time at the current speed (as the animation loop would), paused or not. */
  playFor(wallMs: number): void;
  /** Runs every request sent so far to its end; the picture catches up. Stops Auto. */
  finishPlayback(): void;
  /** Lets simulated time pass at once (ejections run out, outlier checks run). */
  advance(micros: Micros): void;
  /** Steps the last request to its next hop; returns that hop's key (`app:pod`, `sidecar:pod`, `wire:a>b`, `backoff:pod`). */
  step(): string | undefined;
  stepBack(): string | undefined;
  currentHop(): string | undefined;
  /** The hops of the last request known so far, in order. */
  hops(): string[];
  setFailing(pod: string, mode: FailureMode | null): void;
  setWeights(routeKey: string, weights: number[]): void;
  setMtls(mode: MtlsMode): void;
  stats(): StatsSnapshot;
  podReceived(pod: string): number;
  /** The outlier grid of the selected caller's sidecar. */
  grid(): OutlierRow[];
  /** mTLS of the last request on the wire between two pods; undefined before one crossed it. */
  wireMtls(fromPod: string, toPod: string): boolean | undefined;
  now(): Micros;
  inFlight(): number;
  /** Requests currently drawable (for the benchmark). */
  drawn(): number;
  /** The stop markers the picture draws now: where a callee's sidecar stopped a request, and the marker's words. */
  marks(): Array<{ pod: string; kind: BlockKind; label: string }>;
  /** Plays the scenario's own traffic and timeline from 0 (`false` leaves the story). */
  playStory(on?: boolean): void;
  /** The story as its panel shows it now; undefined when no story is playing. */
  story(): StoryView | undefined;
  /** The lesson being walked through and the step shown; undefined outside a lesson. */
  lesson(): { id: string; step: number; steps: number } | undefined;
  /** Requests each destination of a weighted route got since the last push, as its share bars show them. */
  shares(routeKey: string): number[];
  /** Shows the pods or the service graph on the stage. */
  view(name?: MeshViewName): MeshViewName;
  /** The Graph view's edges as it labels them now: requests/s, error share, health, mTLS. */
  graphEdges(): Array<{ id: string; rps: number; errorPercent: number; health: EdgeHealth | 'idle'; mtls: string; lines: [string, string, string] }>;
  /** What the live charts draw now: a point per simulated second. */
  charts(): ChartData;
  /** Runs a scenario apart from the page's and returns its event-stream digest, as the golden tests compute it in Node. */
  digestRun(run: DigestRun): string;
}

declare global {
  interface Window {
    __meshviz?: MeshvizTestHandle;
  }
}

export function createTestHandle(c: Controller): MeshvizTestHandle {
  const scene = () => c.scene;
  return {
    scenario: () => scene().id,
    pods: () => scene().live.scenario.pods.map((p) => ({ name: p.name, workload: p.workload, version: p.labels.version })),
    podOf: (workload) => scene().live.scenario.pods.find((p) => p.workload === workload)?.name,
    select: (from, to, path) => {
      const id = c.destinations().find((g) => g.label === to || g.id === to)?.id ?? c.externalDestinations().find((d) => d.host === to || d.id === to)?.id;
      if (!id) throw new Error(`no service or external host ${to}`);
      c.select(from, id, path);
    },
    send: (count = 1) => c.send(count),
    play: () => c.setPlaying(true),
    auto: (rate) => (rate === null ? c.setAuto(false) : c.setAuto(true, rate)),
    rate: () => c.rate,
    setSpeed: (speed) => c.setSpeed(speed),
    speed: () => c.speed,
    playFor: (wallMs) => c.playFor(wallMs),
    pause: () => c.setPlaying(false),
    finishPlayback: () => c.finishPlayback(),
    advance: (micros) => c.advance(micros),
    step: () => {
      c.stepForward();
      return scene().driver.currentStop()?.key;
    },
    stepBack: () => {
      c.stepBack();
      return scene().driver.currentStop()?.key;
    },
    currentHop: () => scene().driver.currentStop()?.key,
    hops: () => scene().driver.book.featuredStops().map((s) => s.key),
    setFailing: (pod, mode) => c.setFailing(pod, mode ?? undefined),
    setWeights: (key, weights) => c.setWeights(key, weights),
    setMtls: (mode) => c.setMtls(mode),
    stats: () => scene().stats.snapshot(),
    podReceived: (pod) => scene().stats.received.get(pod) ?? 0,
    grid: () => outlierRows(scene().live.clusters(c.caller), c.caller, scene().stats.ejected, scene().driver.now).rows,
    wireMtls: (from, to) => scene().stats.wireMtls.get(`${from}>${to}`),
    now: () => scene().driver.now,
    inFlight: () => scene().live.inFlight,
    drawn: () => {
      const { driver } = scene();
      let n = 0;
      for (const t of driver.tracks.values()) if (t.sample(driver.tau)) n += 1;
      return n;
    },
    marks: () => visibleMarks(scene().driver.tracks.values(), scene().driver.tau).map(({ pod, kind, label }) => ({ pod, kind, label })),
    playStory: (on = true) => c.playStory(on),
    story: () => scene().story?.view(scene().driver.now),
    lesson: () => (c.lesson ? { id: c.lesson.lesson.id, step: c.lesson.step, steps: c.lesson.lesson.steps.length } : undefined),
    shares: (key) => c.scene.shares.observed(key, c.scene.live.routes().find((r) => r.key === key)?.destinations ?? []),
    view: (name) => {
      if (name) c.setView(name);
      return c.view;
    },
    graphEdges: () => {
      const g = scene().graph.graph(scene().driver.now);
      return g.edges.map((e) => {
        const rates = edgeRates(e, g.durationMs);
        const facts = edgeFacts(e, g.durationMs, e.source, e.target);
        return { id: e.id, rps: rates.rps, errorPercent: rates.errorPercent, health: facts.health, mtls: facts.mtls, lines: facts.lines };
      });
    },
    charts: () => scene().charts.data(scene().driver.now),
    digestRun,
  };
}
