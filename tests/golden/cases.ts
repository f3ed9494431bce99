import { readFileSync } from 'node:fs';
import { openSession, runSimulation, sendOne } from '../../src/api/index.ts';
import type { SendOptions, Session } from '../../src/api/index.ts';
import type { TimelineEntry } from '../../src/model/index.ts';
import { StreamDigest } from '../../src/telemetry/index.ts';

/**
 * Runs whose full event streams are pinned by digest (tests/golden/streams.json):
 * every built-in scenario and example, the scenario's own story over several
 * seeds, Bookinfo with failures, and the README's `send` commands.
 */
export interface GoldenCase {
  name: string;
  files: string[];
  seed: number;
  /** Extra timeline entries (virtual µs) appended to the scenario's own. */
  timeline?: TimelineEntry[];
  /** Run the story for at most this long (µs); the default is the scenario's own length. */
  duration?: number;
  /** One `send` instead of the story. */
  send?: SendOptions;
}

const s = 1_000_000;

const BOOKINFO_FAILURES: TimelineEntry[] = [
  { at: 5 * s, action: { kind: 'fail', target: { workload: 'reviews-v3' }, mode: '503' } },
  { at: 12 * s, action: { kind: 'fail', target: { workload: 'ratings-v1' }, mode: 'hang' } },
  { at: 20 * s, action: { kind: 'fail', target: { workload: 'details-v1' }, mode: 'reset' } },
  { at: 28 * s, action: { kind: 'recover', target: { workload: 'ratings-v1' } } },
  { at: 30 * s, action: { kind: 'fail', target: { workload: 'reviews-v2' }, mode: 'refuse' } },
  { at: 40 * s, action: { kind: 'recover', target: { workload: 'reviews-v3' } } },
  { at: 45 * s, action: { kind: 'fail', target: { workload: 'reviews-v1' }, mode: 'slow', delay: 400_000 } },
  { at: 50 * s, action: { kind: 'recover', target: { workload: 'details-v1' } } },
];

const DEFAULT = 'scenarios/default.yaml';
const BOOKINFO = 'scenarios/bookinfo.yaml';
const STRICT = [DEFAULT, 'examples/legacy-client.yaml', 'examples/strict-mtls.yaml'];

export const GOLDEN_CASES: GoldenCase[] = [
  ...[42, 1, 7].map((seed) => ({ name: `default story, seed ${seed}`, files: [DEFAULT], seed })),
  ...[1, 7, 42].map((seed) => ({ name: `bookinfo story, seed ${seed}`, files: [BOOKINFO], seed })),
  ...[1, 7, 42].map((seed) => ({ name: `bookinfo with failures, seed ${seed}`, files: [BOOKINFO], seed, timeline: BOOKINFO_FAILURES })),
  ...[42, 7].map((seed) => ({ name: `fault-abort story, seed ${seed}`, files: [DEFAULT, 'examples/fault-abort.yaml'], seed, duration: 20 * s })),
  ...[42, 7].map((seed) => ({ name: `rbac story, seed ${seed}`, files: [DEFAULT, 'examples/rbac.yaml'], seed, duration: 20 * s })),
  ...[42, 7].map((seed) => ({ name: `strict-mtls story, seed ${seed}`, files: STRICT, seed, duration: 20 * s })),
  { name: 'send web → api', files: [DEFAULT], seed: 42, send: { from: 'web', to: 'api:8080/' } },
  { name: 'send api → users, users-v1 failing 503, 8 in a row', files: [DEFAULT], seed: 42, send: { from: 'api', to: 'users:8080/', failures: [{ target: 'users-v1', mode: '503' }], repeat: 8 } },
  { name: 'send api → users, users-v1 refusing, 4 in a row', files: [DEFAULT], seed: 3, send: { from: 'api', to: 'users:8080/', failures: [{ target: 'users-v1', mode: 'refuse' }], repeat: 4 } },
  { name: 'send retry headers', files: [DEFAULT], seed: 42, send: { from: 'api', to: 'users:8080/', headers: { 'x-envoy-retry-on': '5xx', 'x-envoy-max-retries': '4' }, failures: [{ target: 'users-v1', mode: '503' }] } },
  { name: 'send fault-abort', files: [DEFAULT, 'examples/fault-abort.yaml'], seed: 3, send: { from: 'api', to: 'users:8080/users/1', repeat: 6 } },
  { name: 'send rbac DELETE', files: [DEFAULT, 'examples/rbac.yaml'], seed: 42, send: { from: 'web', to: 'api:8080/', method: 'DELETE' } },
  { name: 'send legacy → api under STRICT', files: STRICT, seed: 42, send: { from: 'legacy', to: 'api:8080/' } },
  { name: 'send bookinfo jason', files: [BOOKINFO], seed: 7, send: { from: 'productpage-v1', to: 'reviews:9080/reviews/0', headers: { 'end-user': 'jason' }, repeat: 3 } },
];

export function openFiles(files: string[]): Session {
  const opened = openSession(files.map((name) => ({ name, text: readFileSync(name, 'utf8') })));
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

/** The digest of the whole event stream of one case. */
export function digestOf(c: GoldenCase): string {
  const session = openFiles(c.files);
  const digest = new StreamDigest();
  if (c.send) {
    const result = sendOne(session, { ...c.send, seed: c.seed, sink: digest.add });
    digest.addText(JSON.stringify([result.status, result.flags, result.durationMs, result.attempts, result.earlier]));
    return digest.hex();
  }
  const simulation = session.scenario.simulation;
  const timeline = [...simulation.timeline, ...(c.timeline ?? [])].sort((a, b) => a.at - b.at);
  const scenario = { ...session.scenario, simulation: { ...simulation, timeline } };
  runSimulation({ ...session, scenario }, { seed: c.seed, duration: c.duration, sink: digest.add });
  return digest.hex();
}
