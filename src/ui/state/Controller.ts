import type { SendSpec } from '../../api/index.ts';
import { analyze, flavorsFrom, openAnalyzed, openSession, rebalance, translatedFiles } from '../../api/index.ts';
import type { AnalyzedDiagnostic, LiveChange, MtlsMode, SourceFile } from '../../api/index.ts';
import { EXTERNAL } from '../../model/index.ts';
import { PAGE_LIMITS, storyTooLarge } from './pageLimits.ts';
import type { Diagnostic, FailureMode, Flavor, Micros } from '../../model/index.ts';
import { layoutMesh } from '../layout/layoutMesh.ts';
import { LESSONS } from '../lessons/lessons.ts';
import type { Lesson } from '../lessons/lessons.ts';
import { runLessonAction } from '../lessons/runLessonAction.ts';
import type { GroupShape } from '../layout/meshShape.ts';
import { externalDestinations, isExternalDestination } from './externalDestinations.ts';
import type { ExternalDestination } from './externalDestinations.ts';
import { cardFactReader } from '../stats/cardFacts.ts';
import type { CardFact } from '../stats/cardFacts.ts';
import { BUILT_IN_SCENARIOS, FLAVOR_TWINS } from './builtInScenarios.ts';
import { LiveHub } from './LiveHub.ts';
import { Pacer } from './Pacer.ts';
import { buildScene } from './Scene.ts';
import type { Scene } from './Scene.ts';
import { restoreControls, urlStateOf } from './controllerUrl.ts';
import { AUTO_SPEED, BURST_SPEED, SEND_SPEED, storySpeed } from './speeds.ts';
import type { MeshViewName, UrlState } from './urlState.ts';

/** How much extra time a pod marked `slow` takes to answer. */
export const SLOW_DELAY: Micros = 1_500_000;
/** Auto's highest rate, requests per virtual second. */
export const MAX_RATE = 5_000;

