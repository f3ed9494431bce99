import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVisualizerServer } from './serve.ts';
import { parseHost, parsePort } from './serveOptions.ts';
import { CONTENT_SECURITY_POLICY } from './staticServer.ts';
import type { RunningServer } from './staticServer.ts';
import { rawRequest } from './testing/rawRequest.ts';
import { DIST_DIR, ensureVisualizerBuild, visualizerBuildIsStale } from './visualizerBuild.ts';

function occupy(port: number): Promise<Server> {
  return new Promise((done, fail) => {
    const blocker = createServer();
    blocker.once('error', fail);
    blocker.listen({ host: '127.0.0.1', port }, () => done(blocker));
  });
}

const portOf = (s: Server): number => (s.address() as { port: number }).port;
const closeBlocker = (s: Server): Promise<void> => new Promise((done) => s.close(() => done()));

describe('parsePort and parseHost', () => {
  it('take integers from 0 to 65535', () => {
    expect(['0', '5173', '65535'].map(parsePort)).toEqual([0, 5173, 65535]);
    for (const bad of ['abc', '70000', '65536', '-1', '1.5', '', ' 80', '0x50', '1e3']) expect(() => parsePort(bad), bad).toThrow(`invalid value "${bad}" for --port (expected an integer from 0 to 65535, 0 for any free port)`);
  });

  it('take IP addresses and host names', () => {
    expect(['127.0.0.1', '0.0.0.0', '::1', '::', 'localhost', 'mesh-viz.example.com'].map(parseHost)).toEqual(['127.0.0.1', '0.0.0.0', '::1', '::', 'localhost', 'mesh-viz.example.com']);
    for (const bad of ['', 'a b', '999.1.1.1', '1.2.3', 'http://x', '-x', 'x_y', '[::1]']) expect(() => parseHost(bad), bad).toThrow(`invalid value "${bad}" for --host (expected an IP address or a host name)`);
  });
});

describe('startVisualizerServer on a busy port', () => {
  let blocker: Server;
  beforeAll(async () => {
    blocker = await occupy(0);
  });
  afterAll(async () => {
    await closeBlocker(blocker);
  });

  it('says the port is in use and how to pick another', async () => {
    const port = portOf(blocker);
    await expect(startVisualizerServer({ host: '127.0.0.1', port })).rejects.toThrow(`port ${port} on 127.0.0.1 is in use (pick another with --port N, 0 for any free port, or add --next-free-port to try the next ones)`);
  });

  it('takes a following port with nextFreePort', async () => {
    const port = portOf(blocker);
    const server = await startVisualizerServer({ host: '127.0.0.1', port, nextFreePort: true });
    try {
      expect(server.port).toBeGreaterThan(port);
    } finally {
      await server.close();
    }
  });
});

describe('the production build as npm start serves it', () => {
  let server: RunningServer;
  beforeAll(async () => {
    await ensureVisualizerBuild(() => {});
    server = await startVisualizerServer({ host: '127.0.0.1', port: 0 });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });
  const get = (path: string, method?: string) => rawRequest(server.port, path, { method });

  it('is up to date after ensureVisualizerBuild', () => {
    expect(visualizerBuildIsStale()).toBe(false);
  });

  it('serves index.html and every script and stylesheet it links, with the CSP and nosniff', async () => {
    const index = await get('/');
    expect([index.status, index.headers['content-type'], index.headers['cache-control']]).toEqual([200, 'text/html; charset=utf-8', 'no-cache']);
    expect(index.body).toContain('<div id="root">');
    expect(index.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=/);
    const assets = [...index.body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const res = await get(asset, 'HEAD');
      expect(res.status, asset).toBe(200);
      expect(res.headers['content-type'], asset).toBe(asset.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
      expect(res.headers['cache-control'], asset).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-security-policy'], asset).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['x-content-type-options'], asset).toBe('nosniff');
    }
  });

  it('serves the built-in scenarios as YAML text', async () => {
    const res = await get('/scenarios/default.yaml');
    expect([res.status, res.headers['content-type']]).toEqual([200, 'text/yaml; charset=utf-8']);
    expect(res.body).toBe(readFileSync(join(DIST_DIR, '..', 'scenarios', 'default.yaml'), 'utf8'));
  });

  it.each(['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/scenarios/..%2f..%2fpackage.json', '/%00', '/.git/config', '/%5c..%5cpackage.json', '/package.json', '/src/ui/main.tsx'])('refuses %s', async (path) => {
    const res = await get(path);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).not.toContain('"name": "meshviz"');
  });

  it('answers POST with 405', async () => {
    expect((await get('/', 'POST')).status).toBe(405);
  });
});
