import { Simulation } from '../../engine/index.ts';
import type { ClusterView, ConfigChange, PodView, SendSpec } from '../../engine/index.ts';
import { canaryRoutes, diagnostic, meshMtlsMode } from '../../istio/index.ts';
import type { CanaryRoute, DocRef, MtlsMode, SourceFile } from '../../istio/index.ts';
import type { Diagnostic, FailureMode, MeshEvent, MeshXds, Micros, Scenario } from '../../model/index.ts';
import { openSession } from '../Session.ts';
import type { Session } from '../Session.ts';
import { checkDocument } from './checkDocument.ts';
import type { DocumentFinding } from './checkDocument.ts';
import { editDocuments } from './documentChanges.ts';
import type { LiveChange } from './documentChanges.ts';
import { liveDocuments } from './liveDocuments.ts';
import type { LiveDocument } from './liveDocuments.ts';

export interface LiveOptions {
  /** Sees every event of the mesh, the control plane's included. */
  sink: (event: MeshEvent) => void;
  /** What "changed" is measured against (the files as first opened); the session itself by default. */
  base?: Session;
}

export type ChangeResult =
  /** Accepted: pushed to every proxy after the push delay, or queued while istiod is down. */
  | { ok: true; queued: boolean }
  /** Refused: the documents and the mesh stay as they were. */
  | { ok: false; diagnostics: Diagnostic[] };

/** istiod as the visualizer shows it. */
export interface ControlPlaneView {
  up: boolean;
  /** A push on its way: its version and when it reaches the proxies. */
  pushing?: { version: number; at: Micros };
  /** Changes accepted while istiod is down. */
  waiting: number;
  lastPush?: { version: number; at: Micros };
}

interface Push {
  at: Micros;
  version: number;
  xds: MeshXds;
}

/**
 * One running mesh: the simulation, the control plane and the current
 * documents. Every change — a slider, the mTLS control, an edited or added
 * document, a timeline action of the story — goes through `change`: the
 * documents are edited, loaded and compiled through the one loading path,
 * and the new config reaches the proxies after the push delay, as
 * `config.change` / `config.push` events say (while istiod is down it waits).
 *
 * The engine pushes the story's timeline changes itself; this session is
 * the `reconfigure` it calls, so those land on the current documents too.
 * Changes made from outside the timeline are pushed here with the same
 * delay and the same events (the engine has no entry point for them).
 */
export class LiveMesh {
  /** The session as opened: what "changed" is measured against. */
  readonly base: Session;
  private current: Session;
  private readonly sim: Simulation;
  private istiodUp = true;
  private version = 0;
  private readonly pushes: Push[] = [];
  /** Changes accepted while istiod was down, pushed when it is back. */
  private readonly waiting: Array<{ label: string; xds: MeshXds }> = [];
  private readonly emit: (event: MeshEvent) => void;
  private cache: { session: Session; routes?: CanaryRoute[]; documents?: LiveDocument[] } | undefined;
  /** The config the proxies run now (the last push that landed). */
  private pushed: MeshXds;
  private wireCache: { xds: MeshXds; wires: ReadonlyMap<string, boolean> } | undefined;
  /** The engine's own timeline pushes: what `reconfigure` compiled, until its `config.change` names the version. */
  private compiledForEngine: MeshXds | undefined;
  private readonly enginePushes = new Map<number, MeshXds>();
  private lastPush: { version: number; at: Micros } | undefined;

  constructor(session: Session, options: LiveOptions) {
    this.base = options.base ?? session;
    this.current = session;
    this.pushed = session.xds;
    this.emit = options.sink;
    this.sim = new Simulation({
      scenario: session.scenario,
      xds: session.xds,
      resolve: session.resolve,
      sink: (event) => this.observe(event),
      reconfigure: (change) => this.reconfigure(change),
    });
  }

  /** The current documents, loaded and compiled. */
  get session(): Session {
    return this.current;
  }

  get files(): SourceFile[] {
    return this.current.files;
  }

  get scenario(): Scenario {
    return this.current.scenario;
  }

  /** Whether istiod is up (the story's timeline can take it down). */
  get controlPlaneUp(): boolean {
    return this.istiodUp;
  }

  /** The weighted routes of the current documents, with the weights as written. */
  routes(): CanaryRoute[] {
    return (this.cached().routes ??= canaryRoutes(this.current.scenario));
  }

  mtls(): { mode: MtlsMode; fromPolicy: boolean } {
    return meshMtlsMode(this.current.scenario);
  }

