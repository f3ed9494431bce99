import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, runSimulation, startSimulation } from '../../api/index.ts';
import { ChartSeries } from './ChartSeries.ts';

describe('the live charts’ series', () => {
  // The default story: 20 rps web → api for 60 s; users-v1 answers 503 from 15 s to 45 s.
  const opened = openSession([{ name: 'default.yaml', text: readFileSync('scenarios/default.yaml', 'utf8') }]);
  if (!opened.ok) throw new Error('default.yaml does not load');
  const series = new ChartSeries();
  const run = startSimulation(opened.session, { sink: (e) => series.add(e) });
  while (run.advance());
  const data = series.data(61_000_000);
  const report = runSimulation(opened.session);

  it('has a point per whole simulated second', () => {
    expect(data.t.slice(0, 3)).toEqual([0, 1, 2]);
    expect(data.t).toHaveLength(61);
  });

  it('counts every call by its answer: the report’s calls, code for code', () => {
    const total = (code: number) => data.byCode.find((s) => s.code === code)?.perSecond.reduce((a, b) => a + b, 0) ?? 0;
    const reported = (code: string) => report.calls.reduce((n, c) => n + (c.byCode[code] ?? 0), 0);
    expect(data.byCode.map((s) => s.code)).toEqual([200, 500, 503]);
    for (const code of [200, 500, 503]) expect(total(code)).toBe(reported(String(code)));
  });

  it('shows the 503s from the failure until the ejection (30 s) ends, and the retries and the ejection at its start', () => {
    const s503 = data.byCode.find((s) => s.code === 503)!.perSecond;
    expect(s503.findIndex((n) => n > 0)).toBe(15);
    expect(s503.slice(15, 45).every((n) => n > 0)).toBe(true);
    expect(s503.slice(50).every((n) => n === 0)).toBe(true);
    expect(data.retries.reduce((a, b) => a + b, 0)).toBe(report.retries);
    expect(data.ejections.reduce((a, b) => a + b, 0)).toBe(report.ejections.length);
    expect(data.ejections.findIndex((n) => n > 0)).toBe(15);
  });

  it('has the senders’ p50 and p99 each second, none after the traffic stops', () => {
    expect(data.p50[5]).toBeGreaterThan(0);
    expect(data.p99[5]!).toBeGreaterThanOrEqual(data.p50[5]!);
    expect(data.p99.at(-1)).toBeNull();
  });
});
