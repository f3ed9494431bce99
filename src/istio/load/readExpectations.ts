import type { Expectation } from '../../model/index.ts';
import { describe } from './describe.ts';
import type { FieldReader } from './FieldReader.ts';
import { parseExpectation } from './parseExpectation.ts';

/**
 * Reads an `expect:` list of conditions (`parseExpectation`'s grammar). Each
 * keeps its text, field path and place; one that does not parse is reported
 * at its item (MV0111, with the character it stopped at) and left out.
 */
export function readExpectations(spec: FieldReader): Expectation[] {
  return (spec.list('expect') ?? []).flatMap(({ value, path }) => {
    if (typeof value !== 'string') {
      spec.reporter.report('WrongType', path, { expected: 'a string such as "p99 of traffic browse < 500ms"', actual: describe(value) });
      return [];
    }
    const parsed = parseExpectation(value);
    if (!parsed.ok) {
      spec.reporter.report('InvalidExpectation', path, { text: value, detail: parsed.message, at: parsed.offset + 1 });
      return [];
    }
    return [{ ...parsed.expectation, text: value, path, source: spec.reporter.sourceOf(path) }];
  });
}
