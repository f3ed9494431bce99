import type { SendSpec } from '../../api/index.ts';
import type { MeshEvent, Micros } from '../../model/index.ts';
import type { SidecarLookup } from './Place.ts';
import { SendPlan } from './SendPlan.ts';
import type { SimPort } from './SimPort.ts';
import type { Stop, Track } from './Track.ts';
import { TrackBook } from './TrackBook.ts';

export interface DriverOptions {
  sidecarOf: SidecarLookup;
  /**
   * How far (virtual µs) the engine runs ahead of the picture while requests
   * are in flight, so every movement's end is known when it starts. Longer
   * than any one hop; a click on Send during that window starts at its end.
   */
  lookahead: Micros;
}

const EPS = 1e-6;
/** How long (virtual µs) a finished request stays drawable for stepping back before it is forgotten. */
const KEEP: Micros = 2_000_000;

/**
 * Plays the engine's event stream back over display time. The engine only
 * runs as far as the picture needs (plus `lookahead`), so a request sent
 * between two moments starts exactly at the moment shown, and the engine's
 * state matches what is drawn. The picture's time τ is virtual time itself
 * (µs, fractional between moments): how fast it passes is the speed factor
 * alone, so at 1× a simulated millisecond takes a millisecond.
 */
export class PlaybackDriver {
  readonly book: TrackBook;
  /** Virtual time shown (µs, fractional). */
  tau = 0;
  /** The last moment the engine has been run to (never after the picture by more than `lookahead`). */
  private committed: Micros = 0;
  /** Playing the scenario's own traffic and timeline (`scheduleScenario`). */
  story = false;
  private sim: SimPort | undefined;
  private readonly sends = new SendPlan();
  private pending: Array<{ tau: number; event: MeshEvent }> = [];
  private pendingHead = 0;
  private readonly listeners: Array<(event: MeshEvent, tau: number) => void> = [];
  private featureNext = false;
  private seq = 0;

  constructor(private readonly options: DriverOptions) {
    this.book = new TrackBook(options.sidecarOf);
  }

  /** The engine's sink: every event passes through here the moment the engine emits it. */
  readonly ingest = (event: MeshEvent): void => {
    const tau = event.t;
    this.pending.push({ tau, event });
    this.book.add(event, tau, ++this.seq);
    // The story's traffic starts inside the engine: feature its requests one after another.
    if (this.story && event.kind === 'request.start' && event.origin.kind === 'traffic') this.book.offerFeatured(event.requestId);
  };

  attach(sim: SimPort): void {
    this.sim = sim;
  }

  /** Called with each event once the picture has reached it. */
  onReveal(listener: (event: MeshEvent, tau: number) => void): void {
    this.listeners.push(listener);
  }

  get tracks(): Map<number, Track> {
    return this.book.tracks;
  }

  get featuredRoot(): number | undefined {
    return this.book.featuredRoot;
  }

  /** Changes whenever the engine emits an event (with τ, it tells whether the picture needs redrawing). */
  get revision(): number {
    return this.seq;
  }

  /** Virtual time shown now. */
  get now(): Micros {
    return this.tau;
  }

  get autoRunning(): boolean {
    return this.sends.autoRunning;
  }

  /** Sends `count` requests, `spacing` apart, starting at the moment shown; the first becomes the featured one. */
  send(spec: SendSpec, count = 1, spacing: Micros = 2_000): void {
    const at = this.sendTime();
    for (let i = 0; i < count; i++) this.sends.schedule(at + i * spacing, spec);
    this.featureNext = true;
    this.runEngineTo(at);
    this.reveal();
  }

  /** Starts (or, with `undefined`, stops) sending `spec` at `rate` requests per virtual second. */
  setAuto(spec: SendSpec | undefined, rate = 10): void {
    this.sends.setAuto(spec, rate, spec ? this.sendTime() : 0);
  }

  /** Schedules the scenario's own traffic and timeline in the engine (from its time 0: call it on a fresh simulation). */
  playStory(): void {
    this.engine().scheduleScenario();
    this.story = true;
  }

  /** The story has started and the engine has nothing of it left to do. */
  get storyOver(): boolean {
    return this.story && this.engine().idle;
  }

