import { describe, expect, it } from 'vitest';
import { compileValue } from './compileValue.ts';

describe('compileValue — policy value forms (§7)', () => {
  it('string fields: exact, prefix abc*, suffix *abc, presence *', () => {
    expect(compileValue('GET', 'string', 'ns')).toEqual({ kind: 'exact', value: 'GET', text: 'GET' });
    expect(compileValue('/api/*', 'string', 'ns')).toEqual({ kind: 'prefix', value: '/api/', text: '/api/*' });
    expect(compileValue('*.local', 'string', 'ns')).toEqual({ kind: 'suffix', value: '.local', text: '*.local' });
    expect(compileValue('*', 'string', 'ns')).toEqual({ kind: 'presence', text: '*' });
  });

  it('a leading * wins over a trailing one, as in istiod', () => {
    expect(compileValue('*mid*', 'string', 'ns')).toEqual({ kind: 'suffix', value: 'mid*', text: '*mid*' });
  });

  it('hosts are lower-cased (matched ignoring case)', () => {
    expect(compileValue('Reviews.Default', 'host', 'ns')).toEqual({ kind: 'exact', value: 'reviews.default', text: 'Reviews.Default' });
  });

  it('ports are exact numbers 0–65535', () => {
    expect(compileValue('9080', 'port', 'ns')).toEqual({ kind: 'port', port: 9080, text: '9080' });
    expect(compileValue('65536', 'port', 'ns')).toEqual({ invalid: 'a port number (0–65535)' });
    expect(compileValue('80*', 'port', 'ns')).toHaveProperty('invalid');
  });

  it('IP blocks: one IPv4 address or a CIDR block', () => {
    expect(compileValue('10.1.2.3', 'ip', 'ns')).toEqual({ kind: 'cidr', address: 167838211, bits: 32, text: '10.1.2.3' });
    expect(compileValue('192.168.0.0/16', 'ip', 'ns')).toMatchObject({ kind: 'cidr', bits: 16 });
    for (const bad of ['10.1.2', '10.1.2.256', '10.0.0.0/33', '::1', '10.0.0.0/8/1', '']) {
      expect(compileValue(bad, 'ip', 'ns')).toHaveProperty('invalid');
    }
  });

  it('service accounts: namespace/name, or name in the policy namespace', () => {
    expect(compileValue('shop/cart', 'serviceAccount', 'ns')).toEqual({ kind: 'serviceAccount', namespace: 'shop', name: 'cart', text: 'shop/cart' });
    expect(compileValue('cart', 'serviceAccount', 'ns')).toMatchObject({ namespace: 'ns', name: 'cart' });
    expect(compileValue('a/b/c', 'serviceAccount', 'ns')).toHaveProperty('invalid');
  });

  it('paths with {*} or {**} are templates', () => {
    expect(compileValue('/a/{**}', 'path', 'ns')).toEqual({ kind: 'template', segments: ['', 'a', '{**}'], text: '/a/{**}' });
    expect(compileValue('/a/*', 'path', 'ns')).toMatchObject({ kind: 'prefix' });
  });
});
