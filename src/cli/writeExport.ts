import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './CliError.ts';

/** Writes `DIR/name` (creating DIR); refuses to overwrite unless forced. Returns the path written. */
export function writeExport(dir: string, name: string, text: string, force: boolean): string {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new CliError(`--output-dir ${dir} is not a directory`, 'name a directory to write scenario.yaml into');
  const path = join(dir, name);
  if (existsSync(path) && !force) throw new CliError(`${path} exists`, 'add --force to overwrite it');
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, text, 'utf8');
  } catch (error) {
    throw new CliError(`cannot write ${path}`, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  return path;
}
