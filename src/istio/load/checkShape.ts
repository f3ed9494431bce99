import { parseDuration } from '../../model/index.ts';
import { describe, isMapping } from './describe.ts';
import { fieldPath, indexPath } from './fieldPath.ts';
import type { Reporter } from './Reporter.ts';
import { suggest } from './suggest.ts';

/**
 * A small description of an API object's shape: enough to guarantee the types
 * the rest of meshviz relies on, in the spirit of a CRD's structural schema.
 */
export type Shape =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  /** A string Istio parses as a duration (`2s`, `500ms`). */
  | 'duration'
  /** Kept as written, not checked (parts meshviz does not read). */
  | 'any'
  | { enum: readonly string[] }
  | { object: Readonly<Record<string, Shape>> }
  | { array: Shape }
  | { map: Shape };

/**
 * Checks `value` against `shape`, reporting each mismatch at its field path.
 * Unknown fields are warnings (with a "did you mean"); everything else is an
 * error. Returns whether the value can be trusted to have the shape's types.
 */
export function checkShape(value: unknown, shape: Shape, path: string, reporter: Reporter): boolean {
  if (value === null || value === undefined) return true;
  const wrong = (expected: string): boolean => {
    reporter.report('WrongType', path, { expected, actual: describe(value) });
    return false;
  };
  if (shape === 'any') return true;
  if (shape === 'string') return typeof value === 'string' || wrong('a string');
  if (shape === 'boolean') return typeof value === 'boolean' || wrong('true or false');
  if (shape === 'number') return (typeof value === 'number' && Number.isFinite(value)) || wrong('a number');
  if (shape === 'integer') return Number.isSafeInteger(value) || wrong('an integer');
  if (shape === 'duration') return checkDuration(value, path, reporter);
  if ('enum' in shape) {
    if (typeof value === 'string' && shape.enum.includes(value)) return true;
    reporter.report('InvalidValue', path, { detail: `expected one of ${shape.enum.join(', ')}, got ${describe(value)}` });
    return false;
  }
  if ('array' in shape) {
    if (!Array.isArray(value)) return wrong('a sequence');
    return value.map((item: unknown, i) => checkShape(item, shape.array, indexPath(path, i), reporter)).every(Boolean);
  }
  if (!isMapping(value)) return wrong('a mapping');
  if ('map' in shape) {
    return Object.entries(value).map(([key, item]) => checkShape(item, shape.map, fieldPath(path, key), reporter)).every(Boolean);
  }
  const known = Object.keys(shape.object);
  let ok = true;
  for (const [key, item] of Object.entries(value)) {
    const fieldShape = Object.hasOwn(shape.object, key) ? shape.object[key] : undefined;
    if (fieldShape === undefined) {
      reporter.report('UnknownField', fieldPath(path, key), { field: key, suggestion: suggest(key, known) });
    } else if (!checkShape(item, fieldShape, fieldPath(path, key), reporter)) {
      ok = false;
    }
  }
  return ok;
}

function checkDuration(value: unknown, path: string, reporter: Reporter): boolean {
  if (typeof value === 'number') {
    reporter.report('DurationNeedsUnit', path, { value });
    return false;
  }
  if (typeof value !== 'string') {
    reporter.report('WrongType', path, { expected: 'a duration such as 2s', actual: describe(value) });
    return false;
  }
  if (parseDuration(value) !== undefined) return true;
  reporter.report('InvalidDuration', path, { text: value });
  return false;
}
