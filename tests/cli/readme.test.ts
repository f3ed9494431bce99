import { execFile } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tempDir.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

interface Example {
  command: string;
  /** Text its output (stdout and stderr) must contain. */
  fragments: string[];
  status: number;
  line: number;
}

/**
 * The README's examples: in every fenced `sh` block, each `npx meshviz …`
 * line, with the `#> text` lines under it (fragments of what it prints) and
 * an optional `# exits N` (default 0).
 */
function readmeExamples(markdown: string): Example[] {
  const examples: Example[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((raw, index) => {
    const opening = /^(\s*)```(\w*)\s*$/.exec(raw);
    if (opening) {
      fence = fence === undefined ? (opening[2] === 'sh' ? opening[1] ?? '' : '\0') : undefined;
      return;
    }
    if (fence === undefined || fence === '\0') return;
    const line = raw.slice(fence.length);
    const last = examples.at(-1);
    if (line.startsWith('npx meshviz ')) examples.push({ command: line, fragments: [], status: 0, line: index + 1 });
    else if (line.startsWith('#> ') && last) last.fragments.push(line.slice(3));
    else if (/^# exits \d$/.test(line) && last) last.status = Number(line.slice(-1));
  });
  return examples;
}

const examples = readmeExamples(readFileSync(join(ROOT, 'README.md'), 'utf8'));

/** A scratch folder that sees the repository's files, so examples may write (export --output-dir) without touching it. */
function workspace(): string {
  const dir = tempDir('readme');
  for (const name of ['scenarios', 'examples', 'tests']) symlinkSync(join(ROOT, name), join(dir, name));
  return dir;
}

describe("the README's examples", () => {
  it('are read from sh blocks only, indented ones too, with their fragments and status', () => {
    const sample = ['```sh', 'npx meshviz a', '#> one', '# a comment', '#> two', '```', '```yaml', 'npx meshviz not-sh', '```', '- item:', '  ```sh', '  npx meshviz b', '  #> three', '  # exits 2', '  ```'].join('\n');
    expect(readmeExamples(sample)).toEqual([
      { command: 'npx meshviz a', fragments: ['one', 'two'], status: 0, line: 2 },
      { command: 'npx meshviz b', fragments: ['three'], status: 2, line: 12 },
    ]);
  });

  it('are there, each with a fragment of its output to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(15);
    for (const e of examples) expect(e.fragments, `README.md:${e.line} ${e.command}`).not.toEqual([]);
  });

  const cwd = workspace();
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  delete env['COLUMNS'];

  it.each(examples.map((e) => [`README.md:${e.line} ${e.command}`, e] as const))('%s', async (_, example) => {
    const script = example.command.replace(/^npx meshviz /, `node ${JSON.stringify(join(ROOT, 'bin/meshviz.js'))} `);
    let status = 0;
    let output: string;
    try {
      const r = await run('bash', ['-c', script], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      output = r.stdout + r.stderr;
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      status = e.code;
      output = e.stdout + e.stderr;
    }
    expect(status, output).toBe(example.status);
    for (const fragment of example.fragments) expect(output).toContain(fragment);
  });
});
