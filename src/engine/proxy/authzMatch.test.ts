import { describe, expect, it } from 'vitest';
import type { AuthzAttributeXds, AuthzConditionXds, AuthzValueXds } from '../../model/index.ts';
import { type AuthzRequest, checkCondition } from './authzMatch.ts';

const req = (over: Partial<AuthzRequest> = {}): AuthzRequest => ({
  principal: 'cluster.local/ns/shop/sa/cart',
  namespace: 'shop',
  sourceIp: '10.1.2.3',
  method: 'GET',
  path: '/api/v1/items?q=1',
  host: 'Reviews.Default:9080',
  port: 9080,
  headers: { 'X-User': 'jason', 'x-empty': '' },
  mtls: true,
  ...over,
});
const cond = (attribute: AuthzAttributeXds, values: AuthzValueXds[], negate = false): AuthzConditionXds => ({ field: 'f', attribute, values, negate });
const exact = (value: string): AuthzValueXds => ({ kind: 'exact', value, text: value });
const prefix = (value: string): AuthzValueXds => ({ kind: 'prefix', value, text: `${value}*` });
const suffix = (value: string): AuthzValueXds => ({ kind: 'suffix', value, text: `*${value}` });
const presence: AuthzValueXds = { kind: 'presence', text: '*' };
const holds = (c: AuthzConditionXds, r = req()): boolean => checkCondition(c, r).holds;

describe('string matching: exact, prefix abc*, suffix *abc, presence * (§7)', () => {
  const principal: AuthzAttributeXds = { kind: 'principal' };

  it('exact, prefix and suffix', () => {
    expect(holds(cond(principal, [exact('cluster.local/ns/shop/sa/cart')]))).toBe(true);
    expect(holds(cond(principal, [exact('cluster.local/ns/shop/sa/car')]))).toBe(false);
    expect(holds(cond(principal, [prefix('cluster.local/ns/shop/')]))).toBe(true);
    expect(holds(cond(principal, [suffix('/sa/cart')]))).toBe(true);
    expect(holds(cond(principal, [suffix('/sa/web')]))).toBe(false);
  });

  it('one matching value is enough', () => {
    expect(holds(cond({ kind: 'method' }, [exact('POST'), exact('GET')]))).toBe(true);
  });

  it('presence means present and not empty; unset (no condition) would also take empty', () => {
    const header = (name: string): AuthzAttributeXds => ({ kind: 'header', name });
    expect(holds(cond(header('x-user'), [presence]))).toBe(true);
    expect(holds(cond(header('x-empty'), [presence]))).toBe(false);
    expect(holds(cond(header('x-missing'), [presence]))).toBe(false);
    expect(holds(cond(header('x-empty'), [exact('')]))).toBe(true);
  });

  it('methods and paths are case-sensitive; hosts are not', () => {
    expect(holds(cond({ kind: 'method' }, [exact('get')]))).toBe(false);
    expect(holds(cond({ kind: 'path' }, [prefix('/API')]))).toBe(false);
    expect(holds(cond({ kind: 'host' }, [exact('reviews.default:9080')]))).toBe(true);
    expect(holds(cond({ kind: 'host' }, [prefix('reviews.')]))).toBe(true);
  });

  it('a host without the port does not match an authority that carries one (as in Envoy)', () => {
    expect(checkCondition(cond({ kind: 'host' }, [exact('reviews.default')]), req())).toEqual({
      holds: false,
      seen: 'host Reviews.Default:9080',
      failure: 'requires host reviews.default, request has Reviews.Default:9080',
    });
  });
});

describe('not-variants negate (§7)', () => {
  it('holds when no value matches, including when the attribute is absent', () => {
    expect(holds(cond({ kind: 'method' }, [exact('DELETE')], true))).toBe(true);
    expect(holds(cond({ kind: 'method' }, [exact('GET'), exact('DELETE')], true))).toBe(false);
    expect(holds(cond({ kind: 'principal' }, [presence], true), req({ mtls: false }))).toBe(true);
  });

  it('explains a failed negation with what was excluded', () => {
    expect(checkCondition(cond({ kind: 'path' }, [prefix('/api/')], true), req()).failure).toBe(
      'excludes path /api/*, request has /api/v1/items',
    );
  });
});

describe('request attributes', () => {
  it('paths are matched without the query string or fragment', () => {
    expect(holds(cond({ kind: 'path' }, [exact('/api/v1/items')]))).toBe(true);
    expect(holds(cond({ kind: 'path' }, [exact('/a')]), req({ path: '/a#frag' }))).toBe(true);
  });

  it('path templates: {*} is one segment, {**} the rest', () => {
    const template = (text: string): AuthzValueXds => ({ kind: 'template', segments: text.split('/'), text });
    expect(holds(cond({ kind: 'path' }, [template('/api/{*}/items')]))).toBe(true);
    expect(holds(cond({ kind: 'path' }, [template('/api/{*}')]))).toBe(false);
    expect(holds(cond({ kind: 'path' }, [template('/api/{**}')]))).toBe(true);
    expect(holds(cond({ kind: 'path' }, [template('/api/{*}/items')]), req({ path: '/api//items' }))).toBe(false);
  });

  it('header names are case-insensitive', () => {
    expect(holds(cond({ kind: 'header', name: 'x-user' }, [exact('jason')]))).toBe(true);
  });

  it('ports compare numbers; IPs match exactly or by CIDR block', () => {
    const port = (n: number): AuthzValueXds => ({ kind: 'port', port: n, text: String(n) });
    const cidr = (text: string, address: number, bits: number): AuthzValueXds => ({ kind: 'cidr', address, bits, text });
    expect(holds(cond({ kind: 'port' }, [port(9080)]))).toBe(true);
    expect(holds(cond({ kind: 'port' }, [port(8080)]))).toBe(false);
    const ten = 10 * 2 ** 24;
    expect(holds(cond({ kind: 'sourceIp' }, [cidr('10.0.0.0/8', ten, 8)]))).toBe(true);
    expect(holds(cond({ kind: 'sourceIp' }, [cidr('10.1.2.3', ten + 65_536 + 512 + 3, 32)]))).toBe(true);
    expect(holds(cond({ kind: 'sourceIp' }, [cidr('10.1.2.4', ten + 65_536 + 512 + 4, 32)]))).toBe(false);
    expect(holds(cond({ kind: 'sourceIp' }, [cidr('0.0.0.0/0', 0, 0)]))).toBe(true);
    expect(holds(cond({ kind: 'sourceIp' }, [cidr('0.0.0.0/0', 0, 0)]), req({ sourceIp: undefined }))).toBe(false);
  });

  it('the namespace comes from the principal when the caller gives none', () => {
    expect(holds(cond({ kind: 'namespace' }, [exact('shop')]), req({ namespace: undefined }))).toBe(true);
  });
});
