#!/usr/bin/env node
// Runs the CLI bundled into build/cli/ by `npm install` (the prepare script) or `npm run build:cli`.
import { existsSync } from 'node:fs';
import module from 'node:module';

const built = new URL('../build/cli/main.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('meshviz: the CLI is not built yet (run `npm install`, or `npm run build:cli`, in the meshviz folder first)\n');
  process.exit(2);
}
// Node 22.1 and later keep the bundle's compiled code on disk between runs (in the OS temp folder, or NODE_COMPILE_CACHE;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off). It never throws; the variable passes the folder on to the writers' and sweep threads.
const cache = module.enableCompileCache?.();
if (cache?.directory !== undefined && process.env.NODE_COMPILE_CACHE === undefined) process.env.NODE_COMPILE_CACHE = cache.directory;
const { main } = await import(built.href);
process.exitCode = await main(process.argv);
