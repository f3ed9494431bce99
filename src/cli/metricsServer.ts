import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CliError } from './CliError.ts';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * `/metrics` in Prometheus text format 0.0.4, as a sidecar's
 * `/stats/prometheus` serves it, for a Prometheus to scrape during a paced
 * run. Everything else is 404.
 */
export async function serveMetrics(listen: { host: string; port: number }, text: () => string): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('only /metrics is served here\n');
      return;
    }
    const body = text();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new CliError(`cannot serve metrics on ${listen.host}:${listen.port}: ${error.code ?? error.message}`, 'pick another port, or 0 for any free one')),
    );
    server.listen(listen.port, listen.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
