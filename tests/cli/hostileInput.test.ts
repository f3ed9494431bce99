import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('meshviz on files no scenario should be', () => {
  // 24 files of 4.9 MB once took analyze to 4.25 GB. Sizes are checked before anything is read.
  it('refuses a directory over the total limit before reading it, in one line', async () => {
    const dir = tempDir('big');
    const filler = `# ${'x'.repeat(4.9 * 1024 * 1024)}\n`;
    for (let i = 0; i < 7; i++) writeFileSync(join(dir, `part-${i}.yaml`), filler);
    const r = await meshviz('analyze', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('meshviz: the files add up to 34.3 MiB, over the limit of 32.0 MiB for one scenario (load fewer files or a smaller export)\n');
  }, 60_000);

  it('names a UTF-16 file and says how to convert it', async () => {
    const dir = tempDir('utf16');
    const file = join(dir, 'mesh.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n', 'utf16le')]));
    const r = await meshviz('analyze', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${file}:1:1  MV0013  error  file is UTF-16 (little-endian), not UTF-8: save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.yaml, or "Save with encoding: UTF-8" in an editor)\n`);
  }, 30_000);
});
