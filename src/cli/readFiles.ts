import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '../api/index.ts';
import { CliError } from './CliError.ts';
import { badValue } from './options.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SCENARIO_DIR = resolve(HERE, '../../scenarios');
export const BUILT_IN = ['default', 'bookinfo'] as const;

/**
 * Reads scenario files as given on the command line. A directory stands for
 * the YAML files directly inside it (like `kubectl apply -f DIR`). No files:
 * the built-in default scenario.
 */
export function readScenarioFiles(paths: string[], builtIn?: string): SourceFile[] {
  if (builtIn !== undefined) {
    if (!(BUILT_IN as readonly string[]).includes(builtIn)) throw badValue('--scenario', builtIn, BUILT_IN.join(' or '));
    return [readOne(join(SCENARIO_DIR, `${builtIn}.yaml`))];
  }
  if (paths.length === 0) return [readOne(join(SCENARIO_DIR, 'default.yaml'))];
  const files: SourceFile[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new CliError(`cannot read ${path}`, 'no such file or directory');
    }
    if (stat.isDirectory()) {
      const yamls = readdirSync(path).filter((f) => /\.ya?ml$/i.test(f)).sort();
      if (yamls.length === 0) throw new CliError(`${path} is a directory with no .yaml or .yml files`, 'name the files, or a directory that holds them');
      for (const f of yamls) files.push(readOne(join(path, f)));
    } else {
      files.push(readOne(path));
    }
  }
  return files;
}

function readOne(path: string): SourceFile {
  try {
    return { name: path, text: readFileSync(path, 'utf8') };
  } catch (error) {
    throw new CliError(`cannot read ${path}`, (error as NodeJS.ErrnoException).code ?? String(error));
  }
}

/** Reads one text file named on the command line (a cases file); a directory or a missing file is a usage error. */
export function readTextFile(path: string): string {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new CliError(`cannot read ${path}`, 'no such file or directory');
  }
  if (stat.isDirectory()) throw new CliError(`${path} is a directory`, 'name a file');
  return readOne(path).text;
}
