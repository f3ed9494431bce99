import type { FailureMode, FailureTarget, RunCounters, RunTelemetry, MeshEvent, MeshXds, Micros, ProxyXds, Scenario } from '../../model/index.ts';
import { onAppCallTimeout, onAppReceive, onAppReset, onAppRespond, onAppWork, onChildDone } from './app.ts';
import { onDirect, onDirectResponse } from './direct.ts';
import { onServerArrive, onServerResponse } from './inbound.ts';
import { onAfterFault, onOutbound } from './outbound.ts';
import { onWaypointArrive, onZtunnelOutbound, onZtunnelReturn } from './ambient.ts';
import { applyXds, changeConfig, controlPlaneView, createControlPlane, issueInitialCertificates, onConfigPush, pushConfig, renewCertificate, setControlPlane } from './controlPlane.ts';
import type { ControlPlaneState, ControlPlaneView, Reconfigure } from './controlPlane.ts';
import { onOutlierTick } from './outlierTicks.ts';
import { onFailFastWake } from './failFast.ts';
import { closeConnectionsTo } from './pool.ts';
import { deliverRequest, watching, emitMesh } from './request.ts';
import { onAttemptOutcome, onPerTryTimeout, REMOTE_RESET, responseOutcome } from './response.ts';
import { onRetryFire, onRouteTimeout } from './router.ts';
import { RESET, Task } from './Task.ts';
import type { AppCallTimeout, OutlierTickTarget, PerTryTimeout, RouteTimeout, SidecarAnswer, TaskKind, TaskPayload } from './Task.ts';
import { newProxy, newWorld } from './newWorld.ts';
import { reviveSnapshot, takeSnapshot } from './snapshot.ts';
import type { SimulationSnapshot } from './snapshot.ts';
import { anyEjected, clusterViews, podView } from './views.ts';
import type { ClusterView, PodView } from './views.ts';
import { timerFires } from './timers.ts';
import { onTrafficRequestEnd, onTrafficTick, scheduleTraffic, sendRequest, targetPods, trafficRuntime } from './traffic.ts';
import type { SendSpec, TrafficRuntime } from './traffic.ts';
import { onConnReady, onConnRefused } from './wire.ts';
import type { AddressResolver, PodRuntime, World } from './World.ts';

export interface SimulationOptions {
  scenario: Scenario;
  xds: MeshXds;
  resolve: AddressResolver;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Sees every event; without it the engine builds no event objects. */
  sink?: (event: MeshEvent) => void;
  /** Counts what a report needs without events (see `RunCounters`). */
  counters?: RunCounters;
  /** Istio-shaped outputs fed without events (see `RunTelemetry`). */
  telemetry?: RunTelemetry;
  /** Recompiles the mesh for timeline `apply`/`delete` changes (the api layer provides it). */
  reconfigure?: Reconfigure;
}

/**
 * The data plane: a deterministic discrete-event simulation of the mesh.
 * Same scenario, config and seed ⇒ the same event stream, in Node and in
 * the browser. Time only moves when the caller runs it.
 */
export class Simulation {
  private readonly w: World;
  private readonly traffic: TrafficRuntime[];
  private readonly controlPlane: ControlPlaneState = createControlPlane();
  /** Scheduled timeline actions that have not happened yet. */
  private timelineLeft = 0;
  private readonly reconfigure: Reconfigure | undefined;

  /** A new simulation; with `from`, one that continues a snapshot (see `restore`). */
  constructor(options: SimulationOptions, from?: SimulationSnapshot) {
    this.reconfigure = options.reconfigure;
    if (from) {
      const restored = reviveSnapshot(from);
      this.w = { ...restored.world, emit: options.sink, counters: options.counters, telemetry: options.telemetry, tallies: undefined, resolve: options.resolve, listeners: [] };
      this.traffic = restored.traffic;
      this.controlPlane = restored.controlPlane;
      this.timelineLeft = restored.timelineLeft;
    } else {
      this.w = newWorld(options);
      issueInitialCertificates(this.w);
      this.traffic = options.scenario.simulation.traffic.map(trafficRuntime);
    }
    this.w.listeners.push(
      (req) => onChildDone(this.w, req),
      (req) => onTrafficRequestEnd(this.w, this.traffic, req),
    );
  }

