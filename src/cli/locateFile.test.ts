import { describe, expect, it } from 'vitest';
import { locateFile } from './locateFile.ts';
import type { Located, Mount } from './locateFile.ts';

const scenarios: Mount = { urlPrefix: '/scenarios/', dir: '/srv/scenarios' };
const dist: Mount = { urlPrefix: '/', dir: '/srv/dist' };
const where = (url: string): string => show(locateFile(url, [scenarios, dist]));
const show = (l: Located): string => (l.kind === 'file' ? `${l.mount.dir}/${l.relative}` : String(l.status));

describe('locateFile', () => {
  it('maps paths to files under the longest matching mount; folders to their index.html', () => {
    expect(['/', '/index.html?x=1#y', '/assets/app-1a2b.js', '/scenarios/default.yaml', '/scenarios/', '/scenarios', '/a%20b.txt'].map(where)).toEqual([
      '/srv/dist/index.html',
      '/srv/dist/index.html',
      '/srv/dist/assets/app-1a2b.js',
      '/srv/scenarios/default.yaml',
      '/srv/scenarios/index.html',
      '/srv/scenarios/index.html',
      '/srv/dist/a b.txt',
    ]);
  });

  it('refuses dot segments raw or percent-encoded, dotfiles, backslashes, NUL and empty segments (403)', () => {
    const urls = ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/scenarios/..%2F..%2Fpackage.json', '/assets/./x.js', '/.git/config', '/%2egit/config', '/..%5cpackage.json', '/a\\b', '/%00', '/x.js%00.png', '//etc/passwd', '/assets//x.js'];
    expect(urls.map(where)).toEqual(urls.map(() => '403'));
  });

  it('answers 400 to malformed percent-encoding and targets that are not paths', () => {
    expect(['/%E0%A4%A', '/%', '*', 'http://example.com/', ''].map(where)).toEqual(['400', '400', '400', '400', '400']);
  });

  it('answers 404 when no mount matches', () => {
    expect(show(locateFile('/x', [scenarios]))).toBe('404');
  });
});
