import { describe, expect, it } from 'vitest';
import { createHostResolver, hostMatches } from './HostResolver.ts';
import { scenarioOf, service } from './testing/scenarioBuilder.ts';

const hosts = createHostResolver(scenarioOf({ services: [service('reviews', { namespace: 'prod' })] }));

describe('host resolution (§2.4: short names are relative to the resource namespace)', () => {
  it('expands a bare name in the resource namespace', () => {
    expect(hosts.resolve('reviews', 'default')).toBe('reviews.default.svc.cluster.local');
  });

  it('expands name.namespace and name.namespace.svc', () => {
    expect(hosts.resolve('reviews.prod', 'default')).toBe('reviews.prod.svc.cluster.local');
    expect(hosts.resolve('reviews.prod.svc', 'default')).toBe('reviews.prod.svc.cluster.local');
  });

  it('keeps FQDNs, external names and wildcards as written (lower-cased)', () => {
    expect(hosts.resolve('Reviews.prod.svc.cluster.local', 'default')).toBe('reviews.prod.svc.cluster.local');
    expect(hosts.resolve('example.com', 'default')).toBe('example.com');
    expect(hosts.resolve('*.example.com', 'default')).toBe('*.example.com');
  });

  it('matches wildcards by suffix; `*` matches everything', () => {
    expect(hostMatches('*.prod.svc.cluster.local', 'reviews.prod.svc.cluster.local')).toBe(true);
    expect(hostMatches('*.example.com', 'reviews.prod.svc.cluster.local')).toBe(false);
    expect(hostMatches('*', 'anything')).toBe(true);
    expect(hostMatches('reviews.prod.svc.cluster.local', 'reviews.prod.svc.cluster.local')).toBe(true);
  });
});
