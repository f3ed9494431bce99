import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from './Sandbox.ts';

/**
 * Every input kept in tests/fixtures/hostile/ (a file, or a folder loaded as
 * one scenario) goes through analyze, export, send and simulate in a worker
 * with a deadline: none may crash, hang or exhaust memory. Each file's first
 * comment says what it is and what meshviz should do with it.
 */
const DIR = 'tests/fixtures/hostile';
const fixtures = readdirSync(DIR).filter((f) => !f.endsWith('.md')).sort();

function filesOf(name: string): Array<{ name: string; text: string }> {
  const path = join(DIR, name);
  const names = statSync(path).isDirectory() ? readdirSync(path).sort().map((f) => join(path, f)) : [path];
  return names.map((n) => ({ name: n, text: readFileSync(n, 'utf8') }));
}

describe('hostile inputs', () => {
  const sandbox = new Sandbox({ deadlineMs: 30_000, memoryMb: 2048 });
  afterAll(() => sandbox.close());

  it.each(fixtures)('%s', async (name) => {
    const verdict = await sandbox.run(filesOf(name));
    expect(verdict.kind === 'crash' ? `${verdict.message}\n${verdict.stack}` : verdict.kind).toBe('ok');
  }, 60_000);
});
