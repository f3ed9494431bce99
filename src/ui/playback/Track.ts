import type { MeshEvent } from '../../model/index.ts';
import { blockOf } from './blocks.ts';
import type { Block } from './blocks.ts';
import { placeKey, placeOwner } from './Place.ts';
import type { Place } from './Place.ts';
import { isErrorEvent, phaseAfter } from './phaseOf.ts';
import type { Phase } from './phaseOf.ts';

/** One drawn moment of a request: where it is from τ on, and how it looks. */
export interface Waypoint {
  tau: number;
  place: Place;
  phase: Phase;
  error: boolean;
  attempt: number;
  /** Whether the request's current connection is mTLS, once it has been on a wire. */
  mtls?: boolean;
  event: MeshEvent;
}

/** Where a request's dot is at one display time. */
export interface DotSample {
  from: Place;
  to: Place;
  /** 0 at `from`, 1 at `to`; 0 while the request waits at one place. */
  f: number;
  /** Moving between two different pods (over the wire). */
  onWire: boolean;
  phase: Phase;
  error: boolean;
  attempt: number;
  /** Waiting out a back-off: how much of it is done (0…1). */
  backoffDone?: number;
  /** On the wire: whether this connection is mTLS. */
  mtls?: boolean;
}

/** A place a person can step to; `key` is stable (`app:pod`, `sidecar:pod`, `wire:a>b`, `backoff:pod`). */
export interface Stop {
  tau: number;
  key: string;
  requestId: number;
}

/**
 * The drawn life of one request (one `requestId`): its waypoints in display
 * time and every event it had, for the event log.
 */
export class Track {
  readonly waypoints: Waypoint[] = [];
  readonly events: Array<{ tau: number; seq: number; event: MeshEvent }> = [];
  startTau = Number.NaN;
  endTau: number | undefined;
  /** Where and why a callee's sidecar stopped this request, if one did. */
  block: Block | undefined;
  private cursor = 0;

  constructor(
    readonly id: number,
    readonly rootId: number,
    readonly parentId: number | undefined,
  ) {}

  get done(): boolean {
    return this.endTau !== undefined;
  }

  /** Records an event at display time τ; `seq` orders events of one moment across requests. */
  add(event: MeshEvent, tau: number, place: Place | undefined, seq = this.events.length): void {
    this.events.push({ tau, seq, event });
    if (Number.isNaN(this.startTau)) this.startTau = tau;
    if (event.kind === 'request.end') this.endTau = tau;
    this.block ??= blockOf(event, tau);
    if (!place) return;
    const last = this.waypoints[this.waypoints.length - 1];
    const phase = phaseAfter(event, last?.phase ?? 'request');
    const mtls = event.kind === 'hop.send' ? event.mtls : last?.mtls;
    this.waypoints.push({ tau, place, phase, error: errorAfter(event, last?.error ?? false), attempt: event.attempt || (last?.attempt ?? 1), ...(mtls === undefined ? {} : { mtls }), event });
  }

  /** The dot at τ, or undefined before the request starts and once it has ended. */
  sample(tau: number): DotSample | undefined {
    const w = this.waypoints;
    if (w.length === 0 || tau < (w[0] as Waypoint).tau) return undefined;
    if (this.endTau !== undefined && tau >= this.endTau) return undefined;
    if (this.cursor >= w.length || (w[this.cursor] as Waypoint).tau > tau) this.cursor = 0;
    while (this.cursor + 1 < w.length && (w[this.cursor + 1] as Waypoint).tau <= tau) this.cursor += 1;
    const here = w[this.cursor] as Waypoint;
    const next = w[this.cursor + 1];
    const base = { phase: here.phase, error: here.error, attempt: here.attempt };
    if (!next) return { from: here.place, to: here.place, f: 0, onWire: false, ...base };
    const span = next.tau - here.tau;
    const f = span > 0 ? (tau - here.tau) / span : 1;
    if (here.phase === 'backoff') return { from: here.place, to: here.place, f: 0, onWire: false, ...base, backoffDone: f };
    if (placeKey(here.place) === placeKey(next.place)) return { from: here.place, to: here.place, f: 0, onWire: false, ...base };
    const onWire = placeOwner(here.place) !== placeOwner(next.place);
    return { from: here.place, to: next.place, f, onWire, ...base, mtls: here.mtls };
  }

  /**
   * Where the dot is at τ, as a stop key, with the τ it got there; undefined
   * before the request starts and once it has ended. On a wire once it has
   * left the place it crossed from, waiting out a back-off until the next
   * try leaves, and at a place from the moment it is nearer to it (as the
   * highlight is drawn).
   */
  at(tau: number): Stop | undefined {
    const s = this.sample(tau);
    if (!s) return undefined;
    const since = (this.waypoints[this.cursor] as Waypoint).tau;
    const key = s.phase === 'backoff' ? `backoff:${placeOwner(s.from)}` : s.onWire && s.f > 0 ? `wire:${placeOwner(s.from)}>${placeOwner(s.to)}` : placeKey(s.f > 0.5 ? s.to : s.from);
    return { tau: since, key, requestId: this.id };
  }

  /**
   * The places this request visits, in order: each arrival, the middle of
   * each wire crossing, and the middle of each back-off.
   */
  stops(): Stop[] {
    const stops: Stop[] = [];
    const w = this.waypoints;
    w.forEach((here, i) => {
      const prev = w[i - 1];
      const key = placeKey(here.place);
      if (!prev || placeKey(prev.place) !== key) {
        if (prev && placeOwner(prev.place) !== placeOwner(here.place)) {
          stops.push({ tau: (prev.tau + here.tau) / 2, key: `wire:${placeOwner(prev.place)}>${placeOwner(here.place)}`, requestId: this.id });
        }
        stops.push({ tau: here.tau, key, requestId: this.id });
      }
      const next = w[i + 1];
      if (here.phase === 'backoff' && next && here.event.kind === 'retry.backoff') {
        stops.push({ tau: (here.tau + next.tau) / 2, key: `backoff:${placeOwner(here.place)}`, requestId: this.id });
      }
    });
    return stops;
  }
}

function errorAfter(event: MeshEvent, before: boolean): boolean {
  if (isErrorEvent(event)) return true;
  switch (event.kind) {
    case 'request.start':
    case 'lb.pick':
    case 'app.receive':
      return false;
    case 'app.respond':
    case 'inbound.complete':
    case 'attempt.result':
    case 'request.end':
      return false;
    default:
      return before;
  }
}
