import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, startStaticServer } from './staticServer.ts';
import type { RunningServer } from './staticServer.ts';
import { rawRequest } from './testing/rawRequest.ts';

/**
 * A tiny site: www/ at `/` (with a hashed asset, a dotfile and symlinks in
 * and out of it) and docs/ at `/docs/`; secret.txt beside them must never
 * be served.
 */
function makeSite(): string {
  const base = mkdtempSync(join(tmpdir(), 'meshviz-static-'));
  mkdirSync(join(base, 'www', 'assets'), { recursive: true });
  mkdirSync(join(base, 'www', '.git'));
  mkdirSync(join(base, 'docs'));
  writeFileSync(join(base, 'secret.txt'), 'TOP SECRET');
  writeFileSync(join(base, 'www', 'index.html'), '<!doctype html><title>site</title>');
  writeFileSync(join(base, 'www', 'assets', 'app-1a2b3c.js'), 'console.log(1);');
  for (const name of ['x.mjs', 'x.css', 'x.json', 'x.js.map', 'x.svg', 'x.png', 'x.ico', 'x.wasm', 'x.woff2', 'x.bin']) writeFileSync(join(base, 'www', name), 'x');
  writeFileSync(join(base, 'www', '.env'), 'TOKEN=1');
  writeFileSync(join(base, 'www', '.git', 'config'), '[core]');
  writeFileSync(join(base, 'docs', 'mesh.yaml'), 'kind: Service\n');
  writeFileSync(join(base, 'docs', 'mesh.yml'), 'kind: Service\n');
  symlinkSync(join(base, 'secret.txt'), join(base, 'www', 'leak.txt'));
  symlinkSync(base, join(base, 'www', 'up'));
  symlinkSync(join(base, 'www', 'index.html'), join(base, 'www', 'home.html'));
  return base;
}

describe('startStaticServer', () => {
  let base: string;
  let server: RunningServer;
  beforeAll(async () => {
    base = makeSite();
    server = await startStaticServer({
      host: '127.0.0.1',
      port: 0,
      mounts: [
        { urlPrefix: '/docs/', dir: join(base, 'docs') },
        { urlPrefix: '/', dir: join(base, 'www') },
      ],
      immutablePrefixes: ['/assets/'],
    });
  });
  afterAll(async () => {
    await server?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });
  const get = (path: string, options?: Parameters<typeof rawRequest>[2]) => rawRequest(server.port, path, options);

  it('listens on 127.0.0.1 on the port it got', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('serves index.html at / with the security headers, revalidated on every load', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toBe('<!doctype html><title>site</title>');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-length']).toBe('34');
  });

  it('caches hashed assets for a year, and answers 304 to a matching If-None-Match', async () => {
    const res = await get('/assets/app-1a2b3c.js');
    expect([res.status, res.headers['content-type'], res.headers['cache-control']]).toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable']);
    const again = await get('/assets/app-1a2b3c.js', { headers: { 'if-none-match': String(res.headers.etag) } });
    expect([again.status, again.body]).toEqual([304, '']);
  });

  it('names content types by extension', async () => {
    const paths = ['/x.mjs', '/x.css', '/x.json', '/x.js.map', '/x.svg', '/x.png', '/x.ico', '/x.wasm', '/x.woff2', '/x.bin', '/docs/mesh.yaml', '/docs/mesh.yml'];
    const types = await Promise.all(paths.map(async (p) => (await get(p)).headers['content-type']));
    expect(types).toEqual([
      'text/javascript; charset=utf-8',
      'text/css; charset=utf-8',
      'application/json; charset=utf-8',
      'application/json; charset=utf-8',
      'image/svg+xml',
      'image/png',
      'image/x-icon',
      'application/wasm',
      'font/woff2',
      'application/octet-stream',
      'text/yaml; charset=utf-8',
      'text/yaml; charset=utf-8',
    ]);
  });

  it('HEAD gives the headers without the body', async () => {
    const res = await get('/', { method: 'HEAD' });
    expect([res.status, res.headers['content-length'], res.body]).toEqual([200, '34', '']);
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'])('%s is 405 with Allow: GET, HEAD', async (method) => {
    const res = await get('/', { method });
    expect([res.status, res.headers.allow, res.headers['x-content-type-options']]).toEqual([405, 'GET, HEAD', 'nosniff']);
  });

  it('answers 404 for unknown files and folders without an index', async () => {
    expect((await Promise.all(['/nope.js', '/assets/', '/assets', '/docs/'].map(async (p) => (await get(p)).status)))).toEqual([404, 404, 404, 404]);
  });

  it.each([
    ['/../secret.txt', 403],
    ['/%2e%2e/secret.txt', 403],
    ['/..%2fsecret.txt', 403],
    ['/docs/..%2f..%2fsecret.txt', 403],
    ['/%5c..%5csecret.txt', 403],
    ['/..\\secret.txt', 403],
    ['/%00', 403],
    ['/index.html%00.png', 403],
    ['/.git/config', 403],
    ['/.env', 403],
    ['/leak.txt', 404],
    ['/up/secret.txt', 404],
    ['/%E0%A4%A', 400],
  ])('refuses %s (%i), never leaking what is outside the roots', async (path, status) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.body).not.toMatch(/TOP SECRET|TOKEN|\[core\]/);
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('follows symlinks that stay inside the root', async () => {
    expect((await get('/home.html')).body).toContain('<title>site</title>');
  });
});
