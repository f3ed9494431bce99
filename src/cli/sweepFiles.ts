import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult, SourceFile, SweepPlan } from '../api/index.ts';
import { CliError } from './CliError.ts';
import { readTextFile } from './readFiles.ts';

/** What one shard of a sweep writes (`--shard i/N --out DIR`), and what `sweep merge DIR` reads. */
export interface ShardFile {
  meshvizSweep: 1;
  plan: SweepPlan;
  /** A digest of the scenario files, so shards of different scenarios are not merged. */
  scenario: string;
  shard: number;
  of: number;
  results: RunResult[];
}

export function scenarioDigest(files: readonly SourceFile[]): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.name.split('/').at(-1)}\0${f.text}\0`);
  return hash.digest('hex').slice(0, 16);
}

export function shardFileName(shard: number, of: number): string {
  return `shard-${String(shard).padStart(String(of - 1).length, '0')}-of-${of}.json`;
}

/** Every shard file in DIR, checked to be of one sweep with every shard there once. */
export function readShards(dir: string): ShardFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => /^shard-\d+-of-\d+\.json$/.test(f)).sort();
  } catch {
    throw new CliError(`cannot read ${dir}`, 'name the directory the shards wrote with --out');
  }
  if (names.length === 0) throw new CliError(`${dir} holds no shard-I-of-N.json files`, 'run meshviz sweep … --shard I/N --out DIR first');
  const shards = names.map((name) => {
    try {
      return JSON.parse(readTextFile(join(dir, name))) as ShardFile;
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`${join(dir, name)} is not a shard file`, 'it is not JSON');
    }
  });
  const [first] = shards;
  if (!first || shards.some((s) => s.meshvizSweep !== 1)) throw new CliError(`${dir} holds a file that is not a meshviz sweep shard`, 'merge only what sweep --shard wrote');
  const other = shards.find((s) => s.scenario !== first.scenario || JSON.stringify(s.plan) !== JSON.stringify(first.plan) || s.of !== first.of);
  if (other) throw new CliError(`shard ${other.shard} of ${dir} is of another sweep`, 'the shards must come from the same files, --vary and --seeds');
  const seen = new Set(shards.map((s) => s.shard));
  const missing = [...Array(first.of).keys()].filter((i) => !seen.has(i));
  if (missing.length > 0) throw new CliError(`${dir} lacks shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${first.of}`, 'wait for every index of the job, or run the missing ones with --shard I/N');
  return shards;
}
