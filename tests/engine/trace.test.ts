import { describe, expect, it } from 'vitest';
import { frontBackMesh, send, sessionFrom, simulation, twoVersionMesh, virtualService } from '../helpers/mesh.ts';

function chain(propagate: boolean) {
  return sessionFrom(
    ...frontBackMesh(),
    simulation(`
workloads:
  front:
    propagateTraceHeaders: ${propagate}
    calls: [{ service: "back:8080" }]`),
  );
}

describe('trace context (mesh-semantics §9)', () => {
  it('the first sidecar starts a W3C trace and a propagating app carries it downstream', () => {
    const r = send(chain(true), { to: 'front:8080' });
    const starts = r.events.filter((e) => e.kind === 'trace.start');
    expect(starts).toHaveLength(1);
    const traceId = starts[0]?.kind === 'trace.start' ? starts[0].traceId : '';
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const child = r.events.find((e) => e.kind === 'request.start' && e.origin.kind === 'app');
    expect(child?.kind === 'request.start' && child.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });

  it('a caller without a sidecar sends no trace context: the callee’s sidecar starts the trace and it carries on downstream', () => {
    const r = send(chain(true), { from: 'external', to: 'front:8080' });
    const starts = r.events.filter((e) => e.kind === 'trace.start');
    expect(starts.map((e) => e.where)).toEqual([{ kind: 'sidecar', pod: expect.stringMatching(/^front-/) }]);
    const traceId = starts[0]?.kind === 'trace.start' ? starts[0].traceId : '';
    const child = r.events.find((e) => e.kind === 'request.start' && e.origin.kind === 'app');
    expect(child?.kind === 'request.start' && child.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
  });

  it('a mirrored copy keeps the trace but is not sampled', () => {
    const session = sessionFrom(...twoVersionMesh({ vs: virtualService('- route: [{ destination: { host: server, subset: v1 } }]\n  mirror: { host: server, subset: v2 }') }));
    const r = send(session, { to: 'server:8080' });
    const start = r.events.find((e) => e.kind === 'trace.start');
    const traceId = start?.kind === 'trace.start' ? start.traceId : 'none';
    const copy = r.events.find((e) => e.kind === 'request.start' && e.origin.kind === 'mirror');
    expect(copy?.kind === 'request.start' && copy.headers['traceparent']).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
  });

  it('an app that does not propagate trace headers breaks the trace: the next sidecar starts a new one', () => {
    const r = send(chain(false), { to: 'front:8080' });
    const starts = r.events.filter((e) => e.kind === 'trace.start');
    expect(starts).toHaveLength(2);
    const [first, second] = starts.map((e) => (e.kind === 'trace.start' ? e : undefined));
    expect(first?.traceId).not.toBe(second?.traceId);
    expect(second?.reason).toMatch(/did not propagate/);
  });
});
