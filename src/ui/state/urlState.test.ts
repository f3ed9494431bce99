import { describe, expect, it } from 'vitest';
import { decodeUrlState, encodeUrlState, urlStateText } from './urlState.ts';
import type { UrlState } from './urlState.ts';

describe('urlState', () => {
  it('round-trips every control', () => {
    const state: UrlState = {
      scenario: 'bookinfo',
      from: 'productpage-v1',
      to: 'reviews',
      path: '/reviews/0',
      speed: 0.1,
      rate: 20,
      failing: { 'reviews-v2-abc-xyz': '503', 'ratings-v1-q-w': 'slow' },
      weights: { 'default/reviews#0': [80, 0, 20] },
      mtls: 'STRICT',
      caller: 'productpage-v1-a-b',
      view: 'graph',
    };
    expect(decodeUrlState(`#${encodeUrlState(state)}`)).toEqual(state);
  });

  it('drops what it does not understand', () => {
    const state = decodeUrlState('s=default&fail=a:explode,b:503&w=x:1.200,y:50.50&mtls=MAYBE&speed=-1&view=map');
    expect(state).toEqual({ scenario: 'default', failing: { b: '503' }, weights: { y: [50, 50] }, from: undefined, to: undefined, path: undefined, caller: undefined, speed: undefined, rate: undefined });
  });

  it('defaults to the built-in scenario', () => {
    expect(decodeUrlState('').scenario).toBe('default');
  });

  it('reads a query typed by hand under the fragment, the fragment winning where both say', () => {
    expect(decodeUrlState(urlStateText('?view=graph', '')).view).toBe('graph');
    expect(decodeUrlState(urlStateText('?view=graph', '#s=bookinfo'))).toMatchObject({ scenario: 'bookinfo', view: 'graph' });
    expect(decodeUrlState(urlStateText('?s=default&speed=2', '#s=bookinfo&speed=4'))).toMatchObject({ scenario: 'bookinfo', speed: 4 });
    expect(decodeUrlState(urlStateText('', '#view=pods')).view).toBeUndefined();
  });
});
