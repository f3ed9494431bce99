import type { MeshEvent } from '../../model/index.ts';
import { placeOfEvent } from './Place.ts';
import type { SidecarLookup } from './Place.ts';
import { Track } from './Track.ts';
import type { Stop } from './Track.ts';

/**
 * The requests the picture knows, one `Track` each, and which of them is
 * featured (drawn larger, stepped through, told in the event log): the
 * last one sent, or the next one to start once it is over.
 */
export class TrackBook {
  readonly tracks = new Map<number, Track>();
  featuredRoot: number | undefined;
  private readonly lastPick = new Map<string, number>();

  constructor(private readonly sidecarOf: SidecarLookup) {}

  /** Files an event under its request, at display time τ; `seq` orders events of one moment. */
  add(event: MeshEvent, tau: number, seq: number): void {
    if (event.requestId > 0) this.trackOf(event).add(event, tau, placeOfEvent(event, this.sidecarOf), seq);
    else if (event.kind === 'conn.open' || event.kind === 'conn.refused') this.attributeConnection(event, tau, seq);
    if (event.kind === 'lb.pick' && event.where.kind === 'sidecar') this.lastPick.set(`${event.where.pod}|${event.endpoint}`, event.requestId);
  }

  /** Features `id` if nothing is featured or the featured request is over. */
  offerFeatured(id: number): void {
    if (this.featuredRoot === undefined || this.featuredDone()) this.featuredRoot = id;
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

  /** Requests under way at display time τ. */
  inFlightAt(tau: number): number {
    let n = 0;
    for (const t of this.tracks.values()) if (t.startTau <= tau && (t.endTau === undefined || t.endTau > tau)) n += 1;
    return n;
  }

  /** Forgets requests that ended before τ `horizon`, except the featured one. */
  forgetBefore(horizon: number): void {
    for (const [id, track] of this.tracks) {
      if (track.rootId !== this.featuredRoot && track.endTau !== undefined && track.endTau < horizon) this.tracks.delete(id);
    }
  }

  /**
   * Where the featured request is at τ, read from the same dot the picture
   * draws (so the words and the picture never disagree): the featured track
   * that moved last, or, once all are over, the last stop reached.
   */
  featuredAt(tau: number): Stop | undefined {
    let best: Stop | undefined;
    for (const track of this.featuredTracks()) {
      const here = track.at(tau);
      if (here && (!best || here.tau >= best.tau)) best = here;
    }
    if (best) return best;
    const reached = this.featuredStops().filter((s) => s.tau <= tau + 1e-6);
    return reached[reached.length - 1];
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
}
