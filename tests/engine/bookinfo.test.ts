import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, sendOne } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';

/** Bookinfo as shipped, plus the task's YAML applied on top (same names replace, as kubectl apply does). */
function bookinfoWith(taskYaml: string): Session {
  const opened = openSession([
    { name: 'scenarios/bookinfo.yaml', text: readFileSync('scenarios/bookinfo.yaml', 'utf8') },
    { name: 'task.yaml', text: taskYaml },
  ]);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return opened.session;
}

const reviewsTestV2 = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - match: [{ headers: { end-user: { exact: jason } } }]
    route: [{ destination: { host: reviews, subset: v2 } }]
  - route: [{ destination: { host: reviews, subset: v1 } }]
`;

function ratingsFault(fault: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings }
spec:
  hosts: [ratings]
  http:
  - match: [{ headers: { end-user: { exact: jason } } }]
    fault:
${fault}
    route: [{ destination: { host: ratings, subset: v1 } }]
  - route: [{ destination: { host: ratings, subset: v1 } }]
`;
}

const page = (session: Session, user?: string) =>
  sendOne(session, { from: 'external', to: 'productpage:9080/productpage', headers: user ? { 'end-user': user } : {}, seed: 3 });

describe("Istio's Bookinfo tasks (mesh-semantics §2.6)", () => {
  it('fault injection, delay: a 7 s ratings delay for jason makes productpage give up on reviews after about 6 s', () => {
    const session = bookinfoWith(`${reviewsTestV2}---${ratingsFault('      delay: { fixedDelay: 7s, percentage: { value: 100 } }')}`);
    const jason = page(session, 'jason');
    expect(jason.status).toBe(200);
    expect(jason.durationMs).toBeGreaterThan(6000);
    expect(jason.durationMs).toBeLessThan(6200);
    expect(jason.events.filter((e) => e.kind === 'app.timeout')).toHaveLength(2);
    expect(jason.events.some((e) => e.kind === 'fault.delay')).toBe(true);
    // Other users never meet the fault and get the page at once.
    const other = page(session, 'alice');
    expect(other.durationMs).toBeLessThan(200);
    expect(other.events.some((e) => e.kind === 'fault.delay')).toBe(false);
  });

  it('fault injection, abort: HTTP 500 for jason comes back at once, flagged FI, and is not retried', () => {
    const session = bookinfoWith(`${reviewsTestV2}---${ratingsFault('      abort: { httpStatus: 500, percentage: { value: 100 } }')}`);
    const jason = page(session, 'jason');
    expect(jason.status).toBe(200);
    expect(jason.durationMs).toBeLessThan(200);
    const ratingsCall = jason.events.find((e) => e.kind === 'request.end' && e.flags.includes('FI'));
    expect(ratingsCall?.kind === 'request.end' && [ratingsCall.status, ratingsCall.attempts]).toEqual([500, 0]);
    expect(jason.events.some((e) => e.kind === 'hop.arrive' && e.pod.startsWith('ratings-'))).toBe(false);
  });

  it('request timeouts: reviews timeout 0.5 s with a 2 s ratings delay: the page answers in about 1 s', () => {
    const session = bookinfoWith(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - route: [{ destination: { host: reviews, subset: v2 } }]
    timeout: 0.5s
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings }
spec:
  hosts: [ratings]
  http:
  - fault: { delay: { fixedDelay: 2s, percentage: { value: 100 } } }
    route: [{ destination: { host: ratings, subset: v1 } }]
`);
    const result = page(session);
    expect(result.status).toBe(200);
    expect(result.durationMs).toBeGreaterThan(1000);
    expect(result.durationMs).toBeLessThan(1100);
    const reviewsCalls = result.events.filter((e) => e.kind === 'request.end' && e.status === 504);
    expect(reviewsCalls.map((e) => (e.kind === 'request.end' ? e.flags : []))).toEqual([['UT'], ['UT']]);
  });
});
