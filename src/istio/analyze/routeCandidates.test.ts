import { describe, expect, it } from 'vitest';
import type { RouteXds } from '../../model/index.ts';
import { routeCandidates } from './routeCandidates.ts';

const route = (name: string, match: RouteXds['match']): RouteXds => ({
  name,
  origin: { kind: 'default' },
  match,
  action: { kind: 'directResponse', status: 200, body: '' },
});
const jason = route('jason', { headers: [{ name: 'end-user', matcher: { kind: 'exact', value: 'jason', ignoreCase: false }, invert: false }], queryParams: [] });
const posts = route('posts', { path: { kind: 'prefix', value: '/orders', ignoreCase: false }, headers: [{ name: ':method', matcher: { kind: 'exact', value: 'POST', ignoreCase: false }, invert: false }], queryParams: [] });
const all = route('all', { headers: [], queryParams: [] });

describe('routeCandidates', () => {
  it('keeps routes that may match, up to the first that surely does', () => {
    const names = (path: string, method: string, headers: Record<string, string> = {}) =>
      routeCandidates([jason, posts, all], { path, method, headers }).map((r) => r.name);
    expect(names('/orders/1', 'POST')).toEqual(['jason', 'posts']);
    expect(names('/orders/1', 'GET')).toEqual(['jason', 'all']);
    expect(names('/', 'GET', { 'end-user': 'jason' })).toEqual(['jason']);
    expect(names('/', 'GET', { 'end-user': 'alice' })).toEqual(['all']);
  });
});
