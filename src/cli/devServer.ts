import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';
import { createServer } from 'vite';
import type { Plugin, ViteDevServer } from 'vite';
import type { RunningServer } from './staticServer.ts';
import { PROJECT_ROOT as ROOT } from './visualizerBuild.ts';

/** What the visualizer needs, and nothing else of the project. */
const ALLOWED = [resolve(ROOT, 'index.html'), resolve(ROOT, 'src'), resolve(ROOT, 'scenarios'), resolve(ROOT, 'node_modules')];
const PATH_PREFIXES = ['/src/', '/scenarios/', '/node_modules/', '/@vite/', '/@id/', '/@fs/', '/@react-refresh'];

/**
 * Starts Vite's dev server on the project (index.html at the root, the app
 * in src/ui, reloaded as it changes: what `npm run dev` runs) with file
 * serving limited to the app's sources, the scenarios and installed
 * packages. Port 0 picks a free port; a busy port fails unless
 * `nextFreePort`.
 */
export async function startDevServer(options: { host: string; port: number; nextFreePort?: boolean }): Promise<RunningServer> {
  const vite = await createServer({
    root: ROOT,
    configFile: resolve(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    clearScreen: false,
    plugins: [guard()],
    server: { host: options.host, port: options.port, strictPort: options.nextFreePort !== true, fs: { strict: true, allow: ALLOWED } },
  });
  await vite.listen();
  const address = vite.httpServer?.address() as AddressInfo | null;
  const port = address?.port ?? options.port;
  return { url: `http://${hostForUrl(options.host)}:${port}/`, port, close: () => closeServer(vite) };
}

/**
 * Refuses, before Vite sees it, any request that tries to leave the allowed
 * folders: `..` segments (raw or percent-encoded), backslashes, NUL bytes,
 * dotfiles, and paths outside the app's prefixes.
 */
function guard(): Plugin {
  return {
    name: 'meshviz-serve-guard',
    configureServer(server: ViteDevServer) {
      server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        const verdict = judge(req.url ?? '/');
        if (verdict === 'ok') return next();
        res.statusCode = verdict;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end(verdict === 403 ? 'forbidden\n' : 'not found\n');
      });
    },
  };
}

export function judge(rawUrl: string): 'ok' | 403 | 404 {
  const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? '/';
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return 403;
  }
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((s) => s === '..' || (s.startsWith('.') && s !== '.vite'))) return 403;
  if (path === '/' || path === '/index.html') return 'ok';
  if (!PATH_PREFIXES.some((p) => path.startsWith(p))) return 404;
  if (path.startsWith('/@fs/')) {
    const file = resolve(path.slice('/@fs'.length));
    if (!ALLOWED.some((dir) => file === dir || file.startsWith(dir + sep))) return 403;
  }
  return 'ok';
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

async function closeServer(vite: ViteDevServer): Promise<void> {
  await vite.close();
}
