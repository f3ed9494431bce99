import { describe, expect, it } from 'vitest';
import { isCatchAll, toRouteMatch } from './toRouteMatch.ts';

describe('toRouteMatch (§2.4 match translation)', () => {
  it('no match block and no uri mean any path', () => {
    expect(toRouteMatch(undefined)).toEqual({ headers: [], queryParams: [] });
    expect(toRouteMatch({ port: 80 })).toEqual({ headers: [], queryParams: [] });
  });

  it('translates uri exact / prefix / regex', () => {
    expect(toRouteMatch({ uri: { exact: '/a' } }).path).toEqual({ kind: 'exact', value: '/a', ignoreCase: false });
    expect(toRouteMatch({ uri: { prefix: '/b' } }).path).toEqual({ kind: 'prefix', value: '/b', ignoreCase: false });
    expect(toRouteMatch({ uri: { regex: '/c/[0-9]+' } }).path).toEqual({
      kind: 'regex',
      value: '/c/[0-9]+',
      ignoreCase: false,
    });
  });

  it('ignoreUriCase makes exact and prefix case-insensitive; Envoy ignores it for regex', () => {
    expect(toRouteMatch({ uri: { exact: '/A' }, ignoreUriCase: true }).path?.ignoreCase).toBe(true);
    expect(toRouteMatch({ uri: { prefix: '/A' }, ignoreUriCase: true }).path?.ignoreCase).toBe(true);
    expect(toRouteMatch({ uri: { regex: '/A.*' }, ignoreUriCase: true }).path?.ignoreCase).toBe(false);
  });

  it('lower-cases header names, sorts them by name, inverts withoutHeaders, then adds pseudo-headers', () => {
    const match = toRouteMatch({
      headers: { 'X-User': { exact: 'jason' }, Accept: { prefix: 'text/' } },
      withoutHeaders: { 'x-canary': { exact: 'no' } },
      method: { exact: 'GET' },
      authority: { prefix: 'reviews' },
      scheme: { exact: 'http' },
    });
    expect(match.headers).toEqual([
      { name: 'accept', matcher: { kind: 'prefix', value: 'text/', ignoreCase: false }, invert: false },
      { name: 'x-canary', matcher: { kind: 'exact', value: 'no', ignoreCase: false }, invert: true },
      { name: 'x-user', matcher: { kind: 'exact', value: 'jason', ignoreCase: false }, invert: false },
      { name: ':method', matcher: { kind: 'exact', value: 'GET', ignoreCase: false }, invert: false },
      { name: ':authority', matcher: { kind: 'prefix', value: 'reviews', ignoreCase: false }, invert: false },
      { name: ':scheme', matcher: { kind: 'exact', value: 'http', ignoreCase: false }, invert: false },
    ]);
  });

  it('an empty StringMatch or regex `*` on a header is a presence match', () => {
    const match = toRouteMatch({ headers: { 'x-a': {}, 'x-b': { regex: '*' } } });
    expect(match.headers.map((h) => h.matcher)).toEqual([
      { kind: 'regex', value: '.*', ignoreCase: false },
      { kind: 'regex', value: '.*', ignoreCase: false },
    ]);
  });

  it('translates queryParams, sorted by name', () => {
    expect(toRouteMatch({ queryParams: { v: { exact: '2' }, debug: { regex: 'on|1' } } }).queryParams).toEqual([
      { name: 'debug', matcher: { kind: 'regex', value: 'on|1', ignoreCase: false } },
      { name: 'v', matcher: { kind: 'exact', value: '2', ignoreCase: false } },
    ]);
  });

  it('catch-all: any path, prefix `/` or regex `.*`, with no header or query condition', () => {
    expect(isCatchAll(toRouteMatch(undefined))).toBe(true);
    expect(isCatchAll(toRouteMatch({ uri: { prefix: '/' } }))).toBe(true);
    expect(isCatchAll(toRouteMatch({ uri: { regex: '.*' } }))).toBe(true);
    expect(isCatchAll(toRouteMatch({ sourceLabels: { app: 'web' } }))).toBe(true);
    expect(isCatchAll(toRouteMatch({ uri: { prefix: '/api' } }))).toBe(false);
    expect(isCatchAll(toRouteMatch({ uri: { exact: '/' } }))).toBe(false);
    expect(isCatchAll(toRouteMatch({ uri: { prefix: '/' }, headers: { a: { exact: 'b' } } }))).toBe(false);
    expect(isCatchAll(toRouteMatch({ method: { exact: 'GET' } }))).toBe(false);
    expect(isCatchAll(toRouteMatch({ queryParams: { a: { exact: 'b' } } }))).toBe(false);
  });
});
