import { readFileSync } from 'node:fs';
import { digestRun } from '../../src/api/index.ts';
import type { DigestRun, SourceFile } from '../../src/api/index.ts';

/**
 * Runs whose full event streams are pinned by digest (tests/golden/streams.json):
 * every built-in scenario and example, the scenario's own story over several
 * seeds, Bookinfo with failures, and the README's `send` commands.
 */
export interface GoldenCase extends Omit<DigestRun, 'files'> {
  name: string;
  /** Paths from the project root. */
  files: string[];
}

const s = 1_000_000;

const BOOKINFO_FAILURES: NonNullable<DigestRun['timeline']> = [
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
const LINKERD = 'scenarios/linkerd.yaml';
const AMBIENT = 'scenarios/ambient.yaml';
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
  { name: 'linkerd story, seed 42', files: [LINKERD], seed: 42 },
  { name: 'send api → users under linkerd, users-v1 failing 503, 8 in a row', files: [LINKERD], seed: 42, send: { from: 'api', to: 'users:8080/', failures: [{ target: 'users-v1', mode: '503' }], repeat: 8 } },
  { name: 'ambient story, seed 42', files: [AMBIENT], seed: 42 },
  { name: 'send api → users under ambient (through the waypoint), users-v1 failing 503, 8 in a row', files: [AMBIENT], seed: 42, send: { from: 'api', to: 'users:8080/', failures: [{ target: 'users-v1', mode: '503' }], repeat: 8 } },
];

/** The digest of the whole event stream of one case, its files read from disk. */
export function digestOf(c: GoldenCase): string {
  return digestRun({ ...c, files: readCaseFiles(c) });
}

/** A case's files as `{ name, text }`, named by their path from the project root. */
export function readCaseFiles(c: GoldenCase): SourceFile[] {
  return c.files.map((name) => ({ name, text: readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8') }));
}
