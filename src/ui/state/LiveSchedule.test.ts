import { describe, expect, it } from 'vitest';
import { LiveSchedule } from './LiveSchedule.ts';
import type { LiveTurn } from './LiveSchedule.ts';

function run(schedule: LiveSchedule, frames: number, ms: number, busy: boolean): Array<LiveTurn | undefined> {
  return Array.from({ length: frames }, () => schedule.tick(ms, busy));
}

const times = { calm: 100, busy: 500, turns: 4 };

describe('LiveSchedule', () => {
  it('refreshes everything at once, ten times a second, while few requests are on screen', () => {
    const turns = run(new LiveSchedule(times), 60, 16.7, false).filter((t) => t !== undefined);
    expect(turns).toHaveLength(10);
    expect(turns[0]).toEqual({ channels: ['cards', 'clock', 'stats', 'log', 'grid', 'story'], cardShare: 1 });
  });

  it('when busy, splits each half-second refresh into four turns, each with some panels and a quarter of the cards', () => {
    const turns = run(new LiveSchedule(times), 60, 16.7, true).filter((t) => t !== undefined);
    expect(turns).toHaveLength(8);
    expect(turns.slice(0, 4)).toEqual([
      { channels: ['cards', 'clock', 'story'], cardShare: 0.25 },
      { channels: ['cards', 'stats'], cardShare: 0.25 },
      { channels: ['cards', 'log'], cardShare: 0.25 },
      { channels: ['cards', 'grid'], cardShare: 0.25 },
    ]);
  });

  it('starts the interval again after a full refresh', () => {
    const s = new LiveSchedule(times);
    run(s, 5, 16.7, false);
    s.reset();
    expect(run(s, 5, 16.7, false).every((t) => t === undefined)).toBe(true);
  });
});
