import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge, startDevServer } from './devServer.ts';
import type { RunningServer } from './staticServer.ts';

/** A raw GET: the path goes on the wire exactly as written (no client-side `..` folding). */
function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('judge', () => {
  it('lets the app, its sources and the scenarios through', () => {
    expect(['/', '/index.html', '/src/ui/main.tsx', '/scenarios/default.yaml?raw', '/@vite/client', '/node_modules/.vite/deps/react.js'].map(judge)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('refuses traversal, dotfiles and the rest of the project', () => {
    expect(judge('/../package.json')).toBe(403);
    expect(judge('/src/%2e%2e/%2e%2e/package.json')).toBe(403);
    expect(judge('/src/..%5c..%5cpackage.json')).toBe(403);
    expect(judge('/.git/config')).toBe(403);
    expect(judge('/package.json')).toBe(404);
    expect(judge('/@fs/etc/passwd')).toBe(403);
    expect(judge('/%E0%A4%A')).toBe(403);
  });
});

describe('startDevServer', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startDevServer({ host: '127.0.0.1', port: 0 });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it('prints an http://127.0.0.1 URL on the port it got', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('serves the app and the scenarios', async () => {
    expect((await get(server.port, '/')).body).toContain('<div id="root">');
    const yaml = await get(server.port, '/scenarios/default.yaml');
    expect(yaml.status).toBe(200);
    expect(yaml.body).toContain('kind: VirtualService');
  });

  it.each(['/../package.json', '/..%2fpackage.json', '/src/../../package.json', '/@fs/etc/passwd', '/@fs/../../etc/passwd', '/package.json', '/.git/config', '/tests/helpers/mesh.ts'])('refuses %s', async (path) => {
    const res = await get(server.port, path);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body).not.toContain('"name": "meshviz"');
    expect(res.body).not.toContain('root:x:0');
  });
});
