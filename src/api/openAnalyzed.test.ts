import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.ts';
import { openAnalyzed } from './openAnalyzed.ts';

const file = (path: string) => ({ name: path, text: readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8') });
const brief = (d: { code: string; severity: string }) => `${d.code} ${d.severity}`;

describe('openAnalyzed: files in the page as the CLI sees them', () => {
  it('gives exactly the findings of `meshviz analyze`, warnings and infos included', () => {
    const files = [file('scenarios/default.yaml'), file('examples/legacy-client.yaml'), file('examples/strict-mtls.yaml'), { name: 'empty.yaml', text: '' }];
    const opened = openAnalyzed(files);
    expect(opened.ok).toBe(true);
    expect(opened.diagnostics).toEqual(analyze(files).diagnostics);
    expect(opened.diagnostics.map(brief)).toContain('MV0004 info');
  });

  it('refuses a file with errors, listing what analyze lists', () => {
    const broken = { name: 'broken.yaml', text: 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: x }\nspec:\n  hosts: [x]\n  tcp: 7\n' };
    const opened = openAnalyzed([broken]);
    expect(opened.ok).toBe(false);
    expect(opened.diagnostics).toEqual(analyze([broken]).diagnostics);
    expect(opened.diagnostics.map((d) => `${d.code} ${d.source?.file}:${d.source?.line}:${d.source?.col}`)).toContain('MV0040 broken.yaml:6:3');
  });

  it('an empty file is its diagnostic, never an empty mesh', () => {
    const opened = openAnalyzed([{ name: 'empty.yaml', text: '' }]);
    expect(opened).toEqual({ ok: false, diagnostics: [{ code: 'MV0004', severity: 'info', message: 'file is empty: nothing to load', resource: null, path: null, source: { file: 'empty.yaml', line: 1, col: 1 }, equivalents: [] }] });
  });
});
