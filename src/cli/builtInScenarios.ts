import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The scenarios shipped in `scenarios/`, by name. Kept apart from the file
 * reader so that `meshviz --help`, which lists them, loads no simulator code.
 */
export const BUILT_IN = ['default', 'bookinfo', 'linkerd', 'ambient'] as const;

/** Where they are: two folders up from here, from src/cli/ as from the bundle in build/cli/. */
export const SCENARIO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios');
