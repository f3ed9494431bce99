import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiError, meshNames, openSession, resolveDestination, resolveWorkload, sendOne } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';
import { deployment, service, sessionFrom } from '../helpers/mesh.ts';

function builtIn(name: string): Session {
  const file = `scenarios/${name}.yaml`;
  const opened = openSession([{ name: file, text: readFileSync(file, 'utf8') }]);
  if (!opened.ok) throw new Error(`${file} does not load`);
  return opened.session;
}

const bookinfo = builtIn('bookinfo');
const shop = builtIn('default');

function problem(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error.message;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('resolveWorkload: names as people type them', () => {
  it('takes a Deployment name, a pod name, an app label or a Service name, and external for callers', () => {
    const pod = bookinfo.scenario.pods.find((p) => p.workload === 'details-v1')?.name as string;
    expect(resolveWorkload(bookinfo.scenario, 'productpage-v1', { role: '--from' })).toEqual({ kind: 'workload', name: 'productpage-v1', namespace: 'default' });
    expect(resolveWorkload(bookinfo.scenario, pod, { role: '--from' })).toEqual({ kind: 'pod', name: pod, workload: 'details-v1', namespace: 'default' });
    // Bookinfo's productpage: app label and Service name both stand for productpage-v1.
    expect(resolveWorkload(bookinfo.scenario, 'productpage', { role: '--from' })).toEqual({ kind: 'workload', name: 'productpage-v1', namespace: 'default' });
    expect(resolveWorkload(bookinfo.scenario, 'productpage.default', { role: '--from' })).toMatchObject({ name: 'productpage-v1' });
    expect(resolveWorkload(bookinfo.scenario, 'external', { role: '--from', external: true })).toEqual({ kind: 'external' });
  });

  it('lists the candidates when a name stands for several workloads', () => {
    expect(problem(() => resolveWorkload(bookinfo.scenario, 'reviews', { role: '--fail' }))).toBe('--fail: "reviews" is the app label of 3 workloads (name one: reviews-v1, reviews-v2, reviews-v3)');
    expect(problem(() => resolveWorkload(shop.scenario, 'users', { role: '--from' }))).toBe('--from: "users" is the app label of 2 workloads (name one: users-v1, users-v2)');
  });

  it('suggests the nearest name, or lists the workloads', () => {
    expect(problem(() => resolveWorkload(bookinfo.scenario, 'prodctpage', { role: '--from', external: true }))).toBe('--from: no workload, pod, app or service named "prodctpage" (did you mean productpage?)');
    expect(problem(() => resolveWorkload(shop.scenario, 'nobody', { role: '--from', external: true }))).toBe('--from: no workload, pod, app or service named "nobody" (workloads: api, cache, db, users-v1, users-v2, web; or external)');
    expect(problem(() => resolveWorkload(shop.scenario, 'external', { role: '--fail' }))).toMatch(/^--fail: no workload, pod, app or service named "external"/);
  });

  it('tells namespaces apart with name.namespace, and a Service selecting by other labels', () => {
    const ns = (n: string, yaml: string): string => yaml.replace(/namespace: default/g, `namespace: ${n}`);
    const session = sessionFrom(
      ns('shop', deployment('api', { app: 'api' })),
      ns('shop', service('api')),
      ns('lab', deployment('api', { app: 'api' })),
      deployment('worker', { app: 'jobs', 'app.kubernetes.io/name': 'crunch' }),
    );
    expect(problem(() => resolveWorkload(session.scenario, 'api', { role: '--from' }))).toBe('--from: "api" is the Deployment name of 2 workloads (name one: api.shop, api.lab)');
    expect(resolveWorkload(session.scenario, 'api.lab', { role: '--from' })).toEqual({ kind: 'workload', name: 'api', namespace: 'lab' });
    expect(resolveWorkload(session.scenario, 'crunch', { role: '--from' })).toMatchObject({ name: 'worker' });
  });
});

describe('resolveDestination: a Service, or a workload standing for its Service', () => {
  it('keeps a Service as typed and checks its port', () => {
    expect(resolveDestination(bookinfo.scenario, 'default', 'reviews', 9080)).toBe('reviews');
    expect(resolveDestination(bookinfo.scenario, 'default', 'reviews.default.svc.cluster.local', undefined)).toBe('reviews.default.svc.cluster.local');
    expect(problem(() => resolveDestination(bookinfo.scenario, 'default', 'reviews', 8080))).toBe('--to: service reviews has no port 8080 (ports: 9080)');
  });

  it('maps a workload, pod or app label to the one Service that selects it', () => {
    expect(resolveDestination(bookinfo.scenario, 'default', 'reviews-v2', 9080)).toBe('reviews');
    expect(resolveDestination(shop.scenario, 'default', 'users-v1', undefined)).toBe('users');
  });

  it('says what is missing, with the nearest Service or the list', () => {
    expect(problem(() => resolveDestination(shop.scenario, 'default', 'usres', 8080))).toBe('--to: no service "usres" reachable from namespace default (did you mean users?)');
    const lonely = sessionFrom(deployment('batch', { app: 'batch' }), deployment('web', { app: 'web' }), service('web'));
    expect(problem(() => resolveDestination(lonely.scenario, 'default', 'batch', undefined))).toBe('--to: no Service selects the pods of "batch" (requests go to a Service; name one, or add one)');
  });
});

describe('a Service whose name DNS cannot hold', () => {
  // Found by the fuzzer (seed 11, input 3358): a Service renamed valueOf (Kubernetes refuses capitals; meshviz
  // warns, MV0028) stood for its workload's --to, then no app could dial it and the engine threw.
  it('is refused when a workload stands for it, and send never reaches the engine with it', () => {
    const odd = sessionFrom(deployment('client', { app: 'client' }), deployment('details-v1', { app: 'valueOf' }), service('valueOf', 'valueOf', 9080));
    const refusal = '--to: the Service in front of "details-v1", valueOf, cannot be dialled (its name is not a valid DNS name: Kubernetes names are lowercase)';
    expect(problem(() => resolveDestination(odd.scenario, 'default', 'details-v1', 9080))).toBe(refusal);
    expect(problem(() => sendOne(odd, { from: 'client', to: 'details-v1:9080/' }))).toBe(refusal);
  });
});

describe('sendOne takes the same names', () => {
  it("runs the README's Bookinfo example with --from productpage, and --to a workload for its Service", () => {
    const r = sendOne(bookinfo, { from: 'productpage', to: 'reviews-v2:9080/reviews/0', headers: { 'end-user': 'jason' } });
    expect(r.status).toBe(200);
    const start = r.events.find((e) => e.kind === 'request.start');
    expect(start).toMatchObject({ fromWorkload: 'productpage-v1', host: 'reviews.default.svc.cluster.local' });
  });

  it('marks the workload an app label names failing', () => {
    const r = sendOne(bookinfo, { from: 'productpage-v1', to: 'details:9080/details/0', failures: [{ target: 'details', mode: '503' }], seed: 3 });
    expect(r.status).toBe(503);
  });
});

describe('meshNames', () => {
  it('lists workloads, Services with their ports, and app labels for completion', () => {
    expect(meshNames(shop.scenario)).toEqual({
      workloads: ['api', 'cache', 'db', 'users-v1', 'users-v2', 'web'],
      services: ['api:8080', 'cache:8080', 'db:8080', 'users:8080', 'web:8080'],
      apps: ['api', 'cache', 'db', 'users', 'web'],
    });
  });
});
