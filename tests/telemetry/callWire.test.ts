import { describe, expect, it } from 'vitest';
import type { ResponseFlag, RouteActionXds, RouteOrigin, TelemetryRequest, TelemetryServer } from '../../src/model/index.ts';
import { noRetryPolicy } from '../../src/istio/compile/toRetryPolicy.ts';
import { CallDecoder } from '../../src/telemetry/wire/CallDecoder.ts';
import type { CallTarget } from '../../src/telemetry/wire/CallDecoder.ts';
import { CallEncoder } from '../../src/telemetry/wire/CallEncoder.ts';
import { batchBuffers } from '../../src/telemetry/wire/WireBatch.ts';
import type { WireBatch } from '../../src/telemetry/wire/WireBatch.ts';

/**
 * The engine's telemetry calls cross to the outputs' thread as numbers
 * (`CallEncoder` → `CallDecoder`). The outputs read the engine's request
 * record at each call, and the engine changes it as the request goes (its
 * cluster once routed, its trace context once a sidecar starts the trace,
 * other headers after a route's changes, its route and error at the end):
 * on the other side the decoder's request must read, at each call, what
 * the engine's read then. Whole-run equality is `telemetryWire.test.ts`;
 * this holds the parts a run seldom reaches.
 */
const TRACE = `00-${'cd'.repeat(16)}-${'0'.repeat(15)}7-01`;
const CLUSTER = 'outbound|8080||api.default.svc.cluster.local';

/** What the target read at one call: the request's fields then, copied. */
interface Seen {
  call: string;
  id: number;
  path?: string;
  headers?: Record<string, string>;
  cluster?: string | undefined;
  route?: string | undefined;
  routeClusters?: string[] | undefined;
  error?: string | undefined;
  sidecar?: string | undefined;
  status?: number;
  flags?: readonly ResponseFlag[];
  n?: number;
  endpoint?: string;
}

function reading(call: string, req: TelemetryRequest): Seen {
  return {
    call,
    id: req.id,
    path: req.head.path,
    headers: { ...req.head.headers },
    cluster: req.cluster,
    route: req.route?.name,
    routeClusters: req.route?.action.kind === 'route' ? req.route.action.clusters.map((c) => c.cluster) : undefined,
    error: req.result?.error,
    sidecar: req.sidecar ? `${req.sidecar.pod}/${req.sidecar.xds.dataPlane ?? 'envoy'}` : undefined,
  };
}

function target(seen: Seen[]): CallTarget {
  return {
    requestStarted: (_t, req) => void seen.push(reading('start', req)),
    traceStarted: (_t, id) => void seen.push({ call: 'trace', id }),
    attemptPicked: (_t, id, n, endpoint) => void seen.push({ call: 'picked', id, n, endpoint }),
    attemptSent: (_t, id, n) => void seen.push({ call: 'sent', id, n }),
    attemptEnded: (_t, id, n, status, flags) => void seen.push({ call: 'attemptEnded', id, n, status, flags: [...flags] }),
    denied: (req, n) => void seen.push({ ...reading('denied', req), n }),
    inboundCompleted: (_t, req, server, status) => void seen.push({ ...reading('inbound', req), n: server.attempt, status }),
    requestEnded: (_t, req, status, flags) => void seen.push({ ...reading('end', req), status, flags: [...flags] }),
    retried: () => undefined,
    retryOverflowed: () => undefined,
    poolOverflowed: () => undefined,
    ejected: () => undefined,
    unejected: () => undefined,
    configPushed: () => undefined,
    finish: () => undefined,
  };
}

/** Encodes the calls into batches of `size` numbers and characters (cloned as a thread receives them), decodes them, and gives back what the target read and how many numbers crossed. */
function crossed(calls: (e: CallEncoder) => void, size?: { nums: number; chars: number }): { seen: Seen[]; numbers: number } {
  const seen: Seen[] = [];
  const decoder = new CallDecoder(target(seen));
  const buffers = size ? () => ({ nums: new Float64Array(size.nums), chars: new Uint16Array(size.chars) }) : batchBuffers;
  let numbers = 0;
  const encoder = new CallEncoder({
    first: buffers,
    send: (batch: WireBatch) => {
      numbers += batch.numCount;
      decoder.take(structuredClone(batch));
      return buffers();
    },
  });
  calls(encoder);
  encoder.finish(0);
  return { seen, numbers };
}