/** A problem to list: a change's diagnostic, or a finding as `meshviz analyze` reports it. */
export type Finding = Diagnostic | AnalyzedDiagnostic;

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
  /** Real-time factor; each action sets its own (see `speeds.ts`) and the user may change it at any time. */
  speed = SEND_SPEED;
  rate = 20;
  playing = true;
  caller = '';
  /** Pods the user marked failing (what a link restores). */
  failing: Record<string, FailureMode> = {};
  /** Diagnostics of the last files that failed to load (they were not loaded). */
  rejected: { name: string; diagnostics: Finding[] } | undefined;
  /** What `meshviz analyze` says about the current files. */
  findings: Finding[] = [];
  /** The lesson being walked through, and which of its steps is shown. */
  lesson: { lesson: Lesson; step: number; done: boolean } | undefined;
  /** Problems reported by the last control edit that could not be applied. */
  editErrors: Diagnostic[] = [];
  /**
   * The scenario runs translated from another mesh (the mesh switch): the
   * files as loaded and their flavor, and what the translation carried over
   * and what it could not.
   */
  translation: { from: { id: string; files: SourceFile[]; flavor: Flavor }; translated: string[]; notTranslated: string[] } | undefined;
  /** The picture on the stage: pods as cards, or the service graph. */
  view: MeshViewName = 'pods';
  readonly hub = new LiveHub();
  private readonly pacer: Pacer;

  constructor(id: string, files: SourceFile[], private readonly hooks: ControllerHooks = {}) {
    // The first scenario opens without the analyzers, so the mesh is on screen sooner; `analyzeLater` lists their findings.
    const opened = openSession(files, PAGE_LIMITS);
    if (!opened.ok) throw new Error(`scenario ${id} does not load: ${opened.diagnostics.map((d) => d.message).join('; ')}`);
    this.scene = buildScene(id, opened.session);
    this.pacer = new Pacer(this.hub);
    this.pickDefaults();
  }

  /** Lists what `meshviz analyze` says about the files on screen (the first scenario's, once it is drawn). */
  analyzeLater(): void {
    this.findings = analyze(this.scene.live.files).diagnostics;
    this.changed();
  }

  /** Replaces the scenario; with errors (or nothing to load) keeps the current one and lists the problems as `meshviz analyze` would. */
  load(id: string, files: SourceFile[], name = id): boolean {
    const opened = openAnalyzed(files, PAGE_LIMITS);
    if (!opened.ok) {
      this.rejected = { name, diagnostics: opened.diagnostics };
      this.changed();
      return false;
    }
    this.rejected = undefined;
    this.editErrors = [];
    this.failing = {};
    this.lesson = undefined;
    this.translation = undefined;
    this.findings = opened.diagnostics;
    this.scene = buildScene(id, opened.session);
    this.pickDefaults();
    this.changed();
    return true;
  }

  /**
   * Adds files beside the current ones. Istio resources are pushed into the
   * running mesh through its change path; files that bring workloads start
   * a fresh mesh of everything together. Returns the files now loaded, or
   * undefined when refused (the problems are listed, the mesh is kept).
   */
  add(id: string, files: SourceFile[]): SourceFile[] | undefined {
    const all = [...this.scene.live.files, ...files];
    const name = files.map((f) => f.name).join(', ');
    const opened = openAnalyzed(all, PAGE_LIMITS);
    if (!opened.ok) {
      this.rejected = { name, diagnostics: opened.diagnostics };
      this.changed();
      return undefined;
    }
    const pushed = this.scene.live.change({ kind: 'add', files });
    if (!pushed.ok) return this.load(id, all, name) ? all : undefined;
    this.rejected = undefined;
    this.findings = opened.diagnostics;
    this.scene.id = id;
    this.changed();
    return all;
  }

  /**
   * Runs the scenario on screen under another mesh: a built-in scenario's
   * twin written for it, else the scenario as loaded translated the way
   * `meshviz compare` translates it (what was not carried over is listed in
   * `translation`). Back to the flavor it was written for, its own files
   * are loaded again.
   */
  runUnder(flavor: Flavor): boolean {
    const from = this.translation?.from ?? { id: this.scene.id, files: this.scene.live.files, flavor: this.scene.live.scenario.simulation.flavor };
    if (flavor === from.flavor) return this.load(from.id, from.files);
    const twins = FLAVOR_TWINS.find((t) => Object.values(t).includes(from.id));
    const twin = twins ? BUILT_IN_SCENARIOS.find((s) => s.id === twins[flavor]) : undefined;
    if (twin) return this.load(twin.id, twin.files);
    const opened = openSession(from.files, PAGE_LIMITS);
    if (!opened.ok || !flavorsFrom(from.flavor).includes(flavor)) return false;
    const t = translatedFiles(opened.session.scenario, flavor);
    if (!this.load(`${from.id}@${flavor}`, t.files, `${from.id} under ${flavor}`)) return false;
    this.translation = { from, translated: t.translated, notTranslated: t.notTranslated };
    this.changed();
    return true;
  }

  /** Opens a lesson: its scenario on a fresh mesh, at its first step. */
  startLesson(id: string): void {
    const lesson = LESSONS.find((l) => l.id === id);
    if (!lesson || !this.load(`lesson:${id}`, lesson.files, lesson.title)) return;
    this.lesson = { lesson, step: 0, done: false };
    this.changed();
  }

  /** Does what the current step says (the same as using the control it names), once what earlier steps sent has run its course. */
  doLessonStep(): void {
    const current = this.lesson;
    if (!current) return;
    this.scene.driver.finish();
    for (const action of current.lesson.steps[current.step]?.act ?? []) runLessonAction(this, action);
    current.done = true;
    this.changed();
  }

  /** Moves to the next (`+1`) or previous (`-1`) step. */
  moveLesson(delta: 1 | -1): void {
    const current = this.lesson;
    if (!current) return;
    const step = Math.min(current.lesson.steps.length - 1, Math.max(0, current.step + delta));
    this.lesson = { ...current, step, done: step === current.step && current.done };
    this.changed();
  }

  endLesson(): void {
    this.lesson = undefined;
    this.changed();
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
    // A gateway proxy sends nothing of its own: outside clients send through it.
    return [...this.scene.live.scenario.workloads.filter((w) => !w.gateway).map((w) => w.name), EXTERNAL];
  }

  destinations(): GroupShape[] {
    return this.scene.shape.groups.filter((g) => g.kind === 'service' && g.host);
  }

  /** Hosts outside the mesh (ServiceEntry hosts, hosts the apps dial without one) a workload may send to. */
  externalDestinations(): ExternalDestination[] {
    return externalDestinations(this.scene.live.scenario, this.scene.shape);
  }

  select(from: string, to: string, path = this.path): void {
    if (from === EXTERNAL && !this.scene.layout.client) this.scene.layout = layoutMesh(this.scene.shape, { client: true });
    this.drawWire(from, to);
    this.from = from;
    this.to = to;
    this.path = path.startsWith('/') ? path : `/${path}`;
    const callerPod = this.scene.live.scenario.pods.find((p) => p.workload === from && p.sidecar);
    if (callerPod) this.caller = callerPod.name;
    if (this.scene.driver.autoRunning) this.scene.driver.setAuto(this.sendSpec(), this.rate);
    this.changed();
  }

  /**
   * The picture draws the wires of the call graph; a sender the graph does
   * not know calling (a pod left out of the mesh, say) gets its wire too, so
   * its requests — reset or not — cross a wire that is drawn.
   */
  private drawWire(from: string, to: string): void {
    const { layout, shape } = this.scene;
    const group = from === EXTERNAL ? EXTERNAL : shape.groups.find((g) => g.pods.some((p) => p.workload === from))?.id;
    // An external host's wire goes to the card that stands for it.
    const target = isExternalDestination(to) ? this.externalDestinations().find((d) => d.id === to)?.group : to;
    if (!group || !target || group === target || layout.edges.some((e) => e.from === group && e.to === target)) return;
    this.scene.layout = { ...layout, edges: [...layout.edges, { from: group, to: target }] };
  }

  /** A destination is chosen (a scenario without any Service has none to send to). */
  get canSend(): boolean {
    return this.destinations().some((g) => g.id === this.to) || this.externalDestinations().some((d) => d.id === this.to);
  }

  /** Sends `count` requests 2 ms apart, at the speed that makes them watchable (a burst of 100 plays faster). */
  send(count = 1): void {
    if (!this.canSend) return;
    this.speed = count >= 100 ? BURST_SPEED : SEND_SPEED;
    this.scene.driver.send(this.sendSpec(), count);
    this.changed();
  }

  /** Auto plays at 1×: its rate is per simulated second. */
  setAuto(on: boolean, rate = this.rate): void {
    if (on && !this.canSend) return;
    if (on && !this.scene.driver.autoRunning) this.speed = AUTO_SPEED;
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
    if (on && storyTooLarge(this.scene.live.session)) return;
    this.failing = {};
    this.scene = buildScene(this.scene.id, this.scene.live.session, { story: on, previous: this.scene });
    if (on && this.scene.story) {
      this.speed = storySpeed(this.scene.story.plan.length);
      this.playing = true;
    }
    this.changed();
  }

  setPlaying(playing: boolean): void {
    this.playing = playing;
    this.changed();
  }

  setSpeed(speed: number): void {
    this.speed = speed;
    this.changed();
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

  /**
   * Plays `wallMs` of wall time at the current speed, in frames of 16 ms,
   * paused or not: what the animation loop does, without waiting for it.
   */
  playFor(wallMs: number): void {
    for (let ms = 0; ms < wallMs; ms += 16) this.pacer.frame(this.scene, Math.min(16, wallMs - ms), this.speed, () => this.readCardFacts());
    this.changed();
  }

  /** Lets simulated time pass (ejections run out, the story moves on) without sending anything. */
  advance(micros: Micros): void {
    this.scene.driver.advance(micros);
    this.changed();
  }

  /** Marks a pod failing (`mode`) or healthy again (`undefined`). */
  setFailing(pod: string, mode: FailureMode | undefined): void {
    const { live } = this.scene;
    if (mode) {
      live.fail(pod, mode, mode === 'slow' ? SLOW_DELAY : 0);
      this.failing = { ...this.failing, [pod]: mode };
    } else {
      live.recover(pod);
      const { [pod]: _, ...rest } = this.failing;
      this.failing = rest;
    }
    this.changed();
  }

  /** Sets one destination's weight; the others share the rest as before. */
  setWeight(key: string, index: number, value: number): void {
    const route = this.scene.live.routes().find((r) => r.key === key);
    if (route) this.setWeights(key, rebalance(route.destinations.map((d) => d.weight), index, value));
  }

  setWeights(key: string, weights: number[]): void {
    this.change({ kind: 'weights', route: key, weights });
  }

  setMtls(mode: MtlsMode): void {
    this.change({ kind: 'mtls', mode });
  }

  setView(view: MeshViewName): void {
    this.view = view;
    this.changed();
  }

  setCaller(pod: string): void {
    this.caller = pod;
    this.changed();
  }

  /** The facts each pod card shows, read now from the stats and the engine. */
  readCardFacts(): (pod: string) => CardFact {
    return cardFactReader(this.scene.live, this.scene.stats.received, this.caller);
  }

  /** One animation frame (see `Pacer`). */
  frame(wallMs: number): void {
    this.pacer.frame(this.scene, wallMs, this.playing ? this.speed : 0, () => this.readCardFacts());
  }

  /** Every control edits the mesh's documents through the live mesh's one change path (and its push). */
  change(change: LiveChange): boolean {
    const result = this.scene.live.change(change);
    this.editErrors = result.ok ? [] : result.diagnostics;
    this.changed();
    return result.ok;
  }

  private sendSpec(): SendSpec {
    const outside = this.externalDestinations().find((d) => d.id === this.to);
    if (outside) return { from: this.from, host: outside.host, port: outside.port, path: this.path };
    const group = this.destinations().find((g) => g.id === this.to);
    // To a gateway, an outside client sends the host its routes serve.
    if (group?.ingress && this.from === EXTERNAL) return { from: this.from, host: group.ingress.host, port: group.ingress.port, path: this.path };
    const host = group ? `${group.label}.${group.namespace}` : this.to;
    return { from: this.from, host, port: group?.ports[0], path: this.path };
  }

  private pickDefaults(): void {
    const scenario = this.scene.live.scenario;
    const sources = this.sources();
    const dests = this.destinations();
    const hinted = BUILT_IN_SCENARIOS.find((s) => s.id === this.scene.id);
    // A mesh with an ingress gateway is entered from outside, through it.
    const ingress = hinted ? undefined : dests.find((g) => g.ingress);
    const from = hinted && sources.includes(hinted.from) ? hinted.from : ingress ? EXTERNAL : (sources[0] ?? EXTERNAL);
    // Without a hint, the first Service that is not the sender's own.
    const to = ingress?.id ?? dests.find((g) => g.label === hinted?.to)?.id ?? dests.find((g) => !g.pods.some((p) => p.workload === from))?.id ?? dests[0]?.id ?? '';
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
