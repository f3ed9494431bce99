#!/usr/bin/env node
// Runs the CLI bundled into build/cli/ by `npm install` (the prepare script) or `npm run build:cli`.
import { existsSync } from 'node:fs';

const built = new URL('../build/cli/main.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('meshviz: the CLI is not built yet (run `npm install`, or `npm run build:cli`, in the meshviz folder first)\n');
  process.exit(2);
}
const { main } = await import(built.href);
process.exitCode = await main(process.argv);
