// Bundles the CLI (src/cli/main.ts) into build/cli/, run by `npm install` (prepare)
// and `npm run build:cli`. One file per command, loaded when that command runs,
// so `meshviz --help` reads no simulator code and `send` no Vite.
import { build } from 'esbuild';
import { renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = resolve(ROOT, 'build/cli');

// Built into a fresh folder, then put in place of the previous build.
const next = `${OUT}.next-${process.pid}`;
rmSync(next, { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  // The sweep's worker threads and simulate's telemetry writers' and file writer's threads load their own entries (threads start from a file).
  entryPoints: { main: 'src/cli/main.ts', sweepWorker: 'src/cli/sweepWorker.ts', telemetryWorker: 'src/cli/telemetryWorker.ts', fileWriterWorker: 'src/cli/fileWriterWorker.ts' },
  outdir: next,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // Packages' ES module builds where they have one: a CommonJS one bundled behind import()
  // would give a namespace without its named exports (@peculiar/x509 has no exports map).
  mainFields: ['module', 'main'],
  target: 'node22',
  // `serve` runs Vite's dev server on the sources: Vite stays a package, not bundled code.
  // tinypool starts its workers from its own files in node_modules: it stays a package too.
  external: ['vite', 'tinypool'],
  // ajv-formats-draft2019 depends on the punycode package but require('punycode') names Node's
  // deprecated built-in, which warns on stderr once the call no longer comes from node_modules.
  alias: { punycode: 'punycode/' },
  // CommonJS dependencies bundled into ES modules still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);" },
  // Chunks sit beside main.js: modules find package.json and scenarios/ two folders up, as from src/cli/.
  chunkNames: '[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});
rmSync(OUT, { recursive: true, force: true });
renameSync(next, OUT);
