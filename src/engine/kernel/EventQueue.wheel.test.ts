import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './EventQueue.ts';

const SPAN = EventQueue.SPAN;

describe('EventQueue across its timing wheel and heap', () => {
  it('property: pops in (time, push order) for interleaved pushes near and far, with compaction', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), delay: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 3 * SPAN }), fc.constant(SPAN - 1), fc.constant(SPAN)), dead: fc.boolean() }),
      fc.record({ kind: fc.constant('pop' as const) }),
      fc.record({ kind: fc.constant('compact' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const q = new EventQueue<{ dead: boolean }>();
        let reference: Array<{ t: number; id: number; dead: boolean }> = [];
        let now = 0;
        let id = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            q.push(now + o.delay, 1, id, 0, { dead: o.dead });
            reference.push({ t: now + o.delay, id, dead: o.dead });
            id += 1;
          } else if (o.kind === 'compact') {
            q.compact((payload) => payload.dead);
            reference = reference.filter((r) => !r.dead);
          } else {
            reference.sort((a, b) => a.t - b.t || a.id - b.id);
            const want = reference.shift();
            const kind = q.pop();
            expect(kind === 0 ? undefined : q.a).toBe(want?.id);
            if (want) {
              expect(q.time).toBe(want.t);
              now = want.t;
            }
          }
          expect(q.size).toBe(reference.length);
          reference.sort((a, b) => a.t - b.t || a.id - b.id);
          expect(q.peekTime()).toBe(reference[0]?.t);
        }
        expect(q.entries().map((e) => e.a)).toEqual(reference.map((r) => r.id));
      }),
      { numRuns: 300 },
    );
  });

  it('at equal times, a task that waited in the heap comes before one the wheel took later', () => {
    const q = new EventQueue();
    const FAR_FIRST = 1;
    const NEAR = 2;
    const SAME_TIME_LATER = 3;
    q.push(SPAN + 10, FAR_FIRST);
    q.push(20, NEAR);
    expect(q.pop()).toBe(NEAR);
    q.push(SPAN + 10, SAME_TIME_LATER);
    expect([q.pop(), q.pop()]).toEqual([FAR_FIRST, SAME_TIME_LATER]);
  });

  it('popUntil leaves a later item where it is', () => {
    const q = new EventQueue();
    const NEAR = 1;
    const FAR = 2;
    q.push(10, NEAR);
    q.push(3 * SPAN, FAR);
    expect([q.popUntil(9), q.popUntil(10), q.popUntil(SPAN), q.size]).toEqual([0, NEAR, 0, 1]);
    expect([q.popUntil(3 * SPAN), q.time]).toEqual([FAR, 3 * SPAN]);
  });

  it('orders tasks pushed out of time order into one bucket of the wheel by time, then push order', () => {
    const q = new EventQueue();
    for (const [t, id] of [[7, 1], [5, 2], [6, 3], [5, 4], [4, 5], [7, 6]] as const) q.push(t, 1, id);
    const popped: Array<[number, number]> = [];
    while (q.pop() !== 0) popped.push([q.time, q.a]);
    expect(popped).toEqual([[4, 5], [5, 2], [5, 4], [6, 3], [7, 1], [7, 6]]);
  });

  it('keeps order past 2^32 µs (72 simulated minutes), near and far', () => {
    const q = new EventQueue();
    const base = 2 ** 32 - 6;
    q.push(base, 1, 0);
    q.pop();
    for (const [delay, id] of [[9, 1], [3, 2], [SPAN + 2, 3], [SPAN - 1, 4], [6, 5], [0, 6]] as const) q.push(base + delay, 1, id);
    const popped: number[] = [];
    while (q.pop() !== 0) popped.push(q.time - base);
    expect(popped).toEqual([0, 3, 6, 9, SPAN - 1, SPAN + 2]);
  });

  it('refuses a task scheduled before the last one popped', () => {
    const q = new EventQueue();
    q.push(100, 1);
    q.pop();
    expect(() => q.push(99, 1)).toThrow(/before the last task/);
  });

  it('finds the next entry however far ahead it is, across the ring\'s end and back into the word it started from', () => {
    const q = new EventQueue<never>();
    q.push(100, 1);
    q.pop();
    // 100 + SPAN - 1 lands in the bucket just before the cursor's, in the same bitmap word: the last place a search looks.
    q.push(100 + SPAN - 1, 2);
    q.push(100 + 5_000, 3);
    q.push(100 + 9_000, 4);
    const popped: Array<[number, number]> = [];
    for (let kind = q.pop(); kind !== 0; kind = q.pop()) popped.push([kind, q.time]);
    expect(popped).toEqual([[3, 5_100], [4, 9_100], [2, 100 + SPAN - 1]]);
  });
});