  /** Moves the picture forward to display time `target` (never backwards). */
  moveTo(target: number): void {
    for (;;) {
      if (target <= this.committed) break;
      const planned = this.busy() || this.engine().anyEjected() ? this.nextPlanned() : undefined;
      if (planned === undefined) {
        // Nothing to watch (no request, no send, no story left, no ejection running out): the clock
        // stands still rather than race through background timers such as certificate rotation.
        target = Math.max(this.tau, this.committed);
        break;
      }
      if (planned > target) break;
      this.commitAt(planned);
    }
    this.tau = Math.max(this.tau, target);
    this.reveal();
    if (this.busy()) this.runEngineTo(Math.floor(this.now) + this.options.lookahead);
  }

  /** Steps the picture to the featured request's next stop; returns it, or undefined at the end. */
  stepForward(): Stop | undefined {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const next = this.book.featuredStops().find((s) => s.tau > this.tau + EPS);
      if (next) {
        this.moveTo(next.tau);
        return next;
      }
      if (this.book.featuredDone()) return undefined;
      const planned = this.nextPlanned();
      if (planned === undefined) return undefined;
      this.commitAt(planned);
    }
    return undefined;
  }

  /** Steps back to the featured request's previous stop (the engine stays where it is). */
  stepBack(): Stop | undefined {
    const stops = this.book.featuredStops().filter((s) => s.tau < this.tau - EPS);
    const prev = stops[stops.length - 1];
    if (prev) this.tau = prev.tau;
    return prev;
  }

  /** Where the featured request is in the picture now (what the dot shows, in play as in step mode). */
  currentStop(): Stop | undefined {
    return this.book.featuredAt(this.tau);
  }

  /** Lets `micros` of virtual time pass on screen at once (ejections run out, timers fire, the story moves on). */
  advance(micros: Micros): void {
    const target = Math.floor(this.now) + micros;
    this.runEngineTo(target);
    this.tau = Math.max(this.tau, target);
    this.reveal();
  }

  /** Every request already sent runs to its end and the picture catches up; Auto stops. */
  finish(): void {
    this.sends.setAuto(undefined, 0, 0);
    const sim = this.engine();
    for (let guard = 0; guard < 10_000_000 && (sim.inFlight > 0 || this.sends.waiting > 0); guard++) {
      const planned = this.nextPlanned();
      if (planned === undefined) break;
      this.commitAt(planned);
    }
    this.tau = Math.max(this.tau, this.committed);
    this.reveal();
  }

  /** Requests the picture shows under way right now (the engine may already be a little ahead). */
  inFlightShown(): number {
    return this.book.inFlightAt(this.tau);
  }

  /** Forgets finished requests nobody can step back to. */
  prune(): void {
    this.book.forgetBefore(this.tau - KEEP);
    if (this.pendingHead > 4_096) {
      this.pending = this.pending.slice(this.pendingHead);
      this.pendingHead = 0;
    }
  }

  /** A send asked for now starts at the moment shown, or where the engine already is. */
  private sendTime(): Micros {
    return Math.max(Math.floor(this.now), this.engine().now);
  }

  private busy(): boolean {
    const sim = this.engine();
    return sim.inFlight > 0 || this.sends.waiting > 0 || this.sends.autoRunning || sim.pushPending || (this.story && !sim.idle);
  }

  private nextPlanned(): Micros | undefined {
    const sim = this.engine();
    const task = sim.nextTaskTime();
    const send = this.sends.nextAt();
    const next = task === undefined ? send : send === undefined ? task : Math.min(task, send);
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

  /** Runs the engine's tasks and the sends due at `t`. */
  private commitAt(t: Micros): void {
    const sim = this.engine();
    if (t < this.committed) throw new Error(`playback runs the engine forwards only: ${t} < ${this.committed}`);
    this.committed = t;
    sim.runUntil(t);
    for (const { id, auto } of this.sends.runDue(t, (spec) => sim.send(spec))) {
      if (auto) this.book.offerFeatured(id);
      else if (this.featureNext) {
        this.book.featuredRoot = id;
        this.featureNext = false;
      }
    }
  }

  private reveal(): void {
    while (this.pendingHead < this.pending.length) {
      const item = this.pending[this.pendingHead] as { tau: number; event: MeshEvent };
      if (item.tau > this.tau + EPS) break;
      this.pendingHead += 1;
      for (const listener of this.listeners) listener(item.event, item.tau);
    }
  }

  private engine(): SimPort {
    if (!this.sim) throw new Error('PlaybackDriver: attach a simulation first');
    return this.sim;
  }
}
