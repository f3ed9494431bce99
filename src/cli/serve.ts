import { SCENARIO_DIR } from './builtInScenarios.ts';
import { CliError } from './CliError.ts';
import { PageMetrics } from './pageMetrics.ts';
import { startStaticServer } from './staticServer.ts';
import type { Mount, RunningServer } from './staticServer.ts';
import { DIST_DIR, ensureVisualizerBuild } from './visualizerBuild.ts';

export interface ServeOptions {
  host: string;
  port: number;
  /** When the port is busy, try the next ones instead of failing. */
  nextFreePort?: boolean;
  /** Vite's dev server on the sources instead of the production build. */
  dev?: boolean;
}

/** How many ports after a busy one `--next-free-port` tries. */
const NEXT_PORTS = 20;

/** The production build at `/`, and the built-in scenarios at `/scenarios/` for reading and linking. */
export const VISUALIZER_MOUNTS: readonly Mount[] = [
  { urlPrefix: '/scenarios/', dir: SCENARIO_DIR },
  { urlPrefix: '/', dir: DIST_DIR },
];

/**
 * What `npm start` runs: takes the port (so a busy one fails before any
 * work), builds the visualizer if dist/ is missing or out of date, then
 * prints the URL and serves until the process is stopped.
 */
export async function serve(options: ServeOptions): Promise<void> {
  const server = options.dev ? await startDev(options) : await startVisualizerServer(options);
  if (!options.dev) {
    try {
      await ensureVisualizerBuild((line) => process.stderr.write(`${line}\n`));
    } catch (error) {
      await server.close();
      throw error;
    }
  }
  process.stdout.write(`meshviz visualizer: ${server.url}\n`);
  if (!options.dev) process.stdout.write(`the mesh on the page, for Prometheus: ${server.url}metrics\n`);
}

/**
 * Serves dist/ as it is on disk (`ensureVisualizerBuild` brings it up to
 * date) and the scenarios. A busy port is a CliError naming the flags that
 * get around it.
 */
export async function startVisualizerServer(options: ServeOptions): Promise<RunningServer> {
  const last = options.nextFreePort && options.port !== 0 ? Math.min(65535, options.port + NEXT_PORTS) : options.port;
  // The mesh on the page as a Prometheus target: the page hands its metrics over, /metrics serves them.
  const metrics = new PageMetrics();
  for (let port = options.port; ; port++) {
    try {
      return await startStaticServer({ host: options.host, port, mounts: VISUALIZER_MOUNTS, immutablePrefixes: ['/assets/'], routes: (req, res) => metrics.respond(req, res) });
    } catch (error) {
      if (errorCode(error) === 'EADDRINUSE' && port < last) continue;
      throw listenError(error, options.host, options.port, port);
    }
  }
}

async function startDev(options: ServeOptions): Promise<RunningServer> {
  const { startDevServer } = await import('./devServer.ts');
  try {
    return await startDevServer(options);
  } catch (error) {
    // Vite reports a busy strict port as a plain Error.
    if (error instanceof Error && /already in use/.test(error.message)) throw portInUse(options.host, options.port, options.port);
    throw listenError(error, options.host, options.port, options.port);
  }
}


/** A listen error as one line for the user; `first`..`port` are the ports tried. */
function listenError(error: unknown, host: string, first: number, port: number): unknown {
  switch (errorCode(error)) {
    case 'EADDRINUSE':
      return portInUse(host, first, port);
    case 'EACCES':
      return new CliError(`port ${port} needs privileges this process lacks`, 'pick another with --port N: above 1023, or 0 for any free port');
    case 'EADDRNOTAVAIL':
      return new CliError(`cannot listen on ${host}`, 'no network interface of this machine has that address');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new CliError(`cannot listen on ${host}`, 'the name does not resolve');
    default:
      return error;
  }
}

function portInUse(host: string, first: number, port: number): CliError {
  if (port > first) return new CliError(`ports ${first}–${port} on ${host} are all in use`, 'pick another with --port N, 0 for any free port');
  return new CliError(`port ${port} on ${host} is in use`, 'pick another with --port N, 0 for any free port, or add --next-free-port to try the next ones');
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

