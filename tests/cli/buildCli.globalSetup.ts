import { execFileSync } from 'node:child_process';

/**
 * The CLI tests run bin/meshviz.js, which runs the bundle in build/cli/:
 * rebuilt from the sources first, so the tests check what `npm install` gives users.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/buildCli.js'], { stdio: 'inherit' });
}
