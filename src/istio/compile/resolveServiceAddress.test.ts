import { describe, expect, it } from 'vitest';
import { resolveServiceAddress } from './resolveServiceAddress.ts';
import { scenarioOf, service } from './testing/scenarioBuilder.ts';

const scenario = scenarioOf({
  services: [
    service('users', { ports: [[8080, 9000], 9090] }),
    service('users', { namespace: 'prod', ports: [80] }),
  ],
});

describe('resolveServiceAddress (what an app dials → service)', () => {
  it('resolves a short name in the caller namespace to its first port', () => {
    const found = resolveServiceAddress(scenario, 'default', 'users');
    expect(found?.host).toBe('users.default.svc.cluster.local');
    expect(found?.port).toBe(8080);
    expect(found?.service.namespace).toBe('default');
  });

  it('takes the port from the dialled string, else from the argument', () => {
    expect(resolveServiceAddress(scenario, 'default', 'users:9090')?.port).toBe(9090);
    expect(resolveServiceAddress(scenario, 'default', 'users', 9090)?.port).toBe(9090);
  });

  it('resolves name.namespace, name.namespace.svc and FQDNs from any namespace', () => {
    for (const dialled of ['users.prod', 'users.prod.svc', 'users.prod.svc.cluster.local', 'users.prod.svc.cluster.local.']) {
      expect(resolveServiceAddress(scenario, 'default', dialled)).toMatchObject({
        host: 'users.prod.svc.cluster.local',
        port: 80,
      });
    }
  });

  it('prefers the caller namespace for a short name', () => {
    expect(resolveServiceAddress(scenario, 'prod', 'users')?.host).toBe('users.prod.svc.cluster.local');
  });

  it('is undefined for an unknown name or a port the service does not have', () => {
    expect(resolveServiceAddress(scenario, 'default', 'nobody')).toBeUndefined();
    expect(resolveServiceAddress(scenario, 'default', 'users:1234')).toBeUndefined();
    expect(resolveServiceAddress(scenario, 'other', 'users')).toBeUndefined();
  });
});
