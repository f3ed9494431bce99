import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** package.json, two folders up from src/cli/ and from the built build/cli/ alike. */
const PACKAGE_JSON = resolve(dirname(fileURLToPath(import.meta.url)), '../../package.json');

/** meshviz's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
}
