import { describe, expect, it } from 'vitest';
import { emptyClientRecord, emptyServerRecord } from '../../src/telemetry/RequestRecorder.ts';
import type { ClientRecord, ServerRecord } from '../../src/telemetry/RequestRecorder.ts';
import { RecordDecoder } from '../../src/telemetry/wire/RecordDecoder.ts';
import { RecordEncoder } from '../../src/telemetry/wire/RecordEncoder.ts';
import { batchBuffers, RecentRequests } from '../../src/telemetry/wire/WireBatch.ts';
import type { RequestPart, WireBatch } from '../../src/telemetry/wire/WireBatch.ts';
import { recordsPort } from './recordsPort.ts';

/**
 * The wire's table of recent request parts lets a request's records share
 * one copy of its part. Once a request's last record is written (its
 * caller's record, or the callee's when the caller has no sidecar), both
 * sides let go of the part's headers and trace context, so they do not
 * outlive the request; a record that still comes later carries its part
 * whole and reads back the same.
 */
const TRACE = `00-${'cd'.repeat(16)}-${'0'.repeat(15)}7-01`;

/** A request's part, the same objects for all its records (as the engine hands its own request's head). */
const parts = new Map<number, RequestPart>();
function part(requestId: number): RequestPart {
  let p = parts.get(requestId);
  if (p === undefined) parts.set(requestId, (p = { requestId, fromPod: 'web-1', host: 'api.default.svc.cluster.local', port: 8080, method: 'GET', path: '/items', headers: { traceparent: TRACE, 'x-user': 'ana' }, trace: TRACE }));
  return p;
}

function server(requestId: number, attempt: number, cluster: string | undefined): ServerRecord {
  return Object.assign(emptyServerRecord(), part(requestId), { attempt, pod: 'api-1', start: 10, end: 20, sourceWorkload: 'web', status: 200, cluster });
}

function client(requestId: number): ClientRecord {
  return Object.assign(emptyClientRecord(), part(requestId), { start: 5, end: 25, cluster: 'outbound|8080||api.default.svc.cluster.local', status: 200, flags: [] });
}

/** Encodes the calls, decodes them (one batch at a time, as between the threads), and gives back what the writers were handed, copied. */
function crossed(write: (e: RecordEncoder) => void): { seen: Array<{ kind: string; record: ClientRecord | ServerRecord }>; batches: WireBatch[] } {
  const seen: Array<{ kind: string; record: ClientRecord | ServerRecord }> = [];
  const batches: WireBatch[] = [];
  const target = recordsPort({ client: (record) => seen.push({ kind: 'client', record }), server: (record) => seen.push({ kind: 'server', record }) });
  const decoder = new RecordDecoder(target);
  const encoder = new RecordEncoder({
    first: batchBuffers,
    send: (batch: WireBatch) => {
      const copy = structuredClone(batch);
      batches.push(copy);
      decoder.take(copy);
      return batchBuffers();
    },
  });
  write(encoder);
  encoder.finish(0);
  return { seen, batches };
}

const headersOf = (r: ClientRecord | ServerRecord) => ({ id: r.requestId, headers: r.headers, trace: r.trace, path: r.path });

describe('the wire’s recent request parts', () => {
  it('forget: a kept part is not the one before any more, and its slot holds neither its headers nor its trace', () => {
    const recent = new RecentRequests();
    const p = part(7);
    expect(recent.same(p)).toBe(false);
    recent.keep(p);
    expect(recent.same(p)).toBe(true);
    recent.forget(7);
    expect(recent.same(p)).toBe(false);
    const slot: RequestPart = { requestId: 7, fromPod: '', host: '', port: 0, method: '', path: '', headers: {}, trace: '' };
    recent.into(slot);
    expect(slot.headers).not.toBe(p.headers);
    expect(slot.trace).toBe('');
    // Another request's id is not forgotten by mistake.
    recent.keep(p);
    recent.forget(7 + 1);
    expect(recent.same(p)).toBe(true);
  });

  it('a request’s records read back whole: attempts share the part, and a callee’s record after the caller’s (a route timeout) carries it again', () => {
    const { seen } = crossed((e) => {
      e.server(server(1, 1, 'outbound|8080||api.default.svc.cluster.local'));
      e.server(server(1, 2, 'outbound|8080||api.default.svc.cluster.local'));
      e.client(client(1));
      // The first try was still at the callee when the caller gave up: its record comes last.
      e.server(server(1, 3, 'outbound|8080||api.default.svc.cluster.local'));
      // A caller without a sidecar: the callee's record is the request's only one, and it is forgotten right away.
      e.server(server(2, 1, undefined));
      e.server(server(2, 1, undefined));
    });
    expect(seen.map((s) => s.kind)).toEqual(['server', 'server', 'client', 'server', 'server', 'server']);
    for (const s of seen) expect(headersOf(s.record)).toEqual({ id: s.record.requestId, headers: { traceparent: TRACE, 'x-user': 'ana' }, trace: TRACE, path: '/items' });
  });

  it('after a request’s last record its part is written out again, not referred to (the decoder forgot it too)', () => {
    // Both sides forget at the same record: were the encoder to refer to a part the decoder had dropped, the headers would read back empty.
    const { batches } = crossed((e) => {
      e.server(server(3, 1, 'outbound|8080||api.default.svc.cluster.local'));
      e.client(client(3));
      e.server(server(3, 2, 'outbound|8080||api.default.svc.cluster.local'));
    });
    const chars = batches.reduce((n, b) => n + b.charCount, 0);
    const numbers = batches.reduce((n, b) => n + b.numCount, 0);
    const { batches: shared } = crossed((e) => {
      e.server(server(3, 1, 'outbound|8080||api.default.svc.cluster.local'));
      e.server(server(3, 2, 'outbound|8080||api.default.svc.cluster.local'));
      e.client(client(3));
    });
    // The same three records, but the last one of the request written last: one part fewer crosses.
    expect(numbers).toBeGreaterThan(shared.reduce((n, b) => n + b.numCount, 0));
    expect(chars).toBe(shared.reduce((n, b) => n + b.charCount, 0));
  });
});
