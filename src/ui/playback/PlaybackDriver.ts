import type { SendSpec } from '../../engine/index.ts';
import type { MeshEvent, Micros } from '../../model/index.ts';
import { placeOfEvent } from './Place.ts';
import type { SidecarLookup } from './Place.ts';
import type { SimPort } from './SimPort.ts';
import { Timeline } from './Timeline.ts';
import { Track } from './Track.ts';
import type { Stop } from './Track.ts';

export interface DriverOptions {
  sidecarOf: SidecarLookup;
  /**
   * How far (virtual µs) the engine runs ahead of the picture while requests
   * are in flight, so every movement's end is known when it starts. Longer
   * than any one hop; a click on Send during that window starts at its end.
   */
  lookahead: Micros;
}

interface Scheduled {
  at: Micros;
  spec: SendSpec;
}

const EPS = 1e-6;
/** How long (beats) a finished request stays drawable for stepping back before it is forgotten. */
const KEEP_BEATS = 50_000;

/**
 * Plays the engine's event stream back over display time. The engine only
 * runs as far as the picture needs (plus `lookahead`), so a request sent
 * between two moments starts exactly at the moment shown, and the engine's
 * state matches what is drawn. Display time τ maps to virtual time through
 * the `Timeline` warp.
 */
export class PlaybackDriver {
  readonly timeline = new Timeline();
  readonly tracks = new Map<number, Track>();
  tau = 0;
  featuredRoot: number | undefined;
  private sim: SimPort | undefined;
  private scheduled: Scheduled[] = [];
  private auto: { spec: SendSpec; interval: Micros; next: Micros } | undefined;
  private pending: Array<{ tau: number; event: MeshEvent }> = [];
  private pendingHead = 0;
  private readonly listeners: Array<(event: MeshEvent, tau: number) => void> = [];
  private readonly lastPick = new Map<string, number>();
  private featureNext = false;
  private seq = 0;

  constructor(private readonly options: DriverOptions) {}

  /** The engine's sink: every event passes through here the moment the engine emits it. */
  readonly ingest = (event: MeshEvent): void => {
    const tau = this.timeline.tauAt(event.t);
    const seq = ++this.seq;
    this.pending.push({ tau, event });
    if (event.requestId > 0) this.trackOf(event).add(event, tau, placeOfEvent(event, this.options.sidecarOf), seq);
    else if (event.kind === 'conn.open' || event.kind === 'conn.refused') this.attributeConnection(event, tau, seq);
    if (event.kind === 'lb.pick' && event.where.kind === 'sidecar') this.lastPick.set(`${event.where.pod}|${event.endpoint}`, event.requestId);
  };

  attach(sim: SimPort): void {
    this.sim = sim;
  }

  /** Called with each event once the picture has reached it. */
  onReveal(listener: (event: MeshEvent, tau: number) => void): void {
    this.listeners.push(listener);
  }

  /** Virtual time shown now. */
  get now(): Micros {
    return this.timeline.timeAt(this.tau);
  }

  get autoRunning(): boolean {
    return this.auto !== undefined;
  }

  /** Sends `count` requests, `spacing` apart, starting at the moment shown; the first becomes the featured one. */
  send(spec: SendSpec, count = 1, spacing: Micros = 2_000): void {
    const sim = this.engine();
    const at = Math.max(Math.floor(this.now), sim.now);
    for (let i = 0; i < count; i++) this.schedule(at + i * spacing, spec);
    this.featureNext = true;
    this.runEngineTo(at);
    this.reveal();
  }

  /** Starts (or, with `undefined`, stops) sending `spec` at `rate` requests per virtual second. */
  setAuto(spec: SendSpec | undefined, rate = 10): void {
    if (!spec || rate <= 0) {
      this.auto = undefined;
      return;
    }
    const interval = Math.max(1, Math.round(1_000_000 / rate));
    const next = this.auto?.next ?? Math.max(Math.floor(this.now), this.engine().now);
    this.auto = { spec, interval, next };
  }

