import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './EventQueue.ts';

/** Pops everything: [time, a] per entry. */
function drain(q: EventQueue): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  while (q.pop() !== 0) out.push([q.time, q.a]);
  return out;
}

describe('EventQueue', () => {
  it('pops by time, then in scheduling order at equal times', () => {
    const q = new EventQueue();
    q.push(10, 1, 3);
    q.push(5, 1, 1);
    q.push(10, 1, 4);
    q.push(5, 1, 2);
    q.push(10, 1, 5);
    expect(drain(q).map(([, a]) => a)).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives back each entry as pushed: kind, both numbers, and the payload only where there was one', () => {
    const q = new EventQueue<{ note: string }>();
    const payload = { note: 'timer' };
    q.push(3, 7, 41, -1, payload);
    q.push(3, 9, 2 ** 40, 503);
    expect([q.pop(), q.a, q.b, q.payload]).toEqual([7, 41, -1, payload]);
    expect(q.payload).toBe(payload);
    // The slot the first entry used is reused by the next push; its payload must not leak into it.
    q.push(4, 2, 5, 6);
    expect([q.pop(), q.a, q.b, q.payload]).toEqual([9, 2 ** 40, 503, undefined]);
    expect([q.pop(), q.a, q.b, q.payload, q.pop()]).toEqual([2, 5, 6, undefined, 0]);
  });

  it('keeps FIFO among ten or more ties (no string comparison of ids)', () => {
    const q = new EventQueue();
    for (let i = 0; i < 25; i++) q.push(7, 1, i);
    expect(drain(q).map(([, a]) => a)).toEqual([...Array(25).keys()]);
  });

  it('rejects non-integer times and kinds outside 1..255', () => {
    expect(() => new EventQueue().push(1.5, 1)).toThrow(/integer/);
    expect(() => new EventQueue().push(1, 0)).toThrow(/kind/);
    expect(() => new EventQueue().push(1, 256)).toThrow(/kind/);
  });

  it('property: output is sorted by (t, insertion order) for any input', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 3000 }), (times) => {
        const q = new EventQueue();
        times.forEach((t, i) => q.push(t, 1, i));
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(drain(q)).toEqual(expected);
      }),
    );
  });

  it('property: compact drops the payloads it is told to, keeps entries without one, and keeps the (t, insertion) order of the rest', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.constantFrom('dead', 'alive', 'none')), { maxLength: 2000 }), fc.integer({ min: 0, max: 100 }), (entries, popFirst) => {
        const q = new EventQueue<{ dead: boolean }>();
        entries.forEach(([t, state], i) => q.push(t, 1, i, 0, state === 'none' ? undefined : { dead: state === 'dead' }));
        const popped: number[] = [];
        for (let k = 0; k < popFirst && q.size > 0; k++) {
          q.pop();
          popped.push(q.a);
        }
        q.compact((payload) => payload.dead);
        const rest = drain(q).map(([, a]) => a);
        const order = entries.map(([t], i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i).map((e) => e.i);
        expect(popped).toEqual(order.slice(0, popped.length));
        expect(rest).toEqual(order.slice(popped.length).filter((i) => (entries[i] as [number, string])[1] !== 'dead'));
      }),
    );
  });
});
