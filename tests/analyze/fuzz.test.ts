import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { analyzeFiles, catalog } from '../../src/istio/index.ts';
import { scenarioYaml } from '../export/scenarioArbitrary.ts';

/**
 * Whatever comes in, loading and analysis only ever return diagnostics from
 * the catalog, each with a place in a file; internal errors (MV0098) count
 * as failures, since analyzeFiles turns a throw into one.
 */
const CODES = new Set(Object.values(catalog).map((entry) => entry.code));
const read = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
const bookinfo = [
  'bookinfo/bookinfo.yaml', 'bookinfo/destination-rule-all.yaml', 'bookinfo/virtual-service-reviews-broken.yaml',
  'broken/retry-amplification.yaml', 'broken/strict-with-plaintext-callers.yaml', 'broken/principals-without-mtls.yaml',
].map(read).join('---\n');

function expectOnlyDiagnostics(files: Array<{ name: string; text: string }>): void {
  const { diagnostics } = analyzeFiles(files);
  for (const d of diagnostics) {
    expect(d.code).not.toBe(catalog.InternalError.code);
    expect(CODES.has(d.code)).toBe(true);
    expect(d.source?.line).toBeGreaterThanOrEqual(1);
  }
}

const mutation = fc.array(
  fc.record({
    at: fc.nat({ max: bookinfo.length }),
    cut: fc.nat({ max: 60 }),
    insert: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(': ', '- ', '\n', '  ', '{', ']', '&a ', '*a', '<<: *a', '__proto__: ', '~', 'null', '"', '!!binary ', '\t',
        '---\n', 'subset: v9', 'weight: 7', 'mode: STRICT', 'retries: {attempts: 5, retryOn: 5xx}', 'host: nowhere', '0'),
    ),
  }),
  { minLength: 1, maxLength: 6 },
);
const apply = (text: string, edits: Array<{ at: number; cut: number; insert: string }>) =>
  edits.reduce((t, { at, cut, insert }) => t.slice(0, at) + insert + t.slice(at + cut), text);

const kinds = fc.constantFrom(
  ['networking.istio.io/v1', 'VirtualService'], ['networking.istio.io/v1beta1', 'DestinationRule'],
  ['networking.istio.io/v1alpha3', 'VirtualService'], ['security.istio.io/v1', 'PeerAuthentication'],
  ['security.istio.io/v1beta1', 'AuthorizationPolicy'], ['networking.istio.io/v1', 'Gateway'],
);

describe('loading and analysis never throw', () => {
  it('on mutated Istio manifests', () => {
    fc.assert(fc.property(mutation, (edits) => expectOnlyDiagnostics([{ name: 'm.yaml', text: apply(bookinfo, edits) }])), { numRuns: 80 });
  }, 60_000);

  it('on arbitrary JSON where an Istio spec goes', () => {
    fc.assert(
      fc.property(kinds, fc.jsonValue({ maxDepth: 5 }), ([apiVersion, kind], spec) => {
        const text = `${stringify({ apiVersion, kind, metadata: { name: 'x' }, spec })}---\n${read('broken/base/mesh.yaml')}`;
        expectOnlyDiagnostics([{ name: 'j.yaml', text }]);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('on generated scenarios', () => {
    fc.assert(fc.property(scenarioYaml, (text) => expectOnlyDiagnostics([{ name: 'g.yaml', text }])), { numRuns: 80 });
  }, 60_000);
});
