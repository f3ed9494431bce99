import type { MeshEvent } from '../../model/index.ts';
import type { Track } from './Track.ts';

/** Why a callee's sidecar stopped a request before its app saw it. */
export type BlockKind = 'mtls' | 'authz';

/** A request stopped at the callee's sidecar by a security policy. */
export interface Block {
  tau: number;
  /** The pod whose sidecar stopped it. */
  pod: string;
  kind: BlockKind;
  /** The marker's words in the picture. */
  label: string;
  /** The policy's reason, in full. */
  detail: string;
}

/** How long (beats) a stop stays marked in the picture after it happened: 3 s at 1×. */
export const MARK_BEATS = 1_500;

/** The stop an event records: PeerAuthentication STRICT resetting plaintext, or an AuthorizationPolicy denial. */
export function blockOf(event: MeshEvent, tau: number): Block | undefined {
  switch (event.kind) {
    case 'mtls.reject':
      return { tau, pod: event.pod, kind: 'mtls', label: `mTLS ${event.mode}: reset`, detail: event.reason };
    case 'authz.deny':
      return { tau, pod: event.pod, kind: 'authz', label: event.tcp ? 'RBAC: closed' : '403 RBAC: denied', detail: `denied by ${event.policy}: ${event.reason}` };
    default:
      return undefined;
  }
}

/** The stops to mark at display time τ: the latest one at each sidecar, for `MARK_BEATS` after it happened. */
export function visibleMarks(tracks: Iterable<Track>, tau: number): Block[] {
  const latest = new Map<string, Block>();
  for (const track of tracks) {
    const b = track.block;
    if (!b || b.tau > tau || tau >= b.tau + MARK_BEATS) continue;
    const seen = latest.get(b.pod);
    if (!seen || seen.tau < b.tau) latest.set(b.pod, b);
  }
  return [...latest.values()].sort((a, b) => a.tau - b.tau);
}