  /**
   * A simulation that goes on from a snapshot: run it like the one the
   * snapshot was taken from and it emits the same stream from there on.
   * The session's resolver and control plane come from `options`; so do the
   * readers (sink, counters), which see only what happens after the restore.
   */
  static restore(snapshot: SimulationSnapshot, options: Omit<SimulationOptions, 'scenario' | 'xds' | 'seed'>): Simulation {
    return new Simulation({ ...options, scenario: snapshot.world.scenario, xds: snapshot.world.xds }, snapshot);
  }

  /** The whole state now, as data (see `SimulationSnapshot`); the simulation goes on unchanged. */
  snapshot(): SimulationSnapshot {
    return takeSnapshot(this.w, this.traffic, this.controlPlane, this.timelineLeft);
  }

  get now(): Micros {
    return this.w.now;
  }

  /** Events emitted so far, or that would have been with a sink. */
  get eventCount(): number {
    return this.w.eventCount;
  }

  /** Requests started and not yet answered. */
  get inFlight(): number {
    return this.w.inFlight;
  }

  /** Schedules the scenario's own traffic and timeline. */
  scheduleScenario(): void {
    scheduleTraffic(this.w, this.traffic);
    this.w.scenario.simulation.timeline.forEach((entry, index) => this.w.queue.push(entry.at, Task.timeline, index));
    this.timelineLeft += this.w.scenario.simulation.timeline.length;
  }

  /** Starts one request at the current virtual time and returns its id. */
  send(spec: SendSpec): number {
    return sendRequest(this.w, spec).id;
  }

  /** Marks pods failing now (what the timeline's `fail` does). */
  fail(target: FailureTarget, mode: FailureMode, delay: Micros = 0): string[] {
    const pods = targetPods(this.w, target);
    for (const pod of pods) (this.w.pods[pod] as PodRuntime).failure = { mode, delay };
    if (mode === 'refuse') closeConnectionsTo(this.w, pods);
    if (watching(this.w)) emitMesh(this.w, { t: this.w.now, requestId: 0, attempt: 0, where: { kind: 'mesh' }, kind: 'timeline.fail', pods, mode });
    return pods;
  }

  recover(target: FailureTarget): string[] {
    const pods = targetPods(this.w, target);
    // Unset, not deleted: the pod keeps its shape (newWorld.ts).
    for (const pod of pods) (this.w.pods[pod] as PodRuntime).failure = undefined;
    if (watching(this.w)) emitMesh(this.w, { t: this.w.now, requestId: 0, attempt: 0, where: { kind: 'mesh' }, kind: 'timeline.recover', pods });
    return pods;
  }

  /**
   * Config compiled outside the timeline (an edit in the visualizer) goes
   * the timeline's way: a new version, `config.change` now, the proxies get
   * it after the push delay (`config.push`); while istiod is down it waits
   * and goes out when istiod is back.
   */
  pushConfig(label: string, xds: MeshXds): void {
    pushConfig(this.w, this.controlPlane, label, xds);
  }

  /** istiod as a view shows it: up or down, the next push and when it lands, changes waiting, the last push. */
  controlPlaneView(): ControlPlaneView {
    return controlPlaneView(this.controlPlane);
  }

  /** The config the proxies run now (the last push that reached them). */
  get config(): MeshXds {
    return this.w.xds;
  }

  /**
   * Replaces every proxy's config at once, with no push delay and no events
   * (tests and tools that set a mesh up; edits go through `pushConfig`).
   */
  applyConfig(xds: MeshXds): void {
    applyXds(this.w, xds, (pod) => newProxy(this.w.rng, pod, xds.proxies[pod] as ProxyXds));
  }

  /** Runs one queued task. Returns false when the queue is empty. */
  step(): boolean {
    return this.stepUntil(Infinity);
  }

