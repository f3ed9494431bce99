import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';
import { tempDir } from '../helpers/tempDir.ts';

const EXPORT = 'tests/fixtures/cluster-export/bookinfo-export.yaml';

/** scenarios/bookinfo.yaml laid out as a GitOps repository: a folder per app, kustomizations, Flux objects, CI files. */
function gitopsTree(): string {
  const root = tempDir('gitops');
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const documents = readFileSync('scenarios/bookinfo.yaml', 'utf8').split(/^---$/m);
  documents.forEach((text, i) => {
    const kind = /^kind: (\w+)/m.exec(text)?.[1] ?? 'Other';
    const name = /^ {2}name: ([\w-]+)/m.exec(text)?.[1] ?? 'x';
    const folder = kind === 'Simulation' ? 'simulation' : `apps/${name.replace(/-v\d$/, '').replace(/^bookinfo-/, '')}`;
    write(`${folder}/${String(i).padStart(2, '0')}-${kind.toLowerCase()}.yaml`, text);
  });
  write('apps/reviews/kustomization.yaml', 'resources:\n  - 05-service.yaml\n');
  write('clusters/prod/bookinfo.yaml', 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: bookinfo, namespace: flux-system}\nspec: {interval: 10m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}\n');
  write('.github/workflows/ci.yaml', 'on: push\njobs: {check: {runs-on: ubuntu-latest, steps: [{run: meshviz analyze .}]}}\n');
  return root;
}

describe('a cluster as people have it', () => {
  it('analyze on a kubectl export: the findings of the hand-written Bookinfo, plus the evicted pod', async () => {
    const r = await meshviz('analyze', EXPORT);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe('0 errors, 4 warnings, 1 info');
    expect(r.stdout).toMatch(/MV0031  info  pod is Failed \(Evicted\), not Running/);
  }, 30_000);

  it('send on a kubectl export: pods by their real names, answered like the hand-written Bookinfo', async () => {
    const r = await meshviz('send', EXPORT, '--from', 'productpage', '--to', 'reviews:9080/reviews/0');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/productpage-v1-6986825f42-bc9w8/);
    expect(r.stdout).toMatch(/reviews-v1-69bddfd65b-jgt6m/);
    expect(r.stdout).toMatch(/→ 200 in/);
  }, 30_000);

  it('reads a GitOps tree: every folder, no kustomization.yaml, no dot-folders', async () => {
    const r = await meshviz('analyze', gitopsTree());
    expect(r.stderr.trim()).toBe('0 errors, 4 warnings, 1 info');
    expect(r.stdout).toMatch(/clusters\/prod\/bookinfo\.yaml:1:1 {2}MV0024 {2}info {2}Kustomization does not affect the mesh: ignored/);
    expect(r.stdout).not.toMatch(/ci\.yaml|kustomization\.yaml/);
    expect(r.stdout.match(/MV0402/g)).toHaveLength(4);
  }, 30_000);
});
