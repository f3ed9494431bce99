import { describe, expect, it } from 'vitest';
import { startSimulation } from '../../src/api/index.ts';
import { requestIdOf, traceIdOf } from '../../src/telemetry/spanIds.ts';
import { frontBackMesh, sessionFrom, simulation } from '../helpers/mesh.ts';

/**
 * Without an `x-request-id` header, a line's request id is Envoy's UUID
 * made from the trace id (`requestIdOf`). The access log writes it from the
 * traceparent's characters straight into bytes; a trace id a client sent
 * that is not plain ASCII, or that JSON must escape, is written as the
 * string would be.
 */
const PLAIN = `00-${'0af7651916cd43dd8448eb211c80319c'}-b7ad6b7169203331-01`;
const ODD = `00-${'0af76519"6cd43dé8448eb2\\1c80319c'}-b7ad6b7169203331-01`;

function logOf(traceparent: string, format: 'text' | 'json'): string {
  const session = sessionFrom(
    ...frontBackMesh(),
    simulation(`
seed: 4
workloads:
  front: { calls: [{ service: back:8080, path: /b }] }
traffic: [{ name: load, from: client, to: front:8080, rps: 20, duration: 1s, headers: { traceparent: '${traceparent}' } }]`),
  );
  let log = '';
  const run = startSimulation(session, { telemetry: { startMs: 0, accessLog: { format, write: (t) => void (log += t) } } });
  while (run.advance());
  return log;
}

describe('an access-log line’s request id made from the trace id', () => {
  for (const traceparent of [PLAIN, ODD]) {
    const id = requestIdOf(traceIdOf(traceparent));
    it(`${traceparent === PLAIN ? 'a plain' : 'a quoted, non-ASCII'} trace id, text`, () => {
      const lines = logOf(traceparent, 'text').trim().split('\n');
      expect(lines.length).toBeGreaterThan(10);
      for (const line of lines) expect(line).toContain(` "${id}" `);
    });
    it(`${traceparent === PLAIN ? 'a plain' : 'a quoted, non-ASCII'} trace id, JSON`, () => {
      const lines = logOf(traceparent, 'json').trim().split('\n');
      expect(lines.length).toBeGreaterThan(10);
      for (const line of lines) expect((JSON.parse(line) as { request_id: string }).request_id).toBe(id);
    });
  }
});
