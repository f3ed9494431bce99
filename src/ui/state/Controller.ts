import type { SendSpec } from '../../engine/index.ts';
import { EXTERNAL } from '../../model/index.ts';
import type { Diagnostic, FailureMode, Micros } from '../../model/index.ts';
import { rebalance } from '../config/canaryRoutes.ts';
import type { ScenarioFile } from '../config/editYaml.ts';
import type { MtlsMode } from '../config/meshMtls.ts';
import { layoutMesh } from '../layout/layoutMesh.ts';
import type { GroupShape } from '../layout/meshShape.ts';
import { cardFactReader } from '../stats/cardFacts.ts';
import type { CardFact } from '../stats/cardFacts.ts';
import { BUILT_IN_SCENARIOS } from './builtInScenarios.ts';
import { ConfigState } from './ConfigState.ts';
import { LiveHub } from './LiveHub.ts';
import { Pacer } from './Pacer.ts';
import { buildScene } from './Scene.ts';
import type { Scene } from './Scene.ts';
import { restoreControls, urlStateOf } from './controllerUrl.ts';
import type { UrlState } from './urlState.ts';

export const SPEEDS: readonly number[] = [0.1, 0.25, 0.5, 1, 2, 4, 10, 50, 250, 1000];
/** How much extra time a pod marked `slow` takes to answer. */
export const SLOW_DELAY: Micros = 1_500_000;
/** The story plays at this speed or faster: at 1× twenty requests a second would take minutes to reach its first event. */
export const STORY_SPEED = 50;
/** Auto's highest rate, requests per virtual second. */
export const MAX_RATE = 5_000;

export interface ControllerHooks {
  /** Called after every control change with what a link should restore. */
  persist?: (state: UrlState) => void;
}

/**
 * The visualizer's state outside React: the scene (session, simulation,
 * playback, stats) and the controls. Components read it and call its
 * methods; `hub` tells them when to re-render.
 */
export class Controller {
  scene: Scene;
  from = '';
  to = '';
  path = '/';
  speed = 1;
  /** The speed before Auto or the story raised it (and what they raised it to). */
  private raisedFrom: { speed: number; to: number } | undefined;
  rate = 20;
  playing = true;
  caller = '';
  /** Pods the user marked failing (what a link restores). */
  failing: Record<string, FailureMode> = {};
  /** Diagnostics of the last scenario that failed to load (it was not loaded). */
  rejected: { name: string; diagnostics: Diagnostic[] } | undefined;
  /** Problems reported by the last control edit that could not be applied. */
  editErrors: Diagnostic[] = [];
  readonly hub = new LiveHub();
  private readonly pacer: Pacer;

  constructor(id: string, files: ScenarioFile[], private readonly hooks: ControllerHooks = {}) {
    const opened = ConfigState.open(files);
    if (!opened.ok) throw new Error(`scenario ${id} does not load: ${opened.diagnostics.map((d) => d.message).join('; ')}`);
    this.scene = buildScene(id, opened.value);
    this.pacer = new Pacer(this.hub);
    this.pickDefaults();
  }

  /** Replaces the scenario; on errors keeps the current one and reports them. */
  load(id: string, files: ScenarioFile[], name = id): boolean {
    const opened = ConfigState.open(files);
    if (!opened.ok) {
      this.rejected = { name, diagnostics: opened.diagnostics };
      this.changed();
      return false;
    }
    this.rejected = undefined;
    this.editErrors = [];
    this.failing = {};
    this.scene = buildScene(id, opened.value);
    this.pickDefaults();
    this.changed();
    return true;
  }

  dismissRejected(): void {
    this.rejected = undefined;
    this.changed();
  }

  /** Restores the controls a link or a reload carries (the scenario is already loaded). */
  restore(state: UrlState): void {
    restoreControls(this, state);
    this.changed();
  }

  urlState(): UrlState {
    return urlStateOf(this);
  }

  /** Workloads that can send, and `external` for a client outside the mesh. */
  sources(): string[] {
    return [...this.scene.config.session.scenario.workloads.map((w) => w.name), EXTERNAL];
  }

  destinations(): GroupShape[] {
    return this.scene.shape.groups.filter((g) => g.kind === 'service' && g.host);
  }

  select(from: string, to: string, path = this.path): void {
    if (from === EXTERNAL && !this.scene.layout.client) this.scene.layout = layoutMesh(this.scene.shape, { client: true });
    this.from = from;
    this.to = to;
    this.path = path.startsWith('/') ? path : `/${path}`;
    const callerPod = this.scene.config.session.scenario.pods.find((p) => p.workload === from && p.sidecar);
    if (callerPod) this.caller = callerPod.name;
    if (this.scene.driver.autoRunning) this.scene.driver.setAuto(this.sendSpec(), this.rate);
    this.changed();
  }

  /** A destination is chosen (a scenario without any Service has none to send to). */
  get canSend(): boolean {
    return this.destinations().some((g) => g.id === this.to);
  }

  send(count = 1): void {
    if (!this.canSend) return;
    this.scene.driver.send(this.sendSpec(), count);
    this.changed();
  }

  /** Auto plays at 10× or faster: at 1× a stream of requests would crawl. */
  setAuto(on: boolean, rate = this.rate): void {
    if (on && !this.canSend) return;
    const wasRunning = this.scene.driver.autoRunning;
    if (on && !wasRunning) this.raiseSpeed(10);
    if (!on && wasRunning) this.restoreSpeed();
    this.rate = Math.min(MAX_RATE, Math.max(1, Math.round(rate)));
    this.scene.driver.setAuto(on ? this.sendSpec() : undefined, this.rate);
    this.changed();
  }

