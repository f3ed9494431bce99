import { execFile } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';
import { tempDir } from '../helpers/tempDir.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

/** A folder with `meshviz` on it (the built CLI, as `npm install -g` would put it) and the two scripts, written by beforeAll; made here so it is removed after the file's tests. */
const bin = tempDir('completion');
beforeAll(async () => {
  writeFileSync(join(bin, 'meshviz'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin/meshviz.js'))} "$@"\n`);
  chmodSync(join(bin, 'meshviz'), 0o755);
  for (const shell of ['bash', 'zsh']) writeFileSync(join(bin, `meshviz.${shell}`), (await meshviz('completion', shell)).stdout);
}, 30_000);

/** What bash offers for `line` (the cursor at its end), through the script as `source <(meshviz completion bash)` loads it. */
async function bash(line: string): Promise<string[]> {
  const script = `source ${bin}/meshviz.bash; COMP_LINE=${quote(line)}; COMP_POINT=${line.length}; _meshviz; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await run('bash', ['-c', script], { cwd: ROOT, env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` } });
  return stdout.split('\n').filter(Boolean);
}

/** What zsh's completion would be handed: compadd and _files are stood in for, the rest is the script as loaded. */
async function zsh(...words: string[]): Promise<string[]> {
  const stubs = 'compdef() { :; }; compadd() { [[ $1 == -a ]] && print -l -- "${(@P)2}"; }; _files() { print -- "<files>"; }';
  const script = `${stubs}; source ${bin}/meshviz.zsh; words=(meshviz ${words.map(quote).join(' ')}); CURRENT=${words.length + 1}; _meshviz`;
  const { stdout } = await run('zsh', ['-f', '-c', script], { cwd: ROOT, env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` } });
  return stdout.split('\n').filter(Boolean);
}

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

describe('meshviz completion bash', () => {
  it('completes commands, flags and -o values', async () => {
    expect(await bash('meshviz s')).toEqual(['send', 'simulate', 'sweep', 'serve']);
    expect(await bash('meshviz sweep m')).toEqual(['merge']);
    expect(await bash('meshviz send --fr')).toEqual(['--from']);
    expect(await bash('meshviz send --exp')).toEqual(['--explain']);
    expect(await bash('meshviz simulate -o ')).toEqual(['wide', 'json', 'yaml', 'jsonpath=']);
    expect(await bash('meshviz analyze --scenario b')).toEqual(['bookinfo']);
  }, 30_000);

  it('completes workload, app and service names from the files on the line, or --scenario', async () => {
    expect(await bash('meshviz send --from u')).toEqual(['users-v1', 'users-v2', 'users']);
    expect(await bash('meshviz send --scenario bookinfo --from prod')).toEqual(['productpage-v1', 'productpage']);
    expect(await bash('meshviz send scenarios/default.yaml examples/legacy-client.yaml --from leg')).toEqual(['legacy']);
    // bash breaks words at ':' and '=': only what follows is replaced.
    expect(await bash('meshviz send --to users:')).toEqual(['8080']);
    expect(await bash('meshviz send --fail users-v1=re')).toEqual(['reset', 'refuse']);
  }, 30_000);

  it('hands file names over to bash', async () => {
    expect(await bash('meshviz analyze scenarios/boo')).toEqual(['scenarios/bookinfo.yaml']);
  }, 30_000);
});

describe('meshviz completion zsh', () => {
  it('offers the same words, and the file completion for files', async () => {
    expect(await zsh('')).toEqual(['send', 'simulate', 'compare', 'proxy-config', 'graph', 'analyze', 'test-routes', 'diff', 'reach', 'canary', 'sweep', 'export', 'serve', 'version', 'completion']);
    expect(await zsh('send', '--scenario', 'bookinfo', '--to', 'rev')).toEqual(['details:9080', 'productpage:9080', 'ratings:9080', 'reviews:9080']);
    expect(await zsh('send', '--fail', '')).toContain('users-v2=hang');
    expect(await zsh('analyze', 'sc')).toEqual(['<files>']);
    expect(await zsh('proxy-config', '')).toEqual(['clusters', 'listeners', 'routes', 'endpoints']);
    expect(await zsh('proxy-config', 'endpoints', '--scenario', 'bookinfo', 'rev')).toContain('reviews-v1');
  }, 30_000);
});

describe('meshviz __complete', () => {
  it('offers nothing for files that do not load, and never writes to stderr', async () => {
    const r = await meshviz('__complete', 'send', 'missing.yaml', '--from', '');
    expect(r).toEqual({ code: 0, stdout: 'external\n', stderr: '' });
  }, 30_000);
});
