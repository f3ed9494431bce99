import { Simulation } from '../../engine/index.ts';
import type { ClusterView, ConfigChange, ControlPlaneView, PodView, SendSpec } from '../../engine/index.ts';
import { canaryRoutes, diagnostic, meshMtlsMode } from '../../istio/index.ts';
import type { CanaryRoute, DocRef, LoadOptions, MtlsMode, SourceFile } from '../../istio/index.ts';
import type { Diagnostic, FailureMode, MeshEvent, MeshXds, Micros, RunTelemetry, Scenario } from '../../model/index.ts';
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
  /** How the files are loaded again on every change (as the session was opened: `simulationFile`). */
  load?: LoadOptions;
  /** Istio-shaped outputs of the mesh (its live metrics), told what happens without events (`RunTelemetry`). */
  telemetry?: RunTelemetry;
}

export type ChangeResult =
  /** Accepted: pushed to every proxy after the push delay, or queued while istiod is down. */
  | { ok: true; queued: boolean }
  /** Refused: the documents and the mesh stay as they were. */
  | { ok: false; diagnostics: Diagnostic[] };

/** mTLS on the wire from a caller's sidecar to a pod: undefined when that sidecar has no cluster reaching the pod. */
export interface WireMtls {
  get(caller: string, pod: string): boolean | undefined;
  /** Whether TLS crosses the wire from the caller's proxy to the pod without being mesh mTLS: a DestinationRule's SIMPLE or MUTUAL, or the client's own TLS a TCP proxy passes through, on every cluster its routes reach it by. */
  tls(caller: string, pod: string): boolean;
}

/** istiod as the visualizer shows it (the engine's control plane, as a read model). */
export type { ControlPlaneView } from '../../engine/index.ts';

/**
 * One running mesh: the simulation, the control plane and the current
 * documents. Every change — a slider, the mTLS control, an edited or added
 * document, a timeline action of the story — goes through `change`: the
 * documents are edited, loaded and compiled through the one loading path,
 * and the new config reaches the proxies after the push delay, as
 * `config.change` / `config.push` events say (while istiod is down it waits).
 *
 * Every push goes through the engine's control plane: the story's timeline
 * changes (this session is the `reconfigure` they call, so they land on the
 * current documents too) and edits from the controls (`pushConfig`) share
 * one version sequence, one push delay and istiod's one state.
 */
export class LiveMesh {
  /** The session as opened: what "changed" is measured against. */
  readonly base: Session;
  private current: Session;
  private readonly sim: Simulation;
  private cache: { session: Session; routes?: CanaryRoute[]; documents?: LiveDocument[] } | undefined;
  private wireCache: { xds: MeshXds; wires: WireMtls } | undefined;
  private readonly load: LoadOptions;

