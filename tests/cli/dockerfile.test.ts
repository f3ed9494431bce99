import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tempDir.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'))
  .map((line) => {
    const [op = '', ...rest] = line.trim().split(/\s+/);
    return { op: op.toUpperCase(), args: rest.join(' ') };
  });
const all = (op: string) => instructions.filter((i) => i.op === op).map((i) => i.args);
const workdir = all('WORKDIR')[0] ?? '/';
const copies = all('COPY').map((args) => {
  const parts = args.split(/\s+/);
  return { sources: parts.slice(0, -1), dest: parts.at(-1) ?? '.' };
});

/**
 * The Dockerfile the Indexed Job's image is built from (`sweep --emit-job`),
 * checked without a Docker daemon: what it copies is rebuilt the way its
 * RUN does (the package's prepare script on those files alone, the locked
 * dependencies standing in for `npm ci`), and the program its `meshviz`
 * link names runs one shard to the same bytes as the repository's CLI.
 */
describe('the Dockerfile', () => {
  it('starts from a Node the package supports, copies files that exist and .dockerignore keeps, and names the tag --emit-job uses', () => {
    const from = /^node:(\d+)-slim$/.exec(all('FROM')[0] ?? '');
    const engines = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node as string;
    expect(Number(from?.[1])).toBeGreaterThanOrEqual(Number(/^>=(\d+)/.exec(engines)?.[1]));
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim().replace(/\/$/, '')).filter((l) => l !== '' && !l.startsWith('#'));
    for (const source of copies.flatMap((c) => c.sources)) {
      expect(existsSync(join(ROOT, source)), source).toBe(true);
      expect(ignored, source).not.toContain(source);
    }
    expect(dockerfile).toContain('docker build -t meshviz:latest .');
    expect(all('ENTRYPOINT')).toEqual(['["meshviz"]']);
  });

  it("what it copies builds the CLI, and the program its meshviz link names runs a shard to the repository CLI's bytes", async () => {
    const image = tempDir('image');
    const inImage = (path: string) => join(image, posix.relative(workdir, posix.resolve(workdir, path)));
    for (const { sources, dest } of copies) {
      // Several sources, or a destination ending in `/`: each goes into that folder; one source (a file or a folder's contents) becomes the destination.
      const into = sources.length > 1 || dest.endsWith('/');
      for (const source of sources) cpSync(join(ROOT, source), into ? join(inImage(dest), posix.basename(source)) : inImage(dest), { recursive: true });
    }
    // `npm ci` installs the locked dependencies; the repository's own install stands in for it.
    symlinkSync(join(ROOT, 'node_modules'), join(image, 'node_modules'));
    const prepare = JSON.parse(readFileSync(join(image, 'package.json'), 'utf8')).scripts.prepare as string;
    const [node, script = ''] = prepare.split(/\s+/);
    expect(node).toBe('node');
    await run(process.execPath, [script], { cwd: image });
    const link = /ln -s (\S+) \/usr\/local\/bin\/meshviz/.exec(all('RUN').join(' '))?.[1] ?? '';
    const program = inImage(link);
    expect(existsSync(program), link).toBe(true);
    // The built-in scenario (the one --emit-job puts in its ConfigMap when no files are named), from the image's own files.
    const args = ['sweep', '--vary', 'retries.attempts=0,3', '--seeds', '2', '--shard', '1/4', '--out', 'out'];
    const fromImage = await run(process.execPath, [program, ...args], { cwd: image });
    expect(fromImage.stderr).toMatch(/wrote out\/shard-1-of-4\.json/);
    const direct = tempDir('direct');
    await run(process.execPath, [join(ROOT, 'bin/meshviz.js'), ...args], { cwd: direct });
    expect(readFileSync(join(image, 'out', 'shard-1-of-4.json'), 'utf8')).toBe(readFileSync(join(direct, 'out', 'shard-1-of-4.json'), 'utf8'));
  }, 120_000);
});
