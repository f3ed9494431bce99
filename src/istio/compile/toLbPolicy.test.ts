import { describe, expect, it } from 'vitest';
import { toLbPolicy } from './toLbPolicy.ts';

describe('toLbPolicy (§2.3, §5)', () => {
  it('§2.3 default and LEAST_CONN are LEAST_REQUEST with choice count 2', () => {
    for (const lb of [undefined, {}, { simple: 'UNSPECIFIED' as const }, { simple: 'LEAST_REQUEST' as const }, { simple: 'LEAST_CONN' as const }]) {
      expect(toLbPolicy(lb)).toEqual({ kind: 'LEAST_REQUEST', choiceCount: 2 });
    }
  });

  it('§5 ROUND_ROBIN and RANDOM', () => {
    expect(toLbPolicy({ simple: 'ROUND_ROBIN' })).toEqual({ kind: 'ROUND_ROBIN' });
    expect(toLbPolicy({ simple: 'RANDOM' })).toEqual({ kind: 'RANDOM' });
  });

  it('§5 consistentHash → RING_HASH with minimum ring size 1024 unless set', () => {
    expect(toLbPolicy({ consistentHash: { httpHeaderName: 'x-user' } })).toEqual({ kind: 'RING_HASH', minimumRingSize: 1024 });
    expect(toLbPolicy({ consistentHash: { httpHeaderName: 'x', ringHash: { minimumRingSize: 64 } } })).toEqual({
      kind: 'RING_HASH',
      minimumRingSize: 64,
    });
    expect(toLbPolicy({ consistentHash: { useSourceIp: true, minimumRingSize: 128 } })).toEqual({
      kind: 'RING_HASH',
      minimumRingSize: 128,
    });
  });
});