  constructor(session: Session, options: LiveOptions) {
    this.base = options.base ?? session;
    this.current = session;
    this.load = options.load ?? {};
    this.sim = new Simulation({
      scenario: session.scenario,
      xds: session.xds,
      resolve: session.resolve,
      sink: options.sink,
      telemetry: options.telemetry,
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
    return this.sim.controlPlaneView().up;
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
    const queued = !this.controlPlaneUp;
    this.sim.pushConfig(compiled.label, compiled.session.xds);
    return { ok: true, queued };
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
    return this.sim.idle && !this.pushPending;
  }

  /** A push is on its way to the proxies. */
  get pushPending(): boolean {
    return this.sim.controlPlaneView().pushing !== undefined;
  }

  /** The control plane as a view shows it: istiod up or down, the next push and when it lands, changes waiting for istiod, the last push. */
  controlPlane(): ControlPlaneView {
    return this.sim.controlPlaneView();
  }

  send(spec: SendSpec): number {
    return this.sim.send(spec);
  }

  scheduleScenario(): void {
    this.sim.scheduleScenario();
  }

  /** When the mesh next has something to do (a push landing is one of the engine's tasks). */
  nextTaskTime(): Micros | undefined {
    return this.sim.nextTaskTime();
  }

  /** Runs everything due at or before `t`. */
  runUntil(t: Micros): void {
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
   * Whether a caller's sidecar talks mTLS to a pod, as the proxies are
   * configured now (after the last push): ISTIO_MUTUAL, and under auto-mTLS
   * only to a pod with a sidecar (what the engine does per connection), on
   * the clusters the caller's own calls take to the pod where they reach it
   * (`callerWires`). Callers without a sidecar are not in it: they talk
   * plaintext.
   */
  wires(): WireMtls {
    const pushed = this.sim.config;
    if (this.wireCache?.xds !== pushed) this.wireCache = { xds: pushed, wires: new WireSecurity(pushed, (caller) => calledHosts(this.current, caller)) };
    return this.wireCache.wires;
  }

  // --- inside ----------------------------------------------------------------

  private compile(change: LiveChange): { ok: true; session: Session; label: string } | { ok: false; diagnostics: Diagnostic[] } {
    const edited = editDocuments(this.current.files, this.current.scenario, change);
    if (!edited.ok) return edited;
    const opened = openSession(edited.files, this.load);
    if (!opened.ok) {
      // A change to workloads is refused whatever else it breaks: that is the reason to give first.
      const touched = workloadKindsTouched(change);
      return touched ? { ok: false, diagnostics: [diagnostic('LiveWorkloadsChanged', {}, { what: touched }), ...opened.diagnostics] } : opened;
    }
    const moved = workloadChange(this.base.scenario, opened.session.scenario);
    if (moved) return { ok: false, diagnostics: [diagnostic('LiveWorkloadsChanged', {}, { what: moved })] };
    return { ok: true, session: opened.session, label: edited.label };
  }

  /** The engine's control plane calls this for the timeline's `apply`/`delete`: the change lands on the current documents. */
  private reconfigure(change: ConfigChange): { xds: MeshXds } | { error: string } {
    const compiled = this.compile({ kind: 'timeline', change });
    if (!compiled.ok) return { error: compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}${d.path ? ` (${d.path})` : ''}`).join('; ') };
    this.current = compiled.session;
    return { xds: compiled.session.xds };
  }

  private cached(): NonNullable<LiveMesh['cache']> {
    if (this.cache?.session !== this.current) this.cache = { session: this.current };
    return this.cache;
  }
}

/**
 * mTLS per caller-to-pod pair, worked out for one caller the first time a
 * wire from it is asked about: a mesh of thousands of pods, each sidecar with
 * a cluster per Service, has millions of pairs, and the picture draws a few.
 */
class WireSecurity implements WireMtls {
  private readonly byCaller = new Map<string, { mtls: Map<string, boolean>; tls: Map<string, boolean> }>();

  constructor(
    private readonly xds: MeshXds,
    /** The `host:port` of each virtual host the caller's app (or traffic from it) sends to. */
    private readonly called: (caller: string) => string[],
  ) {}

  get(caller: string, pod: string): boolean | undefined {
    return this.of(caller).mtls.get(pod);
  }

  tls(caller: string, pod: string): boolean {
    return this.of(caller).tls.get(pod) === true;
  }

  private of(caller: string): { mtls: Map<string, boolean>; tls: Map<string, boolean> } {
    let wires = this.byCaller.get(caller);
    if (!wires) this.byCaller.set(caller, (wires = callerWires(this.xds.proxies[caller], this.called(caller))));
    return wires;
  }
}

/**
 * A caller's wires to each pod its clusters reach. A pod the caller's own
 * calls reach (through the routes of the virtual hosts in `called`) is
 * judged by those clusters alone: a caller may hold clusters of other
 * ports to the same pod with other settings (an egress gateway's port 80
 * next to the ISTIO_MUTUAL port 443 its route sends to), which its requests
 * never take. Any other pod is judged by every cluster that reaches it.
 * Subsets of one Service normally agree; where they do not, the wire is
 * mTLS (or TLS) only if every cluster judged is.
 */
function callerWires(proxy: MeshXds['proxies'][string] | undefined, called: readonly string[]): { mtls: Map<string, boolean>; tls: Map<string, boolean> } {
  const wires = new Map<string, boolean>();
  const tls = new Map<string, boolean>();
  if (!proxy) return { mtls: wires, tls };
  // The clusters the proxy's routes send to: TLS origination is told from those (a Service's other ports have clusters too);
  // a TCP proxy that passes its client's TLS through carries TLS as well.
  const routed = new Set<string>();
  const passedThrough = new Set<string>();
  for (const vhost of Object.values(proxy.virtualHosts)) {
    for (const cluster of routeClusters(vhost)) {
      routed.add(cluster);
      if (vhost.clientTls) passedThrough.add(cluster);
    }
  }
  const used = new Set<string>();
  for (const key of called) for (const cluster of routeClusters(proxy.virtualHosts[key])) used.add(cluster);
  const usedPods = new Set<string>();
  for (const name of used) for (const ep of proxy.clusters[name]?.endpoints ?? []) usedPods.add(ep.pod);
  for (const cluster of Object.values(proxy.clusters)) {
    // PassthroughCluster lists whatever an address may reach; which wire a request takes is decided per request.
    if (cluster.originalDestination) continue;
    for (const ep of cluster.endpoints) {
      if (usedPods.has(ep.pod) && !used.has(cluster.name)) continue;
      const mtls = cluster.tls.mode === 'ISTIO_MUTUAL' && (!cluster.tls.auto || ep.sidecar);
      wires.set(ep.pod, (wires.get(ep.pod) ?? true) && mtls);
      if (routed.has(cluster.name)) tls.set(ep.pod, (tls.get(ep.pod) ?? true) && (cluster.tls.mode === 'SIMPLE' || cluster.tls.mode === 'MUTUAL' || passedThrough.has(cluster.name)));
    }
  }
  return { mtls: wires, tls };
}

function routeClusters(vhost: MeshXds['proxies'][string]['virtualHosts'][string] | undefined): string[] {
  const clusters: string[] = [];
  for (const route of vhost?.routes ?? []) if (route.action.kind === 'route') for (const { cluster } of route.action.clusters) clusters.push(cluster);
  return clusters;
}

/** The virtual hosts (`host:port`) a pod's sidecar sends its app's calls and the scenario's traffic from its workload to. */
function calledHosts(session: Session, caller: string): string[] {
  const { scenario } = session;
  const pod = scenario.pods.find((p) => p.name === caller);
  if (!pod) return [];
  const targets = [
    ...(scenario.simulation.workloads[pod.workload]?.calls ?? []),
    ...scenario.simulation.traffic.filter((t) => t.from === pod.workload),
  ];
  const keys: string[] = [];
  for (const { host, port } of targets) {
    const target = session.resolve(pod.namespace, host, port);
    if (target) keys.push(`${target.host}:${target.port}`);
  }
  return keys;
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

/** What of the workloads (`workloadChange`'s words) a change's documents apply or delete, if any: read from their kinds, for a change whose result does not load. */
function workloadKindsTouched(change: LiveChange): string | undefined {
  const refs = change.kind === 'apply' ? change.documents.map((d) => d.ref) : change.kind === 'document' ? [change.ref] : [];
  const what = new Set(refs.map((r) => WORKLOAD_KINDS[r.kind]).filter((w) => w !== undefined));
  return what.size > 0 ? [...what].join(', ') : undefined;
}

const WORKLOAD_KINDS: Readonly<Record<string, string>> = { Deployment: 'workloads', StatefulSet: 'workloads', Pod: 'pods', Service: 'services' };

function withoutSource(key: string, value: unknown): unknown {
  return key === 'source' ? undefined : value;
}

/** Opens a live mesh on a loaded session. */
export function openLive(session: Session, options: LiveOptions): LiveMesh {
  return new LiveMesh(session, options);
}
