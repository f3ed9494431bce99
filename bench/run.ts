import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as cases from './cases.ts';

/**
 * `npm run bench`: each case in a fresh Node process (so memory figures do
 * not mix), results as a table. `npm run bench -- throughput` runs one case.
 */
const ALL = ['throughput', 'memoryLight', 'memoryHeavy', 'bookinfoHour'] as const;
type CaseName = (typeof ALL)[number];

const [, , arg, child] = process.argv;

if (child === '--child') {
  const result = cases[arg as CaseName]();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const chosen = arg ? ALL.filter((c) => c === arg) : [...ALL];
  if (chosen.length === 0) {
    process.stderr.write(`unknown bench case "${arg}" (choose ${ALL.join(', ')})\n`);
    process.exit(2);
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`meshviz bench — Node ${process.version}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB`);
  const self = fileURLToPath(import.meta.url);
  for (const name of chosen) {
    process.stderr.write(`running ${name}…\n`);
    const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', self, name, '--child'], { encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop() as string) as Record<string, unknown>;
    console.log(`${name.padEnd(14)} ${Object.entries(result).map(([k, v]) => `${k}=${v}`).join('  ')}`);
  }
}