  /** The documents the controls edit, as they read now, with the lines that differ from the files as opened. */
  documents(): LiveDocument[] {
    return (this.cached().documents ??= liveDocuments(this.base.files, this.current));
  }

  /**
   * What `meshviz analyze` would say about the files with document `ref`
   * replaced by `text`, for the findings inside that document (lines
   * counted from its first line); nothing is changed.
   */
  check(ref: DocRef, text: string): DocumentFinding[] {
    return checkDocument(this.current.files, ref, text);
  }

  /**
   * The one way to change the mesh: edits the documents, reloads and
   * recompiles them, and pushes the result. A change with errors is
   * refused with its diagnostics, and nothing changes.
   */
  change(change: LiveChange): ChangeResult {
    const compiled = this.compile(change);
    if (!compiled.ok) return compiled;
    this.current = compiled.session;
    if (!this.istiodUp) {
      this.waiting.push({ label: compiled.label, xds: compiled.session.xds });
      this.emit({ t: this.sim.now, requestId: 0, attempt: 0, where: { kind: 'mesh' }, kind: 'config.rejected', change: compiled.label, reason: 'istiod is down: the change waits until it is back' });
      return { ok: true, queued: true };
    }
    this.push(compiled.label, compiled.session.xds);
    return { ok: true, queued: false };
  }

  // --- the engine, as playback drives it ---------------------------------

  get now(): Micros {
    return this.sim.now;
  }

  get inFlight(): number {
    return this.sim.inFlight;
  }

  /** Nothing in flight, no traffic or timeline left, no push on its way. */
  get idle(): boolean {
    return this.sim.idle && this.pushes.length === 0;
  }

  /** A push is on its way to the proxies. */
  get pushPending(): boolean {
    return this.pushes.length > 0;
  }

  /** The control plane as a view shows it: istiod up or down, the next push and when it lands, changes waiting for istiod, the last push. */
  controlPlane(): ControlPlaneView {
    const next = this.pushes[0];
    return {
      up: this.istiodUp,
      ...(next ? { pushing: { version: next.version, at: next.at } } : {}),
      waiting: this.waiting.length,
      ...(this.lastPush ? { lastPush: this.lastPush } : {}),
    };
  }

  send(spec: SendSpec): number {
    return this.sim.send(spec);
  }

  scheduleScenario(): void {
    this.sim.scheduleScenario();
  }

  /** When the mesh next has something to do: an engine task or a push landing. */
  nextTaskTime(): Micros | undefined {
    const task = this.sim.nextTaskTime();
    const push = this.pushes[0]?.at;
    return task === undefined ? push : push === undefined ? task : Math.min(task, push);
  }

  /** Runs everything due at or before `t`; pushes land after the engine's tasks of the same moment. */
  runUntil(t: Micros): void {
    for (let push = this.pushes[0]; push && push.at <= t; push = this.pushes[0]) {
      this.sim.runUntil(push.at);
      this.pushes.shift();
      this.sim.applyConfig(push.xds);
      this.pushed = push.xds;
      this.lastPush = { version: push.version, at: push.at };
      for (const pod of Object.keys(push.xds.proxies)) this.emit({ t: this.sim.now, requestId: 0, attempt: 0, where: { kind: 'sidecar', pod }, kind: 'config.push', pod, version: push.version });
    }
    this.sim.runUntil(t);
  }

  anyEjected(): boolean {
    return this.sim.anyEjected();
  }

  /** Marks a pod failing now (what the timeline's `fail` does); `delay` only for `slow`. */
  fail(pod: string, mode: FailureMode, delay: Micros = 0): void {
    this.sim.fail({ pod }, mode, delay);
  }

  recover(pod: string): void {
    this.sim.recover({ pod });
  }

  // --- read models for views ---------------------------------------------

  pod(name: string): PodView | undefined {
    return this.sim.pod(name);
  }

  workloadOf(name: string): string {
    return this.sim.workloadOf(name);
  }

  hasSidecar(pod: string): boolean {
    return this.sim.hasSidecar(pod);
  }

  /** The clusters a caller's sidecar has used: pool gauges and each endpoint's outlier state as that sidecar sees it. */
  clusters(callerPod: string): ClusterView[] {
    return this.sim.clusters(callerPod);
  }

  /**
   * Whether a caller's sidecar talks mTLS to a pod, by `caller>pod`, as the
   * proxies are configured now (after the last push): ISTIO_MUTUAL, and
   * under auto-mTLS only to a pod with a sidecar (what the engine does per
   * connection). Callers without a sidecar are not in it: they talk plaintext.
   */
  wires(): ReadonlyMap<string, boolean> {
    if (this.wireCache?.xds !== this.pushed) this.wireCache = { xds: this.pushed, wires: wireSecurity(this.pushed) };
    return this.wireCache.wires;
  }

