import type { IncomingMessage, ServerResponse } from 'node:http';
import { PAGE_METRICS_HEADER, PAGE_METRICS_MAX_BYTES, PAGE_METRICS_PATH } from '../api/index.ts';

/**
 * The visualizer's mesh as a Prometheus target: the page runs the mesh and
 * hands its metrics text over (`PUT /api/page-metrics`, every few seconds
 * while it changes); `GET /metrics` serves the last text handed over, as a
 * sidecar's `/stats/prometheus` would (empty until a page has sent one).
 * Only a page of this server can hand text over: the PUT must carry
 * `x-meshviz-metrics` (another origin's page would need a CORS preflight,
 * which gets 405) and, when the browser says where it comes from, an Origin
 * of this host.
 */
export class PageMetrics {
  private text = '';

  /** Answers the request if it is for the metrics; false to let the static files answer it. */
  async respond(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (req.url ?? '').split(/[?#]/, 1)[0];
    if (path === '/metrics') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'GET, HEAD', 'method not allowed');
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(this.text), 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : this.text);
      return true;
    }
    if (path !== PAGE_METRICS_PATH) return false;
    if (req.method !== 'PUT') return refuse(res, 405, 'PUT', 'method not allowed');
    if (req.headers[PAGE_METRICS_HEADER] !== '1') return refuse(res, 400, undefined, `the ${PAGE_METRICS_HEADER} header is missing`);
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) return refuse(res, 403, undefined, 'only the visualizer this server serves may hand its metrics over');
    if (!/^text\/plain\b/.test(req.headers['content-type'] ?? '')) return refuse(res, 415, undefined, 'the metrics come as text/plain');
    const body = await readBody(req, PAGE_METRICS_MAX_BYTES);
    if (body === undefined) return refuse(res, 413, undefined, `more than ${PAGE_METRICS_MAX_BYTES} bytes`);
    this.text = body;
    res.writeHead(204).end();
    return true;
  }
}

function refuse(res: ServerResponse, status: number, allow: string | undefined, message: string): true {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...(allow ? { allow } : {}) }).end(`${message}\n`);
  return true;
}

/** The request's body as UTF-8, or undefined once it passes `max` bytes (the rest is not read). */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