/** A route's action to `clusters` with equal weights, as the compiled config has it (the wire carries it as it is). */
function routeTo(clusters: string[]): RouteActionXds {
  return {
    kind: 'route',
    clusters: clusters.map((cluster) => ({ cluster, weight: 100 / clusters.length })),
    timeout: 0,
    retry: noRetryPolicy(),
    mirrors: [],
  };
}

/** An engine request record, changed in place as the engine changes its own. */
type EngineRequest = { -readonly [K in keyof TelemetryRequest]: TelemetryRequest[K] } & { head: { method: string; path: string; headers: Record<string, string> } };
function request(id: number, path = '/items'): EngineRequest {
  return {
    id,
    origin: { kind: 'traffic' },
    from: 'web-1',
    fromWorkload: 'web',
    viaSidecar: true,
    host: 'api.default.svc.cluster.local',
    port: 8080,
    head: { method: 'GET', path, headers: { 'x-user': 'ana' } },
    startedAt: 5,
    sidecar: { pod: 'web-1', xds: {} },
    caller: { proxy: { pod: 'web-1', xds: {} } },
  };
}

const server = (attempt: number): TelemetryServer => ({ pod: 'api-1', attempt, arrivedAt: 10, mtls: true, sourcePrincipal: 'spiffe://cluster.local/ns/default/sa/web', destinationPrincipal: 'spiffe://cluster.local/ns/default/sa/api', sidecar: { pod: 'api-1', xds: {} } });

