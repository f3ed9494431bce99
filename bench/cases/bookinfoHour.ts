import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { runSimulation } from '../../src/api/index.ts';
import { formatNumber, secondsSince } from '../stats.ts';
import { runCli } from './cli.ts';
import type { Figures } from './Figures.ts';
import { builtIn, firstTraffic, openLoop, requestHops, scenarioPath, withTraffic } from './session.ts';

const RPS = 1000;
const SECONDS = 3600;

/**
 * One hour of Istio's Bookinfo at 1,000 rps through the CLI, as a user runs
 * it: `scenarios/bookinfo.yaml` with its traffic turned up, written to a
 * temporary file, then `node bin/meshviz.js simulate <file> --json`. Also a
 * one-second run of the same file, which is mostly start-up.
 */
export async function bookinfoHour(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'meshviz-bench-'));
  try {
    const file = join(dir, 'bookinfo-hour.yaml');
    writeFileSync(file, bookinfoAt(RPS, `${SECONDS}s`));
    const short = await runCli(['simulate', file, '--json', '--duration', '1s']);
    const hour = await runCli(['simulate', file, '--json']);
    const report = JSON.parse(hour.stdout) as { requests: { total: number }; events: number; pods: Array<{ received: number }> };
    return {
      'bin/meshviz.js runs': cliKind(),
      requests: formatNumber(report.requests.total),
      'request-hops': formatNumber(requestHops(report.pods)),
      events: formatNumber(report.events),
      'wall s (simulated s per wall s)': `${formatNumber(hour.wallSeconds, 1)} (${formatNumber(SECONDS / hour.wallSeconds, 1)})`,
      'request-hops/s, start-up included': formatNumber(requestHops(report.pods) / hour.wallSeconds),
      [`peak RSS MiB (${hour.peakFrom})`]: formatNumber(hour.peakRss / 2 ** 20),
      'the same file with --duration 1s: wall s, peak RSS MiB': `${formatNumber(short.wallSeconds, 2)}, ${formatNumber(short.peakRss / 2 ** 20)}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same hour through `runSimulation` in the bench's own process (no CLI start-up, no JSON). Not in the default set: it takes as long as the CLI run. */
export function bookinfoHourInProcess(): Figures {
  const session = builtIn('bookinfo');
  let peak = process.memoryUsage().rss;
  const start = process.hrtime.bigint();
  const report = runSimulation(withTraffic(session, [openLoop(firstTraffic(session), RPS, SECONDS)]), {
    progress: () => void (peak = Math.max(peak, process.memoryUsage().rss)),
  });
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = secondsSince(start);
  return {
    requests: formatNumber(report.requests.total),
    events: formatNumber(report.events),
    'wall s': formatNumber(seconds, 1),
    'request-hops/s': formatNumber(requestHops(report.pods) / seconds),
    'peak RSS MiB (sampled)': formatNumber(peak / 2 ** 20),
  };
}

/** What `bin/meshviz.js` starts: a compiled bundle under build/ (flagged when src/ changed after it was built), or the sources through tsx. */
function cliKind(): string {
  const bin = readFileSync(new URL('../../bin/meshviz.js', import.meta.url), 'utf8');
  if (!/build\/cli/.test(bin)) return 'the TypeScript sources through tsx';
  const bundle = fileURLToPath(new URL('../../build/cli/main.js', import.meta.url));
  const src = fileURLToPath(new URL('../../src/', import.meta.url));
  if (!existsSync(bundle)) return 'the compiled bundle (build/cli), not built';
  const built = statSync(bundle).mtimeMs;
  const stale = readdirSync(src, { recursive: true, encoding: 'utf8' }).some((f) => statSync(join(src, f)).mtimeMs > built);
  return stale ? 'the compiled bundle (build/cli), OLDER than src/: run npm run build:cli' : 'the compiled bundle (build/cli)';
}

/** bookinfo.yaml with its Simulation's first traffic source at `rps` for `duration`, edited through the yaml Document API (comments kept). */
export function bookinfoAt(rps: number, duration: string): string {
  const docs = parseAllDocuments(readFileSync(scenarioPath('bookinfo'), 'utf8'));
  if (!Array.isArray(docs)) throw new Error('bookinfo.yaml has no documents');
  const simulation = docs.find((d) => d.get('kind') === 'Simulation');
  if (!simulation) throw new Error('bookinfo.yaml has no Simulation document');
  simulation.setIn(['spec', 'traffic', 0, 'rps'], rps);
  simulation.setIn(['spec', 'traffic', 0, 'duration'], duration);
  return docs.map((d) => d.toString()).join('');
}
