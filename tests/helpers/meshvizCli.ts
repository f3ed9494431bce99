import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs the CLI as users do (`bin/meshviz.js`, the built bundle) and returns
 * its exit code and output; a first argument ending in `meshviz.js` names
 * another launcher.
 */
export async function meshviz(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const launcher = args[0]?.endsWith('meshviz.js') ? [] : ['bin/meshviz.js'];
  try {
    const { stdout, stderr } = await run(process.execPath, [...launcher, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
