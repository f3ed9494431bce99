import { describe, expect, it } from 'vitest';
import { toFault } from './toFault.ts';

describe('toFault (§2.6 fault injection)', () => {
  it('no fault block → none', () => {
    expect(toFault(undefined)).toBeUndefined();
  });

  it('a percentage that is omitted means 0 %', () => {
    expect(toFault({ delay: { fixedDelay: '7s' }, abort: { httpStatus: 500 } })).toEqual({
      delay: { fixed: 7_000_000, percent: 0 },
      abort: { httpStatus: 500, percent: 0 },
    });
  });

  it('percentage.value is used as given, also fractions', () => {
    expect(toFault({ delay: { fixedDelay: '2s', percentage: { value: 100 } }, abort: { httpStatus: 503, percentage: { value: 0.5 } } })).toEqual({
      delay: { fixed: 2_000_000, percent: 100 },
      abort: { httpStatus: 503, percent: 0.5 },
    });
  });

  it('the deprecated integer percent is honoured for delays; percentage wins over it', () => {
    expect(toFault({ delay: { fixedDelay: '1s', percent: 30 } })?.delay?.percent).toBe(30);
    expect(toFault({ delay: { fixedDelay: '1s', percent: 30, percentage: { value: 10 } } })?.delay?.percent).toBe(10);
  });

  it('gRPC aborts and delays without fixedDelay are not simulated', () => {
    expect(toFault({ abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 100 } } })).toBeUndefined();
    expect(toFault({ delay: { percentage: { value: 100 } } })).toBeUndefined();
  });
});
