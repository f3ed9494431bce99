import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './EventQueue.ts';
import { TimingWheel } from './TimingWheel.ts';

const SPAN = TimingWheel.SPAN;

describe('EventQueue across its timing wheel and heap', () => {
  it('property: pops in (time, push order) for interleaved pushes near and far, with compaction', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), delay: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 3 * SPAN }), fc.constant(SPAN - 1), fc.constant(SPAN)), dead: fc.boolean() }),
      fc.record({ kind: fc.constant('pop' as const) }),
      fc.record({ kind: fc.constant('compact' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const q = new EventQueue<{ id: number; dead: boolean }>();
        let reference: Array<{ t: number; id: number; dead: boolean }> = [];
        let now = 0;
        let id = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            const item = { id: id++, dead: o.dead };
            q.push(now + o.delay, item);
            reference.push({ t: now + o.delay, id: item.id, dead: o.dead });
          } else if (o.kind === 'compact') {
            q.compact((item) => item.dead);
            reference = reference.filter((r) => !r.dead);
          } else {
            reference.sort((a, b) => a.t - b.t || a.id - b.id);
            const want = reference.shift();
            const got = q.pop();
            expect(got?.id).toBe(want?.id);
            if (want) {
              expect(q.time).toBe(want.t);
              now = want.t;
            }
          }
          expect(q.size).toBe(reference.length);
          reference.sort((a, b) => a.t - b.t || a.id - b.id);
          expect(q.peekTime()).toBe(reference[0]?.t);
        }
        expect(q.entries().map((e) => e.item.id)).toEqual(reference.map((r) => r.id));
      }),
      { numRuns: 300 },
    );
  });

  it('at equal times, a task that waited in the heap comes before one the wheel took later', () => {
    const q = new EventQueue<string>();
    q.push(SPAN + 10, 'far, pushed first');
    q.push(20, 'near');
    expect(q.pop()).toBe('near');
    q.push(SPAN + 10, 'same time, pushed later');
    expect([q.pop(), q.pop()]).toEqual(['far, pushed first', 'same time, pushed later']);
  });

  it('popUntil leaves a later item where it is', () => {
    const q = new EventQueue<string>();
    q.push(10, 'near');
    q.push(3 * SPAN, 'far');
    expect([q.popUntil(9), q.popUntil(10), q.popUntil(SPAN), q.size]).toEqual([undefined, 'near', undefined, 1]);
    expect([q.popUntil(3 * SPAN), q.time]).toEqual(['far', 3 * SPAN]);
  });

  it('refuses a task scheduled before the last one popped', () => {
    const q = new EventQueue<number>();
    q.push(100, 1);
    q.pop();
    expect(() => q.push(99, 2)).toThrow(/before the last task/);
  });
});
