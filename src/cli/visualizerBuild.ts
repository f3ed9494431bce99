import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder: index.html, vite.config.ts, src/, scenarios/ and the build output dist/. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST_DIR = join(PROJECT_ROOT, 'dist');

/** What the build reads: when any of these is newer than dist/index.html, the build is out of date. */
const BUILD_INPUTS = ['index.html', 'vite.config.ts', 'package.json', 'package-lock.json', 'src', 'scenarios'];
/** Under the inputs, but never in the bundle: the CLI (Node code) and the tests beside the code. */
const NOT_BUILT = /^(cli|.*\.test\.tsx?)$/;

/**
 * Whether dist/ is missing or older than the sources it is built from
 * (file modification times; the CLI and tests beside the code do not count).
 */
export function visualizerBuildIsStale(root: string = PROJECT_ROOT): boolean {
  const builtAt = mtimeMs(join(root, 'dist', 'index.html'));
  if (builtAt === undefined) return true;
  return BUILD_INPUTS.some((input) => newerThan(join(root, input), builtAt));
}

/**
 * Builds the visualizer into dist/ with Vite when the build is stale, saying
 * so on `progress` with the time it took. Vite is loaded only then, and only its errors are shown (the warnings are the maintainers' business: `npm run build`).
 */
export async function ensureVisualizerBuild(progress: (line: string) => void, root: string = PROJECT_ROOT): Promise<void> {
  if (!visualizerBuildIsStale(root)) return;
  progress('building the visualizer…');
  const startedAt = performance.now();
  const { build } = await import('vite');
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'error', clearScreen: false });
  progress(`built the visualizer in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
}

function newerThan(path: string, time: number): boolean {
  const own = mtimeMs(path);
  if (own === undefined) return false;
  if (own > time) return true;
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some((e) => !NOT_BUILT.test(e.name) && (e.isDirectory() || e.isFile()) && newerThan(join(path, e.name), time));
}

function mtimeMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}