  /**
   * Plays the scenario's own traffic and timeline from time 0 on a fresh
   * simulation of the current config (health tags are reset; weights and
   * mTLS edits stay). With `false`, leaves the story for a fresh, quiet mesh.
   */
  playStory(on = true): void {
    if (on && this.scene.config.storyTooLarge()) return;
    this.failing = {};
    this.scene = buildScene(this.scene.id, this.scene.config, { story: on, previous: this.scene });
    if (on) {
      this.raiseSpeed(STORY_SPEED);
      this.playing = true;
    } else {
      this.restoreSpeed();
    }
    this.changed();
  }

  setPlaying(playing: boolean): void {
    this.playing = playing;
    this.changed();
  }

  setSpeed(speed: number): void {
    this.speed = speed;
    this.raisedFrom = undefined;
    this.changed();
  }

  /** Auto and the story play at least this fast; the speed chosen before comes back when they stop. */
  private raiseSpeed(atLeast: number): void {
    if (this.speed >= atLeast) return;
    this.raisedFrom ??= { speed: this.speed, to: atLeast };
    this.raisedFrom.to = atLeast;
    this.speed = atLeast;
  }

  /** Puts back the speed Auto or the story raised, unless the user has chosen another since. */
  private restoreSpeed(): void {
    if (this.raisedFrom && this.speed === this.raisedFrom.to) this.speed = this.raisedFrom.speed;
    this.raisedFrom = undefined;
  }

  stepForward(): void {
    this.playing = false;
    this.scene.driver.stepForward();
    this.changed();
  }

  stepBack(): void {
    this.playing = false;
    this.scene.driver.stepBack();
    this.changed();
  }

  /** Every request sent so far runs to its end and the picture catches up. */
  finishPlayback(): void {
    this.scene.driver.finish();
    this.changed();
  }

  /** Lets simulated time pass (ejections run out, the story moves on) without sending anything. */
  advance(micros: Micros): void {
    this.scene.driver.advance(micros);
    this.changed();
  }

  /** Marks a pod failing (`mode`) or healthy again (`undefined`). */
  setFailing(pod: string, mode: FailureMode | undefined): void {
    const { sim } = this.scene;
    if (mode) {
      sim.fail({ pod }, mode, mode === 'slow' ? SLOW_DELAY : 0);
      this.failing = { ...this.failing, [pod]: mode };
    } else {
      sim.recover({ pod });
      const { [pod]: _, ...rest } = this.failing;
      this.failing = rest;
    }
    this.changed();
  }

  /** Sets one destination's weight; the others share the rest as before. */
  setWeight(key: string, index: number, value: number): void {
    const route = this.scene.config.routes().find((r) => r.key === key);
    if (route) this.setWeights(key, rebalance(route.destinations.map((d) => d.weight), index, value));
  }

  setWeights(key: string, weights: number[]): void {
    this.applyEdit(this.scene.config.setWeights(key, weights));
  }

  setMtls(mode: MtlsMode): void {
    this.applyEdit(this.scene.config.setMtls(mode));
  }

  setCaller(pod: string): void {
    this.caller = pod;
    this.changed();
  }

  /** The facts each pod card shows, read now from the stats and the engine. */
  readCardFacts(): (pod: string) => CardFact {
    return cardFactReader(this.scene.sim, this.scene.stats.received, this.caller);
  }

  /** One animation frame (see `Pacer`). */
  frame(wallMs: number): void {
    this.pacer.frame(this.scene, wallMs, this.playing ? this.speed : 0, () => this.readCardFacts());
  }

  private applyEdit(result: ReturnType<ConfigState['setMtls']>): void {
    if (result.ok) {
      this.scene.sim.applyConfig(result.value.xds);
      this.editErrors = [];
    } else {
      this.editErrors = result.diagnostics;
    }
    this.changed();
  }

  private sendSpec(): SendSpec {
    const group = this.destinations().find((g) => g.id === this.to);
    const host = group ? `${group.label}.${group.namespace}` : this.to;
    return { from: this.from, host, port: group?.ports[0], path: this.path };
  }

  private pickDefaults(): void {
    const scenario = this.scene.config.session.scenario;
    const sources = this.sources();
    const dests = this.destinations();
    const hinted = BUILT_IN_SCENARIOS.find((s) => s.id === this.scene.id);
    const from = hinted && sources.includes(hinted.from) ? hinted.from : (sources[0] ?? EXTERNAL);
    const to = dests.find((g) => g.label === hinted?.to)?.id ?? dests[0]?.id ?? '';
    this.path = '/';
    // The grid shows the sender's sidecar; a sender without one (the outside client) is best
    // replaced by the sidecar of the service it calls, whose outbound calls carry the traffic on.
    this.caller = '';
    this.select(from, to);
    const callee = dests.find((g) => g.id === to);
    if (!this.caller) this.caller = scenario.pods.find((p) => p.sidecar && callee?.pods.some((q) => q.name === p.name))?.name ?? scenario.pods.find((p) => p.sidecar)?.name ?? '';
  }

  /** A control changed: persist it, make the cards exact, and re-render everything. */
  private changed(): void {
    this.hooks.persist?.(this.urlState());
    this.scene.cards.refreshAll(this.readCardFacts());
    this.pacer.refreshed();
    this.hub.changed();
  }
}
