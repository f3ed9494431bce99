import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './CliError.ts';

/** Writes `DIR/scenario.yaml` (creating DIR); refuses to overwrite unless forced. Returns the path written. */
export function writeExport(dir: string, yaml: string, force: boolean): string {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new CliError(`-o ${dir}: not a directory`);
  const path = join(dir, 'scenario.yaml');
  if (existsSync(path) && !force) throw new CliError(`${path} exists; use --force to overwrite it`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, yaml, 'utf8');
  } catch (error) {
    throw new CliError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return path;
}