describe('the engine’s telemetry calls across the wire', () => {
  it('the request reads, at each call, what the engine’s record held then: its trace, its cluster, its edited headers, its route and error', () => {
    const req = request(1);
    const { seen } = crossed((e) => {
      e.requestStarted(1, req);
      // The caller's sidecar starts the trace: the engine writes it into the headers, then says so.
      req.head.headers['traceparent'] = TRACE;
      e.traceStarted(2, 1, 'web-1', TRACE);
      req.cluster = CLUSTER;
      e.attemptPicked(3, 1, 1, 'api-1');
      e.attemptSent(3, 1, 1, true);
      // A route's header changes: the engine gives the request other headers.
      req.head.headers = { ...req.head.headers, 'x-added': 'yes' };
      e.inboundCompleted(9, req, server(1), 503);
      e.attemptEnded(10, 1, 1, 503, ['URX']);
      req.route = { name: 'retry-route', origin: { kind: 'default' } as RouteOrigin, action: routeTo([CLUSTER]) };
      req.result = { error: 'FAIL_FAST' };
      req.sidecar = { pod: 'waypoint/default/wp', xds: { dataPlane: 'waypoint' } };
      e.requestEnded(12, req, 503, ['URX']);
    });
    expect(seen.map((s) => s.call)).toEqual(['start', 'trace', 'picked', 'sent', 'inbound', 'attemptEnded', 'end']);
    const [start, , picked, , inbound, ended, end] = seen as [Seen, Seen, Seen, Seen, Seen, Seen, Seen];
    expect(start).toMatchObject({ headers: { 'x-user': 'ana' }, cluster: undefined, route: undefined, sidecar: 'web-1/envoy' });
    expect(picked).toMatchObject({ n: 1, endpoint: 'api-1' });
    expect(inbound).toMatchObject({ headers: { 'x-user': 'ana', traceparent: TRACE, 'x-added': 'yes' }, cluster: CLUSTER, n: 1, status: 503 });
    expect(Object.keys(inbound.headers ?? {})).toEqual(['x-user', 'traceparent', 'x-added']);
    expect(ended).toMatchObject({ status: 503, flags: ['URX'] });
    expect(end).toMatchObject({ headers: { 'x-user': 'ana', traceparent: TRACE, 'x-added': 'yes' }, cluster: CLUSTER, route: 'retry-route', error: 'FAIL_FAST', sidecar: 'waypoint/default/wp/waypoint', status: 503, flags: ['URX'] });
  });

  it('a request a fault answered before the router drew a cluster carries its route’s clusters (the metrics name their service); one with a cluster does not need them', () => {
    const aborted = request(5);
    const routed = request(6);
    const route = { name: 'chaos', origin: { kind: 'default' } as RouteOrigin, action: routeTo([`${CLUSTER}-v1`, `${CLUSTER}-v2`]) };
    const { seen } = crossed((e) => {
      e.requestStarted(1, aborted);
      e.requestStarted(1, routed);
      aborted.route = route;
      routed.route = route;
      routed.cluster = `${CLUSTER}-v2`;
      e.requestEnded(2, aborted, 503, ['FI']);
      e.requestEnded(3, routed, 200, []);
    });
    const ends = seen.filter((s) => s.call === 'end');
    expect(ends.map((s) => [s.id, s.route, s.cluster, s.routeClusters])).toEqual([
      [5, 'chaos', undefined, [`${CLUSTER}-v1`, `${CLUSTER}-v2`]],
      [6, 'chaos', `${CLUSTER}-v2`, undefined],
    ]);
  });

  it('a denial reads the request’s cluster and proxy at the time', () => {
    const req = request(4);
    const { seen } = crossed((e) => {
      e.requestStarted(1, req);
      req.cluster = CLUSTER;
      e.denied(req, 1, 'ns/default/deny-all');
      e.requestEnded(2, req, 403, []);
    });
    expect(seen.find((s) => s.call === 'denied')).toMatchObject({ cluster: CLUSTER, n: 1, sidecar: 'web-1/envoy' });
  });

  it('headers that did not change cross once', () => {
    const calls = (edit: boolean) => (e: CallEncoder) => {
      const req = request(7);
      e.requestStarted(1, req);
      req.cluster = CLUSTER;
      if (edit) req.head.headers = { ...req.head.headers };
      e.inboundCompleted(2, req, server(1), 200);
      e.requestEnded(3, req, 200, []);
    };
    const same = crossed(calls(false));
    const edited = crossed(calls(true));
    expect(edited.seen).toEqual(same.seen);
    // The edited headers cross again, once: their count, a name and a value instead of the one number that says they are the same.
    expect(edited.numbers - same.numbers).toBe(2);
  });

  it('a call larger than its batch (a path of thousands of characters, many headers, many tries) crosses whole, and the calls around it too', () => {
    const long = request(2, `/${'x'.repeat(5_000)}`);
    for (let k = 0; k < 300; k++) long.head.headers[`x-h${k}`] = `v${k}`;
    const { seen } = crossed(
      (e) => {
        const before = request(1, '/short');
        e.requestStarted(1, before);
        e.requestStarted(2, long);
        long.cluster = CLUSTER;
        for (let n = 1; n <= 300; n++) e.attemptEnded(3, 2, n, 503, ['URX']);
        e.requestEnded(4, long, 503, ['URX']);
        e.requestEnded(5, before, 200, []);
      },
      { nums: 16, chars: 8 },
    );
    expect(seen.filter((s) => s.call === 'attemptEnded')).toHaveLength(300);
    const end = seen.find((s) => s.call === 'end' && s.id === 2) as Seen;
    expect(end.path).toBe(long.head.path);
    expect(end.headers).toEqual(long.head.headers);
    expect(end.cluster).toBe(CLUSTER);
    expect(seen.at(-1)).toMatchObject({ call: 'end', id: 1, path: '/short', headers: { 'x-user': 'ana' } });
  });

  it('calls for a request whose start never crossed are dropped, and the calls after them read right', () => {
    const known = request(9);
    const stray = request(8);
    const { seen } = crossed((e) => {
      e.requestStarted(1, known);
      e.inboundCompleted(2, stray, server(1), 200);
      e.denied(stray, 1);
      e.requestEnded(3, stray, 200, []);
      known.cluster = CLUSTER;
      e.requestEnded(4, known, 200, []);
    });
    expect(seen.map((s) => `${s.call} ${s.id}`)).toEqual(['start 9', 'end 9']);
    expect(seen[1]).toMatchObject({ cluster: CLUSTER, headers: { 'x-user': 'ana' } });
  });
});
