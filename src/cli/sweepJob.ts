import { basename } from 'node:path';
import { stringify } from 'yaml';
import type { SourceFile, SweepPlan } from '../api/index.ts';
import { CliError } from './CliError.ts';

export interface JobOptions {
  shards: number;
  image: string;
  claim: string;
  name: string;
}

/**
 * A ConfigMap holding the scenario files and a Kubernetes Indexed Job whose
 * index I runs `meshviz sweep … --shard I/N --out /results` in the image,
 * writing its shard onto a volume claim; `meshviz sweep merge` reads them.
 */
export function sweepJob(files: readonly SourceFile[], plan: SweepPlan, o: JobOptions): string {
  const names = files.map((f) => basename(f.name));
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new CliError(`two files are named ${twice}`, 'a ConfigMap holds files by name: rename one');
  const vary = plan.vary.map((v) => `--vary ${quote(`${v.key}=${v.values.join(',')}`)}`);
  const seeds = plan.seeds;
  const command = ['exec meshviz sweep', ...names.map((n) => quote(`/scenario/${n}`)), ...vary, `--seeds ${seeds.length}`, `--first-seed ${seeds[0] ?? 1}`, `--shard "$JOB_COMPLETION_INDEX/${o.shards}"`, '--out /results'].join(' ');
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${o.name}-scenario` }, data: Object.fromEntries(files.map((f, i) => [names[i], f.text])) };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: o.name },
    spec: {
      completionMode: 'Indexed',
      completions: o.shards,
      parallelism: o.shards,
      backoffLimitPerIndex: 1,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{
            name: 'sweep',
            image: o.image,
            command: ['sh', '-c', command],
            resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { memory: '2Gi' } },
            volumeMounts: [{ name: 'scenario', mountPath: '/scenario', readOnly: true }, { name: 'results', mountPath: '/results' }],
          }],
          volumes: [{ name: 'scenario', configMap: { name: `${o.name}-scenario` } }, { name: 'results', persistentVolumeClaim: { claimName: o.claim } }],
        },
      },
    },
  };
  return [configMap, job].map((doc) => stringify(doc, { lineWidth: 0 })).join('---\n');
}

/** A word for `sh -c`, single-quoted when it needs to be. */
function quote(word: string): string {
  return /^[\w./=,:@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
