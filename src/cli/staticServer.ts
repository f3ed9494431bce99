import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';
import { contentTypeOf } from './contentTypes.ts';
import { locateFile } from './locateFile.ts';
import type { Mount } from './locateFile.ts';

export type { Mount } from './locateFile.ts';

export interface StaticServerOptions {
  host: string;
  port: number;
  /** Tried in order: longer URL prefixes first. */
  mounts: readonly Mount[];
  /** URL prefixes whose files have content hashes in their names (Vite's `/assets/`): cached for a year. */
  immutablePrefixes: readonly string[];
  /** Asked first: answers a request that is not for a file (true when it did). */
  routes?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The visualizer's Content-Security-Policy: everything from this origin only,
 * no inline or eval'd script, no plugins, no framing. `img-src data:` is for
 * the favicon, which index.html inlines as an SVG data URL. Styles need no
 * 'unsafe-inline': React applies `style` props through the CSSOM, which CSP
 * does not govern, and the build emits no inline <style>.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * Serves files from the mounts over plain HTTP (after `routes`): GET and HEAD only, no
 * directory listings, and nothing whose real path (symlinks resolved) leaves
 * its mount's folder. Port 0 picks a free port. Rejects with the listen error
 * (EADDRINUSE, EADDRNOTAVAIL, ENOTFOUND…) when the address cannot be bound.
 */
export async function startStaticServer(options: StaticServerOptions): Promise<RunningServer> {
  const server = createServer((req, res) => {
    respond(req, res, options).catch(() => fail(res, 500, 'internal error'));
  });
  await listen(server, options.host, options.port);
  const port = (server.address() as AddressInfo).port;
  return { url: `http://${hostForUrl(options.host)}:${port}/`, port, close: () => closeServer(server) };
}

async function respond(req: IncomingMessage, res: ServerResponse, options: StaticServerOptions): Promise<void> {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  if (options.routes && (await options.routes(req, res))) return;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return fail(res, 405, 'method not allowed');
  }
  const located = locateFile(req.url ?? '', options.mounts);
  if (located.kind === 'refused') return fail(res, located.status, located.status === 404 ? 'not found' : located.status === 400 ? 'bad request' : 'forbidden');
  const file = await realFileInside(located.mount.dir, located.relative);
  if (file === undefined) return fail(res, 404, 'not found');
  const info = await stat(file);
  const path = (req.url ?? '').split(/[?#]/, 1)[0] ?? '';
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  res.setHeader('content-type', contentTypeOf(file));
  res.setHeader('cache-control', options.immutablePrefixes.some((p) => path.startsWith(p)) ? 'public, max-age=31536000, immutable' : 'no-cache');
  res.setHeader('etag', etag);
  res.setHeader('last-modified', info.mtime.toUTCString());
  if (req.headers['if-none-match'] === etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.setHeader('content-length', info.size);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** The file's real path if it is a regular file whose real path stays inside the real root; else undefined. */
async function realFileInside(dir: string, relative: string): Promise<string | undefined> {
  try {
    const root = await realpath(dir);
    const file = await realpath(resolve(root, relative));
    if (!file.startsWith(root + sep)) return undefined;
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

function fail(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(`${message}\n`);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((done, failed) => {
    server.once('error', failed);
    server.listen({ host, port }, () => {
      server.off('error', failed);
      done();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
