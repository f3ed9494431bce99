import { describe, expect, it } from 'vitest';
import { byKind, threadStat } from '../../bench/cases/cli.ts';

// /proc/PID/task/TID/stat as Linux writes it: utime and stime (fields 14 and 15) in clock ticks.
const line = (name: string, utime: number, stime: number): string =>
  `4242 (${name}) S 4200 4200 1218 0 -1 4194368 3301 0 0 0 ${utime} ${stime} 0 0 20 0 9 0 84015 1003806720 21000 18446744073709551615 1 1 0 0 0 0 0 16781312 17922 0 0 0 -1 1 0 0 0 0 0`;

describe("a CLI run's threads", () => {
  it('reads a thread\'s name and its user + system ticks, a name with spaces and parentheses included', () => {
    expect(threadStat(line('MainThread', 131, 7))).toEqual({ name: 'MainThread', ticks: 138 });
    expect(threadStat(line('odd (name) x', 5, 1))).toEqual({ name: 'odd (name) x', ticks: 6 });
  });

  it("sorts threads by Node's and V8's names into the run, the workers (and each, in the order given), V8's own and the rest, in seconds", () => {
    const cpu = byKind([
      { name: 'MainThread', ticks: 120 },
      { name: 'WorkerThread', ticks: 90 },
      { name: 'WorkerThread', ticks: 20 },
      { name: 'V8Worker', ticks: 20 },
      { name: 'V8Worker', ticks: 25 },
      { name: 'libuv-worker', ticks: 3 },
    ]);
    expect(cpu).toEqual({ main: 1.2, workers: 1.1, eachWorker: [0.9, 0.2], v8: 0.45, other: 0.03 });
  });
});
