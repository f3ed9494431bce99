import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bookinfoWithFailure } from '../helpers/bookinfoFailure.ts';
import { meshviz } from '../helpers/meshvizCli.ts';

/**
 * The exact bytes `meshviz simulate` writes with every output on (metrics,
 * access log as text and as JSON, traces at 100 %), pinned by SHA-256 per
 * file for seeded runs: Bookinfo's story, Bookinfo with a failing details
 * (503s, ejections, UH), the default mesh's story (retries while users-v1
 * fails), fault injection and RBAC denials, STRICT mTLS with a caller
 * without a sidecar, an ingress gateway, Linkerd and ambient, and requests
 * whose path and headers need escaping. The other telemetry tests check
 * what the lines mean; this one holds every byte, so the writers can be
 * made faster without changing what they write. A deliberate change is
 * re-pinned with `MESHVIZ_UPDATE_GOLDEN=1 npx vitest run tests/golden`
 * (after `npm run build:cli`), saying in the commit what changed.
 */
const FILE = new URL('./telemetryOutputs.json', import.meta.url);
const update = process.env.MESHVIZ_UPDATE_GOLDEN === '1';
const pinned = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, Record<string, string>>;
const seen: Record<string, Record<string, string>> = {};

const dir = mkdtempSync(join(tmpdir(), 'meshviz-golden-telemetry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file in the temporary directory with `text`, for the runs that edit a scenario. */
function written(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const DEFAULT = 'scenarios/default.yaml';
/** The default mesh without its Simulation document, for a Simulation of a test's own. */
const defaultMesh = () => readFileSync(DEFAULT, 'utf8').split('\n---\napiVersion: meshviz.dev/v1alpha1\nkind: Simulation')[0] as string;

interface Case {
  name: string;
  files: () => string[];
  args: string[];
  format: 'text' | 'json';
}

const CASES: Case[] = [
  { name: 'bookinfo story, seed 42, text', files: () => ['scenarios/bookinfo.yaml'], args: ['--seed', '42', '--duration', '30s'], format: 'text' },
  { name: 'bookinfo story, seed 42, json', files: () => ['scenarios/bookinfo.yaml'], args: ['--seed', '42', '--duration', '30s'], format: 'json' },
  ...(['text', 'json'] as const).map((format) => ({
    name: `bookinfo, details failing 503 and ejected, ${format}`,
    files: () => [written('bookinfo-failing.yaml', bookinfoWithFailure('40s', '10s', '25s'))],
    args: [],
    format,
  })),
  ...(['text', 'json'] as const).map((format) => ({ name: `default story (retries), ${format}`, files: () => [DEFAULT], args: [], format })),
  { name: 'fault-abort and rbac, json', files: () => [DEFAULT, 'examples/fault-abort.yaml', 'examples/rbac.yaml'], args: ['--duration', '20s'], format: 'json' },
  { name: 'strict mTLS, legacy client, text', files: () => [DEFAULT, 'examples/legacy-client.yaml', 'examples/strict-mtls.yaml'], args: ['--duration', '20s'], format: 'text' },
  { name: 'ingress gateway, text', files: () => ['examples/ingress'], args: ['--duration', '10s'], format: 'text' },
  { name: 'linkerd story, json', files: () => ['scenarios/linkerd.yaml'], args: ['--duration', '20s'], format: 'json' },
  { name: 'ambient story, text', files: () => ['scenarios/ambient.yaml'], args: ['--duration', '20s'], format: 'text' },
  ...(['text', 'json'] as const).map((format) => ({
    name: `requests that need escaping, ${format}`,
    files: () => [written('odd-requests.yaml', `${defaultMesh()}\n---\n${readFileSync('tests/fixtures/telemetry/odd-requests.yaml', 'utf8')}`)],
    args: [],
    format,
  })),
];

describe('golden telemetry outputs: every byte of the metrics, access log and traces of seeded runs', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const out = (f: string) => join(dir, `${CASES.indexOf(c)}-${f}`);
      const result = await meshviz(
        'simulate', ...c.files(), ...c.args, '--start', '2026-01-05T09:00:00Z', '-o', 'json',
        '--metrics', out('metrics.om'), '--access-log', out('access.log'), '--access-log-format', c.format, '--traces', out('traces.jsonl'), '--trace-sampling', '100',
      );
      expect(result.stderr).not.toMatch(/\berror\b/);
      expect(result.code).toBe(0);
      const digests: Record<string, string> = {};
      for (const f of ['metrics.om', 'access.log', 'traces.jsonl']) {
        const bytes = readFileSync(out(f));
        expect(bytes.length, f).toBeGreaterThan(0);
        digests[f] = `${bytes.length} ${createHash('sha256').update(bytes).digest('hex')}`;
      }
      seen[c.name] = digests;
      if (update) {
        if (Object.keys(seen).length === CASES.length) writeFileSync(FILE, `${JSON.stringify(seen, null, 2)}\n`);
        return;
      }
      expect(digests).toEqual(pinned[c.name]);
    }, 60_000);
  }

  it.runIf(!update)('every pinned case is still run', () => {
    expect(Object.keys(pinned).sort()).toEqual(CASES.map((c) => c.name).sort());
  });
});
