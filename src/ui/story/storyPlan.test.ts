import { describe, expect, it } from 'vitest';
import type { SimulationSpec } from '../../model/index.ts';
import { storyPlan } from './storyPlan.ts';

const base = { name: 'x', flavor: 'istio', seed: 1, workloads: {}, costs: {}, controlPlane: { pushDelay: 100_000 } } as unknown as SimulationSpec;

describe('storyPlan', () => {
  it('puts the default scenario’s traffic and timeline in words, in time order', () => {
    const plan = storyPlan({
      ...base,
      traffic: [{ name: 'browse', from: 'web', host: 'api', port: 8080, path: '/products', method: 'GET', headers: {}, load: { kind: 'open', rps: 20, duration: 60_000_000 }, start: 0 }],
      timeline: [
        { at: 45_000_000, action: { kind: 'recover', target: { workload: 'users-v1' } } },
        { at: 15_000_000, action: { kind: 'fail', target: { workload: 'users-v1' }, mode: '503' } },
      ],
    });
    expect(plan).toEqual({
      traffic: [{ name: 'browse', text: 'web → api:8080/products, 20 req/s for 1m', total: 1_200 }],
      steps: [
        { at: 15_000_000, text: 'users-v1 starts failing (503)' },
        { at: 45_000_000, text: 'users-v1 recovers' },
      ],
      length: 60_000_000,
    });
  });

  it('describes config changes, closed-loop load and istiod', () => {
    const plan = storyPlan({
      ...base,
      traffic: [{ name: 'load', from: 'external', host: 'api', path: '/', method: 'GET', headers: {}, load: { kind: 'closed', connections: 2, requests: 20 }, start: 5_000_000 }],
      timeline: [
        { at: 50_000_000, action: { kind: 'apply', path: 'spec.timeline[0].apply', document: { kind: 'VirtualService', metadata: { name: 'users' } } } },
        { at: 55_000_000, action: { kind: 'delete', resource: { kind: 'VirtualService', namespace: 'default', name: 'users' } } },
        { at: 60_000_000, action: { kind: 'controlPlane', up: false } },
        { at: 61_000_000, action: { kind: 'fail', target: { pod: 'db-0' }, mode: 'slow', delay: 1_500_000 } },
      ],
    });
    expect(plan.traffic[0]?.text).toBe('an outside client → api/, 20 requests over 2 connections, from 5s');
    expect(plan.steps.map((s) => s.text)).toEqual([
      'apply VirtualService users',
      'delete VirtualService default/users',
      'istiod goes down: proxies keep their config, certificates stop renewing',
      'pod db-0 starts failing (slow, +1.5s)',
    ]);
  });
});
