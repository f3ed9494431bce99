import { isWaypointKey, waypointLabel } from '../../model/index.ts';
import type { Stop, Track } from '../playback/Track.ts';

/** A step of the featured request in words: `users-v1's envoy sidecar`, `the wire api → users-v1`. */
export function describeStop(key: string, workloadOf: (pod: string) => string): string {
  const [kind, rest = ''] = splitOnce(key, ':');
  const name = workloadOf;
  switch (kind) {
    case 'app':
      return `${name(rest)} app (${rest})`;
    case 'sidecar':
      return `${name(rest)}'s envoy sidecar`;
    case 'client':
      return 'the client outside the mesh';
    case 'ztunnel':
      return `the ${rest.replace(/^ztunnel /, 'ztunnel of ')} (L4, HBONE)`;
    case 'waypoint':
      return `${waypointLabel(rest)} (Envoy, L7)`;
    case 'backoff':
      return isWaypointKey(rest) ? `${waypointLabel(rest)}, waiting out a retry back-off` : `${name(rest)}'s envoy sidecar, waiting out a retry back-off`;
    case 'wire': {
      const [a = '', b = ''] = splitOnce(rest, '>');
      return `the wire ${name(a)} → ${name(b)}`;
    }
    default:
      return key;
  }
}

function splitOnce(text: string, sep: string): [string, string] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + sep.length)];
}

/**
 * What the app is doing at an `app:` stop, so two stops at one app read
 * differently: sending the request (or a call it makes), handling one that
 * arrived, or holding the answer it got back.
 */
export function appStopNote(stop: Stop, track: Track | undefined): string | undefined {
  if (!stop.key.startsWith('app:') || !track) return undefined;
  const start = track.events[0]?.event;
  const end = track.events.find((e) => e.event.kind === 'request.end');
  const near = (tau: number) => Math.abs(tau - stop.tau) < 1e-6;
  if (end && end.event.kind === 'request.end' && near(end.tau)) return `got ${end.event.status === 0 ? 'no response (reset)' : end.event.status} back`;
  if (start?.kind === 'request.start' && near(track.startTau)) {
    return `${track.parentId === undefined ? 'sending' : 'calling'} ${start.host.replace(/\.svc\.cluster\.local$/, '')}:${start.port}`;
  }
  return 'handling the request';
}
