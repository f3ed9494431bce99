import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliError } from './CliError.ts';

/** Writes a report a flag asked for (`--junit FILE`, `--sarif FILE`), creating its directory; a failure names the flag. */
export function writeOutputFile(flag: string, path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text.endsWith('\n') ? text : `${text}\n`, 'utf8');
  } catch (error) {
    throw new CliError(`${flag}: cannot write ${path}`, (error as NodeJS.ErrnoException).code ?? String(error));
  }
}
