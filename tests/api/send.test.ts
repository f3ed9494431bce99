import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_REPEAT, openSession, sendOne } from '../../src/api/index.ts';

function defaultSession() {
  const opened = openSession([{ name: 'scenarios/default.yaml', text: readFileSync('scenarios/default.yaml', 'utf8') }]);
  if (!opened.ok) throw new Error('default scenario does not load');
  return opened.session;
}

describe('sendOne', () => {
  it('--repeat tells the default story: retried with back-off, ejected, then fail-fast UH, back to back', () => {
    const r = sendOne(defaultSession(), { from: 'api', to: 'users:8080/', failures: [{ target: 'users-v1', mode: '503' }], repeat: 4, seed: 42 });
    const story = r.earlier.map((e) => `${e.status} ${e.flags.join(',')} ${e.attempts}`);
    expect(story).toEqual(['503 URX 4', '503 UH 2', '503 UH 1', '503 UH 1']);
    // The scenario's own timeline is not played by send: the requests follow each other within a fraction of a second.
    expect(r.events.at(-1)?.t).toBeLessThan(1_000_000);
  });

  it('a request that never gets an answer is reported after ten minutes of virtual time', () => {
    const r = sendOne(defaultSession(), { from: 'web', to: 'api:8080/', failures: [{ target: 'api', mode: 'hang' }] });
    expect(r.status).toBe(0);
    expect(r.detail).toMatch(/still waiting/);
  });
});

describe('send refuses what it cannot finish', () => {
  it('more repeats than MAX_REPEAT', () => {
    expect(() => sendOne(defaultSession(), { from: 'web', to: 'api:8080/', repeat: MAX_REPEAT + 1 })).toThrow(`--repeat ${MAX_REPEAT + 1} is more than one send follows (send at most ${MAX_REPEAT}, or run traffic with simulate)`);
  });
});

describe('send from a workload with no pods', () => {
  // Found by the fuzzer (seed 13, input 76037): a Deployment scaled to 0 was a caller the engine could not find.
  it('is refused in one line, before the engine runs', () => {
    const text = readFileSync('scenarios/default.yaml', 'utf8').replace('  replicas: 1\n  selector:\n    matchLabels: { app: web }', '  replicas: 0\n  selector:\n    matchLabels: { app: web }');
    const opened = openSession([{ name: 'zero.yaml', text }]);
    expect(opened.ok ? [] : opened.diagnostics.map((d) => `${d.code} ${d.path} ${d.message}`)).toEqual([
      'MV0206 spec.traffic[0].from "web" has no pods (replicas: 0), so nothing can send this traffic; scale it up or send from another workload',
    ]);
    const withoutTraffic = openSession([{ name: 'zero.yaml', text: text.replace(/ {2}traffic:\n(.|\n)*?\n {2}timeline:/, '  timeline:') }]);
    if (!withoutTraffic.ok) throw new Error(withoutTraffic.diagnostics.map((d) => d.message).join('\n'));
    expect(() => sendOne(withoutTraffic.session, { from: 'web', to: 'api:8080/' })).toThrow('--from: web has no pods (it has replicas: 0; send from a workload that runs, or external)');
  });
});
