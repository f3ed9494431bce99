import { describe, expect, it } from 'vitest';
import { parseExpectation } from './parseExpectation.ts';

const parsed = (text: string): unknown => {
  const result = parseExpectation(text);
  return result.ok ? result.expectation : result;
};

describe('parseExpectation', () => {
  it('reads the five forms the issue names', () => {
    expect(parsed('p99 of traffic browse < 500ms')).toEqual({ kind: 'latency', percentile: 99, subject: { kind: 'traffic', name: 'browse' }, op: '<', value: 500_000, window: undefined });
    expect(parsed('success rate of web → api ≥ 99.5 % between 60s and 120s')).toEqual({
      kind: 'successRate', subject: { kind: 'call', from: 'web', to: 'api' }, op: '>=', percent: 99.5, window: { from: 60_000_000, to: 120_000_000 },
    });
    expect(parsed('no 503 UH')).toEqual({ kind: 'none', status: { kind: 'exact', status: 503 }, flags: ['UH'], subject: { kind: 'all' }, window: undefined });
    expect(parsed('users-v1 ejected within 20s of failing')).toEqual({ kind: 'ejected', target: 'users-v1', within: 20_000_000, window: undefined });
    expect(parsed('retries ≤ 20 % of requests')).toEqual({ kind: 'retries', op: '<=', value: 20, percent: true, window: undefined });
  });

  it('takes ASCII operators and arrows, status classes, several flags, a subject for "no", open windows', () => {
    expect(parsed('success rate of api->users.default >= 99%')).toMatchObject({ subject: { kind: 'call', from: 'api', to: 'users.default' }, op: '>=', percent: 99 });
    expect(parsed('no 5xx of traffic browse after 50s')).toMatchObject({ status: { kind: 'class', hundreds: 5 }, flags: [], subject: { kind: 'traffic', name: 'browse' }, window: { from: 50_000_000, to: undefined } });
    expect(parsed('no UT,URX of web -> api before 1m')).toMatchObject({ status: undefined, flags: ['UT', 'URX'], subject: { kind: 'call', from: 'web', to: 'api' }, window: { from: 0, to: 60_000_000 } });
    expect(parsed('p99.9 of traffic browse <= 1s')).toMatchObject({ percentile: 99.9, op: '<=', value: 1_000_000 });
    expect(parsed('retries < 10')).toMatchObject({ kind: 'retries', value: 10, percent: false });
  });

  it('says where a malformed condition stops making sense', () => {
    expect(parsed('p99 of traffic browse < 500')).toEqual({ ok: false, offset: 24, message: 'expected a duration with its unit (500ms, 20s, 2m), found "500"' });
    expect(parsed('p95 of traffic browse < 5ms')).toMatchObject({ ok: false, offset: 0, message: expect.stringContaining('"p95" does not start a condition') });
    expect(parsed('success rate of web api ≥ 99 %')).toMatchObject({ ok: false, offset: 20, message: expect.stringContaining('expected "→" after "web"') });
    expect(parsed('success rate of web → api ≥ 99')).toEqual({ ok: false, offset: 30, message: 'expected "%" after the number at the end' });
    expect(parsed('success rate of web → api ≥ 101 %')).toMatchObject({ ok: false, offset: 28, message: 'a percentage is at most 100' });
    expect(parsed('no 503 UH please')).toMatchObject({ ok: false, offset: 10, message: 'unexpected "please" after a complete condition' });
    expect(parsed('no')).toMatchObject({ ok: false, offset: 2 });
    expect(parsed('p99 of traffic browse < 5ms between 20s and 10s')).toMatchObject({ ok: false, offset: 44, message: 'a window ends after it starts' });
    expect(parsed('')).toMatchObject({ ok: false, offset: 0 });
  });
});
