import { describe, expect, it } from 'vitest';
import { matchCovers } from './matchCovers.ts';

describe('matchCovers', () => {
  it('sees a later match as covered by an equal, a broader prefix, or one with fewer conditions', () => {
    expect(matchCovers({ uri: { prefix: '/users' } }, { uri: { prefix: '/users/admin' } })).toBe(true);
    expect(matchCovers({ uri: { prefix: '/users' } }, { uri: { exact: '/users/1' }, method: { exact: 'GET' } })).toBe(true);
    expect(matchCovers({ headers: { 'End-User': { exact: 'jason' } } }, { headers: { 'end-user': { exact: 'jason' } }, uri: { prefix: '/' } })).toBe(true);
    expect(matchCovers({ sourceLabels: { app: 'web' } }, { sourceLabels: { app: 'web', version: 'v1' } })).toBe(true);
    expect(matchCovers({ uri: { prefix: '/' } }, {})).toBe(true);
  });

  it('does not claim coverage it cannot prove', () => {
    expect(matchCovers({ uri: { prefix: '/users/admin' } }, { uri: { prefix: '/users' } })).toBe(false);
    expect(matchCovers({ uri: { regex: '/u/.*' } }, { uri: { exact: '/u/1' } })).toBe(false);
    expect(matchCovers({ uri: { prefix: '/a' } }, { uri: { prefix: '/A' }, ignoreUriCase: true })).toBe(false);
    expect(matchCovers({ headers: { x: { exact: '1' } } }, { uri: { prefix: '/x' } })).toBe(false);
    expect(matchCovers({ port: 8080 }, { port: 9090 })).toBe(false);
  });
});