  /** Moves the picture forward to display time `target` (never backwards). */
  moveTo(target: number): void {
    for (;;) {
      if (target <= this.timeline.lastTau) break;
      const planned = this.nextPlanned();
      if (planned === undefined) {
        // Nothing will happen: the clock stands still rather than run past the last moment.
        target = Math.max(this.tau, this.timeline.lastTau);
        break;
      }
      if (this.timeline.tauAt(planned) > target) break;
      this.commitAt(planned);
    }
    this.tau = Math.max(this.tau, target);
    this.reveal();
    if (this.busy()) this.runEngineTo(Math.floor(this.now) + this.options.lookahead);
  }

  /** Steps the picture to the featured request's next stop; returns it, or undefined at the end. */
  stepForward(): Stop | undefined {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const next = this.featuredStops().find((s) => s.tau > this.tau + EPS);
      if (next) {
        this.moveTo(next.tau);
        return next;
      }
      if (this.featuredDone()) return undefined;
      const planned = this.nextPlanned();
      if (planned === undefined) return undefined;
      this.commitAt(planned);
    }
    return undefined;
  }

  /** Steps back to the featured request's previous stop (the engine stays where it is). */
  stepBack(): Stop | undefined {
    const stops = this.featuredStops().filter((s) => s.tau < this.tau - EPS);
    const prev = stops[stops.length - 1];
    if (prev) this.tau = prev.tau;
    return prev;
  }

  /** The featured request's stop the picture is at (the last one reached). */
  currentStop(): Stop | undefined {
    const reached = this.featuredStops().filter((s) => s.tau <= this.tau + EPS);
    return reached[reached.length - 1];
  }

  /** Lets `micros` of virtual time pass on screen at once (ejections run out, timers fire). */
  advance(micros: Micros): void {
    const target = Math.floor(this.now) + micros;
    for (let guard = 0; guard < 10_000_000; guard++) {
      const planned = this.nextPlanned();
      if (planned === undefined || planned > target) break;
      this.commitAt(planned);
    }
    this.tau = Math.max(this.tau, this.timeline.tauAt(target));
    this.reveal();
  }

  /** Every request already sent runs to its end and the picture catches up; Auto stops. */
  finish(): void {
    this.auto = undefined;
    const sim = this.engine();
    for (let guard = 0; guard < 10_000_000 && (sim.inFlight > 0 || this.scheduled.length > 0); guard++) {
      const planned = this.nextPlanned();
      if (planned === undefined) break;
      this.commitAt(planned);
    }
    this.tau = Math.max(this.tau, this.timeline.lastTau);
    this.reveal();
  }

  /** Requests the picture shows under way right now (the engine may already be a little ahead). */
  inFlightShown(): number {
    let n = 0;
    for (const t of this.tracks.values()) if (t.startTau <= this.tau && (t.endTau === undefined || t.endTau > this.tau)) n += 1;
    return n;
  }

  /** The featured request and the requests its apps made for it, in start order. */
  featuredTracks(): Track[] {
    const root = this.featuredRoot;
    if (root === undefined) return [];
    const out: Track[] = [];
    for (const track of this.tracks.values()) if (track.rootId === root) out.push(track);
    return out.sort((a, b) => a.startTau - b.startTau || a.id - b.id);
  }

  featuredStops(): Stop[] {
    return this.featuredTracks()
      .flatMap((t) => t.stops())
      .sort((a, b) => a.tau - b.tau);
  }

  featuredDone(): boolean {
    return this.featuredRoot !== undefined && this.tracks.get(this.featuredRoot)?.done === true;
  }

  /** Forgets finished requests and old timeline knots nobody can step back to. */
  prune(): void {
    const horizon = this.tau - KEEP_BEATS;
    for (const [id, track] of this.tracks) {
      if (track.rootId !== this.featuredRoot && track.endTau !== undefined && track.endTau < horizon) this.tracks.delete(id);
    }
    const featuredStart = this.featuredRoot === undefined ? Infinity : (this.tracks.get(this.featuredRoot)?.startTau ?? Infinity);
    this.timeline.pruneBefore(Math.min(horizon, featuredStart));
    if (this.pendingHead > 4_096) {
      this.pending = this.pending.slice(this.pendingHead);
      this.pendingHead = 0;
    }
  }

  private busy(): boolean {
    const sim = this.engine();
    return sim.inFlight > 0 || this.scheduled.length > 0 || this.auto !== undefined;
  }

  private nextPlanned(): Micros | undefined {
    const sim = this.engine();
    let next = sim.nextTaskTime();
    const send = this.scheduled[0]?.at;
    if (send !== undefined && (next === undefined || send < next)) next = send;
    const auto = this.auto?.next;
    if (auto !== undefined && (next === undefined || auto < next)) next = auto;
    return next === undefined ? undefined : Math.max(next, sim.now);
  }

  /**
   * Runs the engine through every planned moment up to `t`. Its clock stays
   * at the last moment it ran, so a send between moments starts at the time shown.
   */
  private runEngineTo(t: Micros): void {
    for (;;) {
      const planned = this.nextPlanned();
      if (planned === undefined || planned > t) break;
      this.commitAt(planned);
    }
  }

  /** Makes `t` a moment of the timeline and runs the engine's tasks and the sends due then. */
  private commitAt(t: Micros): void {
    const sim = this.engine();
    this.timeline.commit(t);
    sim.runUntil(t);
    while (this.scheduled.length > 0 && (this.scheduled[0] as Scheduled).at <= t) {
      const { spec } = this.scheduled.shift() as Scheduled;
      const id = sim.send(spec);
      if (this.featureNext) {
        this.featuredRoot = id;
        this.featureNext = false;
      }
    }
    while (this.auto && this.auto.next <= t) {
      const id = sim.send(this.auto.spec);
      this.auto.next += this.auto.interval;
      if (this.featuredRoot === undefined || this.featuredDone()) this.featuredRoot = id;
    }
  }

  private schedule(at: Micros, spec: SendSpec): void {
    let i = this.scheduled.length;
    while (i > 0 && (this.scheduled[i - 1] as Scheduled).at > at) i -= 1;
    this.scheduled.splice(i, 0, { at, spec });
  }

  private reveal(): void {
    while (this.pendingHead < this.pending.length) {
      const item = this.pending[this.pendingHead] as { tau: number; event: MeshEvent };
      if (item.tau > this.tau + EPS) break;
      this.pendingHead += 1;
      for (const listener of this.listeners) listener(item.event, item.tau);
    }
  }

  private trackOf(event: MeshEvent): Track {
    const existing = this.tracks.get(event.requestId);
    if (existing) return existing;
    const parentId = event.kind === 'request.start' && event.origin.kind !== 'traffic' ? event.origin.parentId : undefined;
    const rootId = parentId === undefined ? event.requestId : (this.tracks.get(parentId)?.rootId ?? parentId);
    const track = new Track(event.requestId, rootId, parentId);
    this.tracks.set(event.requestId, track);
    return track;
  }

  /**
   * Connection events carry no request id; the attempt that caused one is
   * the latest pick of that endpoint by that sidecar.
   */
  private attributeConnection(event: Extract<MeshEvent, { kind: 'conn.open' | 'conn.refused' }>, tau: number, seq: number): void {
    if (event.where.kind !== 'sidecar') return;
    const id = this.lastPick.get(`${event.where.pod}|${event.endpoint}`);
    const track = id === undefined ? undefined : this.tracks.get(id);
    if (track && !track.done) track.add(event, tau, undefined, seq);
  }

  private engine(): SimPort {
    if (!this.sim) throw new Error('PlaybackDriver: attach a simulation first');
    return this.sim;
  }
}
