import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAX_TOTAL_BYTES } from '../api/index.ts';
import type { SourceFile } from '../api/index.ts';
import { CliError } from './CliError.ts';
import { badValue } from './options.ts';
import { BUILT_IN, SCENARIO_DIR } from './builtInScenarios.ts';
const KUSTOMIZATION = /^kustomization\.ya?ml$/i;

/**
 * Reads scenario files as given on the command line. A directory stands for
 * the YAML files in it and in its subdirectories, in path order, as GitOps
 * repositories lay manifests out (like `kubectl apply -R -f DIR`); entries
 * whose names start with a dot (`.git`, `.github`) are skipped. No files: the
 * built-in default scenario.
 */
export function readScenarioFiles(paths: string[], builtIn?: string): SourceFile[] {
  if (builtIn !== undefined) {
    if (!(BUILT_IN as readonly string[]).includes(builtIn)) throw badValue('--scenario', builtIn, BUILT_IN.join(' or '));
    return [readOne(join(SCENARIO_DIR, `${builtIn}.yaml`))];
  }
  if (paths.length === 0) return [readOne(join(SCENARIO_DIR, 'default.yaml'))];
  const names: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new CliError(`cannot read ${path}`, 'no such file or directory');
    }
    if (stat.isDirectory()) {
      const yamls = yamlFilesUnder(path);
      if (yamls.length === 0) throw new CliError(`${path} is a directory with no .yaml or .yml files`, 'name the files, or a directory that holds them');
      names.push(...yamls);
    } else {
      names.push(path);
    }
  }
  // Sizes first: a directory of large files is refused before any of it is read.
  const total = names.reduce((sum, name) => sum + sizeOf(name), 0);
  if (total > DEFAULT_MAX_TOTAL_BYTES) {
    throw new CliError(`the files add up to ${mib(total)}, over the limit of ${mib(DEFAULT_MAX_TOTAL_BYTES)} for one scenario`, 'load fewer files or a smaller export');
  }
  return names.map(readOne);
}

/**
 * The YAML files under a directory, depth first in name order. Dot-entries
 * and symlinked directories are not followed; `kustomization.yaml` files
 * describe a kustomize build rather than objects, so they are left out
 * (render an overlay with `kubectl kustomize DIR` to load what it builds).
 */
function yamlFilesUnder(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.') && !KUSTOMIZATION.test(entry.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFilesUnder(path);
    return (entry.isFile() || entry.isSymbolicLink()) && /\.ya?ml$/i.test(entry.name) ? [path] : [];
  });
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
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
