import { chmodSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/CliError.ts';
import { FileSink } from '../../src/cli/FileSink.ts';

/** Writes `text` to `path` through a sink, as `--access-log PATH` does, and closes it. */
function writeThrough(path: string, text: string): void {
  const sink = new FileSink(path, '--access-log');
  sink.write(text);
  sink.close();
}

/** Until the background deletion of a replaced file has run (it is queued on open). */
async function settled(dir: string): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const names = readdirSync(dir);
    if (!names.some((n) => n.endsWith('.replaced'))) return names;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return readdirSync(dir);
}

describe('an output file written over the last run’s', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'meshviz-filesink-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is a new file in its place, with its mode, the old one deleted (not truncated: ext4 writes a truncated file back when it is closed)', async () => {
    const path = join(dir, 'access.log');
    writeFileSync(path, 'the last run wrote a much longer log than this one\n'.repeat(100));
    // A mode the umask (022) would take bits from, were it not set again.
    chmodSync(path, 0o666);
    const before = statSync(path);
    writeThrough(path, 'one line\n');
    const after = statSync(path);
    expect(readFileSync(path, 'utf8')).toBe('one line\n');
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o666);
    expect(await settled(dir)).toEqual(['access.log']);
  });

  it('is made when there is none, and an empty one is written as it is', async () => {
    const path = join(dir, 'run.om');
    writeThrough(path, '# EOF\n');
    expect(readFileSync(path, 'utf8')).toBe('# EOF\n');
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const ino = statSync(empty).ino;
    writeThrough(empty, '{}\n');
    expect(statSync(empty).ino).toBe(ino);
    expect(readFileSync(empty, 'utf8')).toBe('{}\n');
    expect((await settled(dir)).sort()).toEqual(['empty.jsonl', 'run.om']);
  });

  it('through a symbolic link writes the file it points to and leaves the link', async () => {
    const target = join(dir, 'real.log');
    const link = join(dir, 'link.log');
    writeFileSync(target, 'old old old\n');
    symlinkSync(target, link);
    writeThrough(link, 'new\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect((await settled(dir)).sort()).toEqual(['link.log', 'real.log']);
  });

  it('with another link to it is written in place, so every name sees the new run', async () => {
    const path = join(dir, 'access.log');
    const other = join(dir, 'kept.log');
    writeFileSync(path, 'old old old\n');
    linkSync(path, other);
    writeThrough(path, 'new\n');
    expect(readFileSync(other, 'utf8')).toBe('new\n');
    expect(statSync(path).ino).toBe(statSync(other).ino);
    expect((await settled(dir)).sort()).toEqual(['access.log', 'kept.log']);
  });

  it('that is a directory is one clear error naming the flag, the path and why', () => {
    const path = join(dir, 'logs');
    mkdirSync(path);
    expect(() => new FileSink(path, '--access-log')).toThrow(CliError);
    expect(() => new FileSink(path, '--access-log')).toThrow(`cannot write --access-log ${path}: EISDIR`);
  });
});
