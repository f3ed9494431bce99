import { describe, expect, it } from 'vitest';
import type { MeshEvent } from '../../model/index.ts';
import { eventLog } from './eventLog.ts';
import { deniedRequest, failFastRequest, rejectedRequest, retriedRequest } from './fixtures.ts';
import { placeOfEvent } from './Place.ts';
import { Track } from './Track.ts';

function trackOf(events: MeshEvent[]): Track {
  const track = new Track(1, 1, undefined);
  events.forEach((e, i) => track.add(e, e.t, placeOfEvent(e, () => true), i));
  return track;
}

describe('eventLog', () => {
  it('tells what the app saw and, separately, what its sidecar did', () => {
    const { summary, lines } = eventLog([trackOf(retriedRequest(1, 'api', 'users-v1', 'users-v2'))], Infinity);
    expect(summary).toEqual({
      request: 'GET users-v1.default:8080/ from api',
      appSaw: '200 after 7.8ms',
      sidecarDid: ['attempt 1 → users-v1: 503', 'waited 20ms before retry 1', 'attempt 2 → users-v2: 200'],
      viaSidecar: true,
    });
    expect(lines.filter((l) => l.kind === 'retry.backoff').map((l) => l.tone)).toEqual(['warn']);
    expect(lines.at(-1)?.current).toBe(true);
  });

  it('only shows what the picture has reached', () => {
    const { lines, summary } = eventLog([trackOf(retriedRequest(1, 'api', 'users-v1', 'users-v2'))], 700);
    expect(lines.map((l) => l.kind)).toEqual(['request.start', 'route.match', 'lb.pick', 'hop.send']);
    expect(summary?.appSaw).toBeUndefined();
  });

  it('explains a fail-fast in plain words', () => {
    const { summary, lines } = eventLog([trackOf(failFastRequest(1, 'api'))], Infinity);
    expect(summary?.sidecarDid).toEqual(['failed fast: no healthy endpoint, nothing sent (UH)']);
    expect(lines.find((l) => l.kind === 'lb.noHealthy')?.text).toMatch(/no healthy upstream.*UH/);
  });

  it('says a Linkerd request waited in the backend’s queue before it failed fast', () => {
    const events = failFastRequest(1, 'api');
    const noHealthy = events[2] as MeshEvent;
    events.splice(2, 0, { ...noHealthy, t: noHealthy.t, kind: 'queue.wait', cluster: 'outbound|8080||users', waiting: 1, failFastAt: 3_000_650 } as MeshEvent);
    const { summary } = eventLog([trackOf(events)], Infinity);
    expect(summary?.sidecarDid).toEqual(["no endpoint yet: waited in the backend's queue (FAIL_FAST for all waiting if none by 3s)", 'failed fast: no healthy endpoint, nothing sent (UH)']);
  });

  it('says where a policy stopped the request: a STRICT reset of a plaintext caller, line by line', () => {
    const { summary, lines } = eventLog([trackOf(rejectedRequest(1, 'legacy', 'api'))], Infinity);
    expect(summary?.stopped).toBe("api's sidecar reset the connection: plaintext is refused under PeerAuthentication STRICT");
    expect(summary?.appSaw).toBe('no response (reset) after 450µs');
    expect(lines.map((l) => [l.who, l.text])).toContainEqual(['api envoy', "api's sidecar rejects the connection: PeerAuthentication STRICT: the connection is not mTLS, so the sidecar resets it"]);
    expect(lines.find((l) => l.kind === 'mtls.reject')?.tone).toBe('error');
  });

  it('says which AuthorizationPolicy denied the request, and that the app never saw it', () => {
    const { summary, lines } = eventLog([trackOf(deniedRequest(1, 'cache', 'api'))], Infinity);
    expect(summary?.stopped).toBe("api's sidecar denied it: no ALLOW policy matched; it answered 403 RBAC: access denied, and the app never saw the request");
    expect(summary?.appSaw).toBe('403 after 2.1ms');
    expect(lines.find((l) => l.kind === 'authz.deny')?.text).toBe('authorization: denied by AuthorizationPolicy/default/api-readers — no ALLOW policy matched → 403 RBAC: access denied');
  });

  it('on a TCP port the denial closes the connection: no 403 in its words', () => {
    const denial = deniedRequest(1, 'cache', 'api').map((e) => (e.kind === 'authz.deny' ? { ...e, tcp: true as const } : e));
    const { summary, lines } = eventLog([trackOf(denial)], Infinity);
    expect(summary?.stopped).toBe("api's sidecar denied it: no ALLOW policy matched; it closed the connection (a TCP port: no HTTP to answer with), and the app never saw the request");
    expect(lines.find((l) => l.kind === 'authz.deny')?.text).toBe('authorization: denied by AuthorizationPolicy/default/api-readers — no ALLOW policy matched → the connection is closed (network RBAC: no HTTP on this port)');
  });

  it('puts only the newest lines in words and counts the ones before them', () => {
    const all = eventLog([trackOf(retriedRequest(1, 'api', 'users-v1', 'users-v2'))], Infinity);
    const tail = eventLog([trackOf(retriedRequest(1, 'api', 'users-v1', 'users-v2'))], Infinity, undefined, 3);
    expect(tail.hidden).toBe(all.lines.length - 3);
    expect(tail.lines.map((l) => [l.key, l.text])).toEqual(all.lines.slice(-3).map((l) => [l.key, l.text]));
    expect(tail.lines.at(-1)?.current).toBe(true);
    expect(tail.summary).toEqual(all.summary);
  });
});
