import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '../../src/api/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One starting point for mutation: the files a user would load together. */
export interface Seed {
  name: string;
  files: SourceFile[];
}

function read(relative: string): SourceFile {
  return { name: relative, text: readFileSync(join(ROOT, relative), 'utf8') };
}

function yamlIn(folder: string): string[] {
  return readdirSync(join(ROOT, folder)).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => `${folder}/${f}`);
}

/**
 * Every built-in scenario and example as users load them (each example
 * beside the default scenario, the egress mesh on its own), Bookinfo with each of its VirtualService
 * files, and the analyzer fixtures beside their base mesh.
 */
export function loadCorpus(): Seed[] {
  const seeds: Seed[] = yamlIn('scenarios').map((path) => ({ name: path, files: [read(path)] }));
  const base = read('scenarios/default.yaml');
  for (const path of yamlIn('examples')) seeds.push({ name: path, files: [base, read(path)] });
  seeds.push({ name: 'examples/ (all)', files: [base, ...yamlIn('examples').map(read)] });
  seeds.push({ name: 'examples/egress/', files: yamlIn('examples/egress').map(read) });
  const bookinfo = read('tests/fixtures/bookinfo/bookinfo.yaml');
  const rules = read('tests/fixtures/bookinfo/destination-rule-all.yaml');
  for (const path of yamlIn('tests/fixtures/bookinfo').filter((p) => p.includes('virtual-service'))) {
    seeds.push({ name: path, files: [bookinfo, rules, read(path)] });
  }
  const mesh = read('tests/fixtures/broken/base/mesh.yaml');
  for (const path of yamlIn('tests/fixtures/broken')) seeds.push({ name: path, files: [mesh, read(path)] });
  return seeds;
}