  /** Runs every task due at or before `t`, then sets the clock to `t`. */
  runUntil(t: Micros): void {
    while (this.stepUntil(t)) {
      /* run */
    }
    if (t > this.w.now) this.w.now = t;
  }

  /**
   * Runs until no request is in flight and no traffic is left to start, or
   * until `limit`, or until `eventCount` reaches `maxEvents` (the caller's
   * work budget). Background timers (outlier ticks) alone do not keep it going.
   */
  runUntilIdle(limit: Micros = Number.MAX_SAFE_INTEGER, maxEvents = Infinity): void {
    const w = this.w;
    const queue = w.queue;
    // \`idle\` and \`stepUntil\`, written out: this loop runs once per task.
    while ((w.inFlight !== 0 || w.pendingTraffic !== 0 || this.timelineLeft !== 0) && w.eventCount < maxEvents) {
      const kind = queue.popUntil(limit);
      if (kind === 0) return;
      w.now = queue.time;
      this.dispatch(kind as TaskKind, queue.a, queue.b, queue.payload);
    }
  }

  /** Runs the next task if it is due at or before `limit`. */
  private stepUntil(limit: Micros): boolean {
    const queue = this.w.queue;
    const kind = queue.popUntil(limit);
    if (kind === 0) return false;
    this.w.now = queue.time;
    this.dispatch(kind as TaskKind, queue.a, queue.b, queue.payload);
    return true;
  }

  /** Virtual time of the next queued task, if any (the visualizer runs the engine just ahead of the picture). */
  nextTaskTime(): Micros | undefined {
    return this.w.queue.peekTime();
  }

  /** No request in flight, no traffic left to start, no timeline action left. */
  get idle(): boolean {
    return this.w.inFlight === 0 && this.w.pendingTraffic === 0 && this.timelineLeft === 0;
  }

  /** A pod as a view shows it (a copy), or undefined if there is none by that name. */
  pod(name: string): PodView | undefined {
    return podView(this.w, name);
  }

  /** A pod's workload; the name itself for anything that is not a pod (a client outside the mesh). */
  workloadOf(name: string): string {
    return this.w.pods[name]?.pod.workload ?? name;
  }

  /** Whether the pod has a sidecar (and so a client view of clusters). */
  hasSidecar(pod: string): boolean {
    return this.w.proxies[pod] !== undefined;
  }

  /** The clusters a pod's sidecar has used, with gauges and per-endpoint outlier state, as this sidecar sees them. */
  clusters(callerPod: string): ClusterView[] {
    return clusterViews(this.w, callerPod);
  }

  /** Whether any sidecar has an endpoint ejected now. */
  anyEjected(): boolean {
    return anyEjected(this.w);
  }

  /** The engine's own records, read-only: for the engine's invariant tests; views use the read models above. */
  get state(): Readonly<World> {
    return this.w;
  }

