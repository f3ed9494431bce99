import { describe, expect, it } from 'vitest';
import { frontBackMesh, send, sessionFrom, simulation, twoVersionMesh } from '../helpers/mesh.ts';

/**
 * Header names come from users too. Found by the fuzzer (seed 13, input
 * 144013): a ring hash on header `constructor` hashed Object's constructor
 * function and threw; an app propagating `constructor` copied it the same way.
 */
describe('header names that are prototype members', () => {
  it('a ring hash on a header the request does not carry picks a random point, as Envoy does', () => {
    const session = sessionFrom(...twoVersionMesh({ trafficPolicy: 'loadBalancer: { consistentHash: { httpHeaderName: constructor } }' }));
    expect(send(session, { to: 'server:8080/' }).status).toBe(200);
    expect(send(session, { to: 'server:8080/', headers: { constructor: 'x' } }).status).toBe(200);
  });

  it('an app propagating a header the request does not carry copies nothing', () => {
    const session = sessionFrom(...frontBackMesh(), simulation('workloads:\n  front: { propagateHeaders: [constructor, toString], calls: [{ service: "back:8080" }] }'));
    const r = send(session, { to: 'front:8080/' });
    expect(r.status).toBe(200);
    const call = r.events.find((e) => e.kind === 'request.start' && e.origin.kind === 'app');
    expect(call && 'headers' in call ? Object.keys(call.headers as object) : []).not.toContain('constructor');
  });
});
