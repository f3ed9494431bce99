import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CASES, EXTRA_CASES } from './cases.ts';
import type { Figures } from './cases/Figures.ts';

/**
 * `npm run bench`: each case in a fresh Node process (so memory figures do
 * not mix), results as a table. `npm run bench -- throughput` runs one case;
 * `--node PATH` runs the cases on another Node binary.
 */
const CHILD = '--child';
const args = process.argv.slice(2);

if (args.includes(CHILD)) {
  const name = args[0] as string;
  const bench = CASES[name] ?? EXTRA_CASES[name];
  if (!bench) throw new Error(`unknown bench case "${name}"`);
  const figures = await bench();
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} else {
  const nodeAt = args.indexOf('--node');
  const node = nodeAt >= 0 ? args[nodeAt + 1] : process.execPath;
  if (node === undefined) usage('--node needs the path of a node binary');
  const named = args.filter((a, i) => !a.startsWith('--') && (nodeAt < 0 || i !== nodeAt + 1));
  const unknown = named.filter((n) => !(n in CASES) && !(n in EXTRA_CASES));
  if (unknown.length > 0) usage(`unknown bench case "${unknown.join('", "')}"`);
  const chosen = named.length > 0 ? named : Object.keys(CASES);

  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`meshviz bench — Node ${version}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at ${new Date().toISOString()}`);
  const self = fileURLToPath(import.meta.url);
  const width = 58;
  const caseWidth = Math.max(22, ...chosen.map((n) => n.length + 2));
  console.log(`\n${'case'.padEnd(caseWidth)}${'figure'.padEnd(width)}value`);
  for (const name of chosen) {
    process.stderr.write(`running ${name}…\n`);
    const out = execFileSync(node, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', self, name, CHILD], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'inherit'] });
    const figures = JSON.parse(out.trim().split('\n').pop() as string) as Figures;
    let first = true;
    for (const [figure, value] of Object.entries(figures)) {
      console.log(`${(first ? name : '').padEnd(caseWidth)}${figure.padEnd(width)}${value}`);
      first = false;
    }
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

function usage(problem: string): never {
  process.stderr.write(`${problem}\nusage: npm run bench -- [${[...Object.keys(CASES), ...Object.keys(EXTRA_CASES)].join('|')}]… [--node PATH]\n`);
  process.exit(2);
}
