import { describe, expect, it } from 'vitest';
import type { ResponseFlag } from '../../src/model/index.ts';
import { emptyClientRecord } from '../../src/telemetry/RequestRecorder.ts';
import type { ClientRecord } from '../../src/telemetry/RequestRecorder.ts';
import { RecordDecoder } from '../../src/telemetry/wire/RecordDecoder.ts';
import { RecordEncoder } from '../../src/telemetry/wire/RecordEncoder.ts';
import type { WireBatch } from '../../src/telemetry/wire/WireBatch.ts';
import { recordsPort } from './recordsPort.ts';

/**
 * A record larger than the batch it is written into (a request retried
 * many times, a path of thousands of characters) makes the batch's arrays
 * grow: it must cross whole, its fields in order, and the batches after it
 * must read as before.
 */
function roundTrip(records: ClientRecord[], tiny: { nums: number; chars: number }): ClientRecord[] {
  const seen: ClientRecord[] = [];
  const target = recordsPort({ client: (r) => seen.push(r) });
  const decoder = new RecordDecoder(target);
  const buffers = () => ({ nums: new Float64Array(tiny.nums), chars: new Uint16Array(tiny.chars) });
  const encoder = new RecordEncoder({ first: buffers, send: (batch: WireBatch) => (decoder.take(structuredClone(batch)), buffers()) });
  for (const r of records) encoder.client(r);
  encoder.finish(0);
  return seen;
}

function record(id: number, path: string, attempts: number): ClientRecord {
  const r = emptyClientRecord();
  const flags: readonly ResponseFlag[] = ['URX'];
  Object.assign(r, {
    requestId: id,
    start: 1_000 * id,
    end: 1_000 * id + 500,
    fromPod: 'web-1',
    host: 'api.default.svc.cluster.local',
    port: 8080,
    method: 'GET',
    path,
    headers: { traceparent: `00-${'ab'.repeat(16)}-${String(id).padStart(16, '0')}-01`, 'user-agent': 'curl/8' },
    trace: `00-${'ab'.repeat(16)}-${String(id).padStart(16, '0')}-01`,
    sampled: true,
    cluster: 'outbound|8080||api.default.svc.cluster.local',
    status: 503,
    flags,
    attempts: Array.from({ length: attempts }, (_, k) => ({ n: k + 1, start: 1_000 * id + k, end: 1_000 * id + k + 1, endpoint: `api-${k % 3}`, status: 503, flags, mtls: true })),
  });
  return r;
}

describe('a record larger than its batch', () => {
  it('crosses whole when it outgrows the numbers and the characters, and the records around it too', () => {
    const records = [record(1, '/short', 1), record(2, `/${'x'.repeat(5_000)}`, 300), record(3, '/after', 2)];
    const seen = roundTrip(records, { nums: 16, chars: 8 });
    expect(seen).toHaveLength(3);
    for (let i = 0; i < records.length; i++) {
      const want = records[i] as ClientRecord;
      const got = seen[i] as ClientRecord;
      expect(got.path).toBe(want.path);
      expect(got.headers).toEqual(want.headers);
      expect(got.trace).toBe(want.trace);
      expect(got.attempts).toEqual(want.attempts);
      expect(got.status).toBe(503);
      expect(got.flags).toEqual(['URX']);
    }
  });
});
