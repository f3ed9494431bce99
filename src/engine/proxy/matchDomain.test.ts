import { describe, expect, it } from 'vitest';
import { matchDomain } from './matchDomain.ts';

// Envoy API config.route.v3.VirtualHost.domains: exact, then suffix wildcards, then prefix
// wildcards, then `*`; the longest wildcard of a kind wins; a wildcard never matches the empty string.
describe('matchDomain (Envoy virtual host domain search order)', () => {
  it('prefers the longest suffix wildcard, then a prefix wildcard, then *', () => {
    const domains = ['*', 'shop.*', '*.example.com', '*.eu.example.com'];
    expect(matchDomain('a.eu.example.com', domains)).toBe('*.eu.example.com');
    expect(matchDomain('a.example.com', domains)).toBe('*.example.com');
    expect(matchDomain('shop.example.org', domains)).toBe('shop.*');
    expect(matchDomain('other.org', domains)).toBe('*');
  });

  it('gives nothing without a matching wildcard (Envoy: 404 NR)', () => {
    expect(matchDomain('other.org', ['*.example.com'])).toBeUndefined();
    expect(matchDomain('.example.com', ['*.example.com'])).toBeUndefined();
  });
});
