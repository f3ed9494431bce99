import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenario } from './loadScenario.ts';

const valid = readFileSync(new URL('../../../scenarios/default.yaml', import.meta.url), 'utf8');

/** Replaces, inserts or deletes a few slices of the text. */
const mutation = fc.array(
  fc.record({
    at: fc.nat({ max: valid.length }),
    cut: fc.nat({ max: 40 }),
    insert: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(': ', '- ', '\n', '  ', '{', ']', '&a ', '*a', '<<: ', '__proto__: ', '"', '!!binary ', '\t', '---\n'),
    ),
  }),
  { minLength: 1, maxLength: 5 },
);

const apply = (text: string, edits: Array<{ at: number; cut: number; insert: string }>) =>
  edits.reduce((t, { at, cut, insert }) => t.slice(0, at) + insert + t.slice(at + cut), text);

describe('loadScenario never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const result = loadScenario([{ name: 'x.yaml', text }]);
        expect(Array.isArray(result.diagnostics)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('on mutated valid YAML, and every diagnostic has a catalog code and a place', () => {
    fc.assert(
      fc.property(mutation, (edits) => {
        const result = loadScenario([{ name: 'm.yaml', text: apply(valid, edits) }]);
        expect(result.scenario.simulation).toBeDefined();
        for (const d of result.diagnostics) {
          expect(d.code).toMatch(/^MV0(0(?!98)|1|2)\d\d$/);
          expect(d.source?.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 60 },
    );
  });
});
