import { describe, expect, it } from 'vitest';
import { fixedPart, instructionsOf, perUnit, programOutput } from '../../bench/instructions/cachegrind.ts';

// valgrind 3.19's summary as cachegrind prints it with --cache-sim=no, after the program's own output.
const REPORT = `==3318== Cachegrind, a cache and branch-prediction profiler
==3318== Command: node --single-threaded workloads.ts engine 30
==3318==
==3318== Warning: set address range perms: large range [0x59c87000, 0x79c87000) (noaccess)
==3318==
==3318== I   refs:      5,240,794,978
`;

describe('instruction counts', () => {
  it('reads the total from cachegrind\'s summary, commas and all', () => {
    expect(instructionsOf(REPORT)).toBe(5_240_794_978);
  });

  it('says so, with the end of the output, when valgrind printed no count (the program failed)', () => {
    expect(() => instructionsOf('==1== Command: node x\nError: boom\n')).toThrow(/no instruction count in valgrind's output:\n.*Error: boom/s);
  });

  it('takes the steady state as the slope between a run and a longer one, so what both paid once cancels', () => {
    // 1,000 M paid once, 40,000 per unit: 30,000 units, then 60,000.
    const short = { instructions: 1e9 + 40_000 * 30_000, work: 30_000 };
    const long = { instructions: 1e9 + 40_000 * 60_000, work: 60_000 };
    expect(perUnit(short, long)).toBe(40_000);
    expect(fixedPart(short, perUnit(short, long))).toBe(1e9);
  });

  it('refuses a pair whose longer run did no more work', () => {
    expect(() => perUnit({ instructions: 2, work: 10 }, { instructions: 3, work: 10 })).toThrow(/no more work than the shorter one \(10 and 10\)/);
  });

  it('tells a failed workload by its own words, without valgrind\'s lines around them', () => {
    const stderr = `==8360== Cachegrind, a cache and branch-prediction profiler
--8360-- warning: L3 cache found, using its data for the LL simulation.
Error: usage: workloads.ts engine|reference SECONDS
    at workloads.ts:99:48
==8360== brk segment overflow in thread #1: can't grow to 0x7432000
`;
    expect(programOutput(stderr)).toBe('Error: usage: workloads.ts engine|reference SECONDS\n    at workloads.ts:99:48');
  });
});
