import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, runSimulation, sendOne } from '../../src/api/index.ts';
import type { MeshEvent } from '../../src/model/index.ts';
import { hash53 } from '../../src/engine/kernel/Rng.ts';

function defaultSession() {
  const opened = openSession([{ name: 'scenarios/default.yaml', text: readFileSync('scenarios/default.yaml', 'utf8') }]);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

function streamHash(seed: number): { hash: number; count: number } {
  const events: MeshEvent[] = [];
  runSimulation(defaultSession(), { seed, duration: 20_000_000, sink: (e) => events.push(e) });
  return { hash: hash53(JSON.stringify(events)), count: events.length };
}

describe('determinism (design: same scenario + seed ⇒ identical event stream)', () => {
  it('two runs with the same seed produce byte-identical event streams', () => {
    const a = streamHash(42);
    const b = streamHash(42);
    expect(a.count).toBeGreaterThan(1000);
    expect(b).toEqual(a);
  });

  it('a different seed changes the random draws', () => {
    expect(streamHash(43).hash).not.toBe(streamHash(42).hash);
  });

  it('golden: one request through the default mesh, hop by hop', () => {
    const result = sendOne(defaultSession(), { from: 'web', to: 'api:8080/', seed: 42 });
    const trace = result.events
      .filter((e) => e.requestId === result.requestId)
      .map((e) => `${(e.t / 1000).toFixed(3)} ${e.kind}`);
    expect(trace).toMatchInlineSnapshot(`
      [
        "0.000 request.start",
        "0.650 trace.start",
        "0.650 route.match",
        "0.650 route.cluster",
        "0.650 lb.pick",
        "0.650 conn.open",
        "0.650 pool.pending",
        "1.850 hop.send",
        "1.950 hop.arrive",
        "2.600 app.receive",
        "46.990 app.respond",
        "47.640 inbound.complete",
        "47.640 hop.send",
        "47.740 attempt.result",
        "48.390 request.end",
      ]
    `);
  });
});