  // --- inside ----------------------------------------------------------------

  private compile(change: LiveChange): { ok: true; session: Session; label: string } | { ok: false; diagnostics: Diagnostic[] } {
    const edited = editDocuments(this.current.files, this.current.scenario, change);
    if (!edited.ok) return edited;
    const opened = openSession(edited.files);
    if (!opened.ok) return opened;
    const moved = workloadChange(this.base.scenario, opened.session.scenario);
    if (moved) return { ok: false, diagnostics: [diagnostic('LiveWorkloadsChanged', {}, { what: moved })] };
    return { ok: true, session: opened.session, label: edited.label };
  }

  private push(label: string, xds: MeshXds): void {
    this.version += 1;
    const at = this.sim.now + this.current.scenario.simulation.controlPlane.pushDelay;
    this.pushes.push({ at, version: this.version, xds });
    this.emit({ t: this.sim.now, requestId: 0, attempt: 0, where: { kind: 'mesh' }, kind: 'config.change', change: label, version: this.version });
  }

  /** The engine's control plane calls this for the timeline's `apply`/`delete`: the change lands on the current documents. */
  private reconfigure(change: ConfigChange): { xds: MeshXds } | { error: string } {
    const compiled = this.compile({ kind: 'timeline', change });
    if (!compiled.ok) return { error: compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}${d.path ? ` (${d.path})` : ''}`).join('; ') };
    this.current = compiled.session;
    this.compiledForEngine = compiled.session.xds;
    return { xds: compiled.session.xds };
  }

  /** Every engine event passes here: istiod's state and the versions it pushed are followed, then the event goes on. */
  private observe(event: MeshEvent): void {
    switch (event.kind) {
      case 'config.change':
        this.version = Math.max(this.version, event.version);
        if (this.compiledForEngine) this.enginePushes.set(event.version, this.compiledForEngine);
        this.compiledForEngine = undefined;
        break;
      case 'config.push': {
        const xds = this.enginePushes.get(event.version);
        if (xds) this.pushed = xds;
        this.lastPush = { version: event.version, at: event.t };
        break;
      }
      case 'controlPlane.down':
        this.istiodUp = false;
        break;
      case 'controlPlane.up':
        this.istiodUp = true;
        this.emit(event);
        for (const { label, xds } of this.waiting.splice(0)) this.push(label, xds);
        return;
      default:
        break;
    }
    this.emit(event);
  }

  private cached(): NonNullable<LiveMesh['cache']> {
    if (this.cache?.session !== this.current) this.cache = { session: this.current };
    return this.cache;
  }
}

function wireSecurity(xds: MeshXds): Map<string, boolean> {
  const wires = new Map<string, boolean>();
  for (const [caller, proxy] of Object.entries(xds.proxies)) {
    for (const cluster of Object.values(proxy.clusters)) {
      for (const ep of cluster.endpoints) {
        const mtls = cluster.tls.mode === 'ISTIO_MUTUAL' && (!cluster.tls.auto || ep.sidecar);
        const key = `${caller}>${ep.pod}`;
        // Subsets of one Service normally agree; where they do not, the wire is mTLS only if every cluster to the pod is.
        wires.set(key, (wires.get(key) ?? true) && mtls);
      }
    }
  }
  return wires;
}

/**
 * What differs between two scenarios in what only a new mesh can take:
 * workloads, pods, Services, app behaviour, traffic, seed, costs. Where
 * things were written (`source`) is left out, and so is the timeline (its
 * entries are the story, not the mesh).
 */
function workloadChange(before: Scenario, after: Scenario): string | undefined {
  const facts = (s: Scenario) => {
    const { workloads, traffic, seed, flavor, costs, controlPlane } = s.simulation;
    return { workloads: s.workloads, pods: s.pods, services: s.services, apps: workloads, traffic, seed, flavor, costs, controlPlane };
  };
  const a = facts(before);
  const b = facts(after);
  const changed = (Object.keys(a) as Array<keyof typeof a>).filter((k) => JSON.stringify(a[k], withoutSource) !== JSON.stringify(b[k], withoutSource));
  return changed.length > 0 ? changed.join(', ') : undefined;
}

function withoutSource(key: string, value: unknown): unknown {
  return key === 'source' ? undefined : value;
}

/** Opens a live mesh on a loaded session. */
export function openLive(session: Session, options: LiveOptions): LiveMesh {
  return new LiveMesh(session, options);
}