  /** Runs one queue entry: `a`, `b` and `payload` mean what `Task.ts` says for its kind. */
  private dispatch(kind: TaskKind, a: number, b: number, payload: TaskPayload | undefined): void {
    const w = this.w;
    // The kinds every request goes through come first, in the order of its life: the cases are compared in
    // source order, so a task of one of them passes fewer comparisons.
    switch (kind) {
      case Task.requestOutbound: {
        const req = w.requests.get(a);
        if (req && !req.done) onOutbound(w, req);
        return;
      }
      case Task.serverArrive:
        return onServerArrive(w, w.attempts.get(a));
      case Task.appReceive:
        return onAppReceive(w, w.servers.get(a));
      case Task.appWork:
        return onAppWork(w, w.servers.get(a));
      case Task.serverRespond: {
        const answer = payload as SidecarAnswer | undefined;
        return onServerResponse(w, w.servers.get(a), b, answer?.flag, answer?.detail);
      }
      case Task.responseArrive: {
        const attempt = w.attempts.get(a);
        if (!attempt) return;
        const detail = (payload as string | undefined) ?? '';
        if (!attempt.sidecar) return onDirectResponse(w, attempt, b === RESET ? 0 : b, detail);
        return onAttemptOutcome(w, attempt, b === RESET ? REMOTE_RESET : responseOutcome(b), detail);
      }
      case Task.requestDeliver: {
        const req = w.requests.get(a);
        if (req) deliverRequest(w, req);
        return;
      }
      case Task.trafficOpen:
        return onTrafficTick(w, this.traffic, a, b);
      case Task.requestAfterFault: {
        const req = w.requests.get(a);
        if (req && !req.done) onAfterFault(w, req);
        return;
      }
      case Task.ztunnelOutbound: {
        const req = w.requests.get(a);
        if (req && !req.done) onZtunnelOutbound(w, req);
        return;
      }
      case Task.waypointArrive: {
        const req = w.requests.get(a);
        if (req && !req.done) onWaypointArrive(w, req);
        return;
      }
      case Task.ztunnelReturn: {
        const req = w.requests.get(a);
        if (req) onZtunnelReturn(w, req);
        return;
      }
      case Task.configPush:
        return onConfigPush(w, this.controlPlane, a);
      case Task.certRotate:
        return renewCertificate(w, this.controlPlane, payload as string);
      case Task.requestDirect: {
        const req = w.requests.get(a);
        if (req && !req.done) onDirect(w, req);
        return;
      }
      case Task.connReady: {
        const conn = w.connections.get(a);
        if (conn) onConnReady(w, conn);
        return;
      }
      case Task.connRefused: {
        const conn = w.connections.get(a);
        const detail = b === 1 ? 'TLS error: the handshake failed (no mTLS peer, or a certificate expired)' : 'connection refused';
        if (conn) onConnRefused(w, conn, (attempt) => onAttemptOutcome(w, attempt, { kind: 'reset', reason: 'connect-failure' }, detail));
        return;
      }
      case Task.appRespond:
        return onAppRespond(w, w.servers.get(a), b);
      case Task.appReset:
        return onAppReset(w, w.servers.get(a));
      case Task.appCallTimeout: {
        const timer = payload as AppCallTimeout;
        if (!timerFires(w, timer)) return;
        return onAppCallTimeout(w, timer.serverId, timer.call, timer.childId);
      }
      case Task.perTryTimeout: {
        const timer = payload as PerTryTimeout;
        if (!timerFires(w, timer)) return;
        return onPerTryTimeout(w, w.attempts.get(timer.attemptId));
      }
      case Task.routeTimeout: {
        const timer = payload as RouteTimeout;
        if (!timerFires(w, timer)) return;
        return onRouteTimeout(w, w.requests.get(timer.requestId));
      }
      case Task.retryFire:
        return onRetryFire(w, w.requests.get(a));
      case Task.outlierTick: {
        const target = payload as OutlierTickTarget;
        const cr = w.proxies[target.proxy]?.clusters[target.cluster];
        if (cr) onOutlierTick(w, target.proxy, cr);
        return;
      }
      case Task.failFastWake: {
        const target = payload as OutlierTickTarget;
        const proxy = w.proxies[target.proxy];
        const cr = proxy?.clusters[target.cluster];
        if (proxy && cr) onFailFastWake(w, proxy, cr);
        return;
      }
      case Task.timeline: {
        this.timelineLeft -= 1;
        const entry = w.scenario.simulation.timeline[a];
        if (!entry) return;
        const action = entry.action;
        switch (action.kind) {
          case 'fail':
            this.fail(action.target, action.mode, action.delay);
            return;
          case 'recover':
            this.recover(action.target);
            return;
          case 'apply':
          case 'delete':
            return changeConfig(w, this.controlPlane, action, this.reconfigure);
          case 'controlPlane':
            return setControlPlane(w, this.controlPlane, action.up, this.reconfigure);
          default: {
            const never: never = action;
            throw new Error(`unknown timeline action ${JSON.stringify(never)}`);
          }
        }
      }
      default: {
        const never: never = kind;
        throw new Error(`unknown task kind ${String(never)}`);
      }
    }
  }
}
