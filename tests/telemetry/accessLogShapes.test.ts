import { describe, expect, it } from 'vitest';
import { startSimulation } from '../../src/api/index.ts';
import { frontBackMesh, sessionFrom, simulation, virtualService } from '../helpers/mesh.ts';

/**
 * The access log keeps, for each caller, callee and cluster, what it made
 * of the requests and outcomes it saw there (a line's "shape": the request
 * line, the outcome, the user agent, the line's end) and finds them again
 * by comparing. Here one caller sends fourteen kinds of request to one
 * callee, interleaved, more than a tail keeps: seven paths, each with two
 * user agents. Each path says what its line must show (`/fail-…` is
 * aborted by a fault, 503 FI; `/ok-…` is answered, 200), and each kind
 * carries its own `x-request-id` (not part of a shape), which says which
 * path and agent its lines must show. From 8 s to 12 s the callee answers
 * 500 (the same path, agent, flags and details, another code). Beside
 * them a second caller sends one kind only, whose tail keeps its first
 * shape throughout. A line made from another request's shape shows
 * another path, another agent or another code.
 */
const PATHS = ['/ok-1', '/ok-2', '/ok-3', '/ok-4', '/fail-1', '/fail-2', '/fail-3'];
const KINDS = PATHS.flatMap((path) => ['probe-a', 'probe-b'].map((agent) => ({ path, agent })));
/** The second caller's one kind (its request id is `kind-14`). */
const STEADY = { path: '/ok-steady', agent: 'probe-steady' };
const rps = (i: number) => 3 + i;

function scenario() {
  const traffic = KINDS.map(({ path, agent }, i) =>
    [`- name: t${i}`, '  from: client', '  to: back:8080', `  path: ${path}`, `  headers: { user-agent: ${agent}, x-request-id: kind-${i} }`, `  rps: ${rps(i)}`, '  duration: 20s'].join('\n'),
  ).join('\n');
  const steady = `- name: steady\n  from: front\n  to: back:8080\n  path: /ok-steady\n  headers: { user-agent: probe-steady, x-request-id: kind-${KINDS.length} }\n  rps: 5\n  duration: 20s`;
  return sessionFrom(
    ...frontBackMesh(),
    virtualService('- match: [{ uri: { prefix: /fail } }]\n  fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }\n  route: [{ destination: { host: back } }]\n- route: [{ destination: { host: back } }]', 'back', 'back'),
    simulation(`seed: 3\ntraffic:\n${`${traffic}\n${steady}`.replace(/^/gm, '  ')}\ntimeline:\n  - at: 8s\n    fail: { workload: back, mode: "500" }\n  - at: 12s\n    recover: { workload: back }`),
  );
}

function log(format: 'text' | 'json'): string[] {
  let text = '';
  const sim = startSimulation(scenario(), { telemetry: { startMs: Date.UTC(2026, 0, 5, 9), accessLog: { write: (t: string) => void (text += t), format } } });
  while (sim.advance());
  return text.trim().split('\n');
}

describe('access-log lines made from the shapes a tail keeps', () => {
  it('text: every line shows its own request’s path, agent, code and flags, for fourteen kinds through one caller and callee', () => {
    const seen = new Map<string, number>();
    for (const line of log('text')) {
      const m = /^\[2026-01-05T09:00:(\d\d\.\d{3})Z\] "GET (\S+) HTTP\/1\.1" (\d+) (\S+) (\S+) .* "([^"]*)" "kind-(\d+)" /.exec(line);
      expect(m, line).not.toBeNull();
      const [, second, path, code, flags, details, agent, kind] = m as unknown as string[];
      const sent = KINDS[Number(kind)] ?? STEADY;
      expect([path, agent], line).toEqual([sent?.path, sent?.agent]);
      if (path?.startsWith('/fail')) expect([code, flags, details], line).toEqual(['503', 'FI', 'fault_filter_abort']);
      else {
        expect([flags, details], line).toEqual(['-', 'via_upstream']);
        // Away from the failure's edges (a request that starts just before one reaches the callee after it).
        const t = Number(second);
        if (t > 8.1 && t < 11.9) expect(code, line).toBe('500');
        if (t < 7.9 || t > 12.1) expect(code, line).toBe('200');
      }
      const side = line.includes('inbound|') ? 'in' : 'out';
      seen.set(`${side} ${kind}`, (seen.get(`${side} ${kind}`) ?? 0) + 1);
    }
    // Each kind's calls, at its rate for 20 s: the client's sidecar logs every one; the callee's only those the fault let through.
    KINDS.forEach(({ path }, i) => {
      expect(seen.get(`out ${i}`), path).toBe(rps(i) * 20);
      expect(seen.get(`in ${i}`) ?? 0, path).toBe(path.startsWith('/fail') ? 0 : rps(i) * 20);
    });
    expect([seen.get(`out ${KINDS.length}`), seen.get(`in ${KINDS.length}`)]).toEqual([100, 100]);
  });

  it('JSON: the same, field by field', () => {
    const lines = log('json').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(KINDS.reduce((n, { path }, i) => n + (path.startsWith('/fail') ? 1 : 2) * rps(i) * 20, 2 * 100));
    for (const l of lines) {
      const sent = KINDS[Number(String(l['request_id']).slice('kind-'.length))] ?? STEADY;
      expect([l['path'], l['user_agent']]).toEqual([sent?.path, sent?.agent]);
      if (String(l['path']).startsWith('/fail')) expect([l['response_code'], l['response_flags'], l['response_code_details']]).toEqual([503, 'FI', 'fault_filter_abort']);
      else {
        expect([l['response_flags'], l['response_code_details']]).toEqual(['-', 'via_upstream']);
        const t = Number(String(l['start_time']).slice('2026-01-05T09:00:'.length, -1));
        if (t > 8.1 && t < 11.9) expect(l['response_code']).toBe(500);
        if (t < 7.9 || t > 12.1) expect(l['response_code']).toBe(200);
      }
    }
  });
});
