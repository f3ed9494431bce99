import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './EventQueue.ts';

describe('EventQueue', () => {
  it('pops by time, then in scheduling order at equal times', () => {
    const q = new EventQueue<string>();
    q.push(10, 'c');
    q.push(5, 'a');
    q.push(10, 'd');
    q.push(5, 'b');
    q.push(10, 'e');
    const out: string[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e);
    expect(out).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('keeps FIFO among ten or more ties (no string comparison of ids)', () => {
    const q = new EventQueue<number>();
    for (let i = 0; i < 25; i++) q.push(7, i);
    const out: number[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e);
    expect(out).toEqual([...Array(25).keys()]);
  });

  it('rejects non-integer times', () => {
    expect(() => new EventQueue<number>().push(1.5, 1)).toThrow(/integer/);
  });

  it('property: output is sorted by (t, insertion order) for any input', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 3000 }), (times) => {
        const q = new EventQueue<number>();
        times.forEach((t, i) => q.push(t, i));
        const out: Array<[number, number]> = [];
        for (let e = q.pop(); e !== undefined; e = q.pop()) out.push([q.time, e]);
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(expected);
      }),
    );
  });

  it('property: compact drops what it is told to and keeps the (t, insertion) order of the rest', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 2000 }), fc.integer({ min: 0, max: 100 }), (entries, popFirst) => {
        const q = new EventQueue<{ i: number; dead: boolean }>();
        entries.forEach(([t, dead], i) => q.push(t, { i, dead }));
        const popped: number[] = [];
        for (let k = 0; k < popFirst && q.size > 0; k++) popped.push((q.pop() as { i: number }).i);
        q.compact((item) => item.dead);
        const rest: number[] = [];
        for (let e = q.pop(); e !== undefined; e = q.pop()) rest.push(e.i);
        const order = entries.map(([t], i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i).map((e) => e.i);
        expect(popped).toEqual(order.slice(0, popped.length));
        expect(rest).toEqual(order.slice(popped.length).filter((i) => !(entries[i] as [number, boolean])[1]));
      }),
    );
  });
});
