import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';

const run = promisify(execFile);

/** The CLI with its environment changed (COLUMNS, NO_COLOR, FORCE_COLOR): stdout is a pipe, as in CI. */
async function withEnv(env: Record<string, string | undefined>, ...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['bin/meshviz.js', ...args], { env: environment(env), encoding: 'utf8' });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

/** This process's environment with `changes` made (`undefined`: removed). */
function environment(changes: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete env[k];
  return env;
}

const SEND = ['send', '--from', 'api', '--to', 'users:8080/users/1', '--fail', 'users-v1=503', '--seed', '1'];
// CI (set on CI machines) makes Node report a terminal as two-colour, whatever TERM says: a terminal here is a colour one.
const plain = { NO_COLOR: undefined, FORCE_COLOR: undefined, COLUMNS: undefined, CI: undefined, TERM: 'xterm-256color' };
const ANSI = /\x1b\[[\d;]*m/;

describe('-o as kubectl has it', () => {
  it('json, its alias --json, and yaml print the same data', async () => {
    const json = await meshviz(...SEND, '-o', 'json');
    expect(json.code).toBe(0);
    expect((await meshviz(...SEND, '--json')).stdout).toBe(json.stdout);
    expect(parse((await meshviz(...SEND, '-o', 'yaml')).stdout)).toEqual(JSON.parse(json.stdout));
  }, 30_000);

  it('jsonpath selects with kubectl templates', async () => {
    const r = await meshviz(...SEND, '-o', 'jsonpath={.status} {.flags[0]} {.attempts}');
    expect(r.stdout).toBe('503 URX 4\n');
    expect((await meshviz('analyze', '--scenario', 'bookinfo', '-o', 'jsonpath={[*].code}')).stdout).toBe('MV0402 MV0402 MV0402 MV0402\n');
  }, 30_000);

  it('tables are cut to COLUMNS with an ellipsis; a pipe gets whole lines; -o wide adds columns and cuts nothing', async () => {
    const narrow = await withEnv({ ...plain, COLUMNS: '80' }, ...SEND);
    const lines = narrow.stdout.split('\n');
    expect(lines.every((l) => [...l].length <= 80)).toBe(true);
    expect(lines.some((l) => l.endsWith('…'))).toBe(true);

    const piped = await withEnv(plain, ...SEND);
    expect(piped.stdout).toMatch(/balancer LEAST_REQUEST chose users-v1-\S+ \(1\/1 endpoints available\): only one available host: users-v1-\S+$/m);
    expect(piped.stdout).not.toContain('…\n');

    const wide = await withEnv({ ...plain, COLUMNS: '80' }, ...SEND, '-o', 'wide');
    expect(wide.stdout).toMatch(/^ +9\.873 ms {3}#1 {3}try 1 {3}api-\S+ envoy {3,}attempt\.result {3,}attempt 1 at users-v1-\S+: 503$/m);
    expect(wide.stdout.split('\n').some((l) => [...l].length > 80)).toBe(true);
  }, 30_000);

  it("simulate's tables keep their columns aligned, whatever the names' lengths", async () => {
    const r = await withEnv(plain, 'simulate', '--duration', '20s');
    const table = r.stdout.split('\n\n').find((block) => block.startsWith('edges')) as string;
    const [, header, ...rows] = table.split('\n');
    expect(header).toMatch(/^EDGE +REQUESTS {3}CODES +P50 +P99$/);
    const at = (header as string).indexOf('CODES');
    for (const row of rows) expect(row.slice(at - 3, at), row).toBe('   ');
    expect(new Set(rows.map((row) => row.length - row.trimStart().length))).toEqual(new Set([0]));
  }, 30_000);

  it('colour only on a terminal: never into a pipe, forced by FORCE_COLOR, and NO_COLOR wins over a terminal only', async () => {
    expect((await withEnv(plain, ...SEND)).stdout).not.toMatch(ANSI);
    expect((await withEnv({ ...plain, FORCE_COLOR: '1' }, ...SEND)).stdout).toMatch(ANSI);
    expect((await withEnv({ ...plain, FORCE_COLOR: '0' }, ...SEND)).stdout).not.toMatch(ANSI);
    expect((await withEnv({ ...plain, NO_COLOR: '1' }, ...SEND)).stdout).not.toMatch(ANSI);
    expect((await withEnv({ ...plain, FORCE_COLOR: '1' }, ...SEND, '-o', 'json')).stdout).not.toMatch(ANSI);
  }, 30_000);

  it('on a terminal: cut to its width, in colour unless NO_COLOR', async () => {
    // util-linux's script gives the CLI a pseudo-terminal 70 columns wide.
    const onTerminal = async (env: Record<string, string | undefined>): Promise<string[]> => {
      const shell = `stty cols 70; ${JSON.stringify(process.execPath)} bin/meshviz.js send --from web --to api:8080/`;
      const { stdout } = await run('script', ['-qec', shell, '/dev/null'], { env: environment({ ...plain, ...env }), encoding: 'utf8' });
      return stdout.replace(/\r/g, '').trimEnd().split('\n');
    };
    const coloured = await onTerminal({});
    expect(coloured.join('\n')).toMatch(ANSI);
    expect(coloured.map((l) => [...l.replace(new RegExp(ANSI, 'g'), '')].length).every((n) => n <= 70)).toBe(true);
    expect(coloured.some((l) => l.replace(new RegExp(ANSI, 'g'), '').endsWith('…'))).toBe(true);
    expect((await onTerminal({ NO_COLOR: '1' })).join('\n')).not.toMatch(ANSI);
  }, 30_000);

  it('version prints JSON and YAML too', async () => {
    const json = JSON.parse((await meshviz('version', '-o', 'json')).stdout) as Record<string, string>;
    expect(json).toEqual({ meshviz: expect.stringMatching(/^\d+\.\d+\.\d+/), models: expect.stringMatching(/^Istio \d+\.\d+ /), node: process.version });
    expect(parse((await meshviz('version', '-o', 'yaml')).stdout)).toEqual(json);
  }, 30_000);
});

describe('send --fail alone, like curl -f', () => {
  it('exits 1 on an answer that is not 2xx and says so on stderr; 0 on a 2xx', async () => {
    const ok = await meshviz('send', '--from', 'web', '--to', 'api:8080/', '--fail');
    expect(ok).toMatchObject({ code: 0, stderr: '' });

    const failed = await meshviz('send', '--from', 'api', '--to', 'users:8080/', '--fail', 'users-v1=503', '--fail', '--seed', '42');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^→ 503 URX/m);
    expect(failed.stderr).toBe('meshviz: request #1 was answered 503 URX (--fail exits 1 on a non-2xx answer)\n');

    const repeated = await meshviz('send', '--fail', '--from', 'api', '--to', 'users:8080/', '--fail', 'users-v1=503', '--repeat', '4', '--seed', '42', '-o', 'json');
    expect(repeated.code).toBe(1);
    expect(repeated.stderr).toBe('meshviz: 4 of 4 answers were not 2xx, the first 503 URX (--fail exits 1 on a non-2xx answer)\n');

    const without = await meshviz('send', '--from', 'api', '--to', 'users:8080/', '--fail', 'users-v1=503', '--seed', '42');
    expect(without.code).toBe(0);
  }, 60_000);
});
