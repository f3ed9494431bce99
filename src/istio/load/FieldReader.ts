import { MAX_SIMULATED_DURATION, MAX_SIMULATED_DURATION_TEXT, parseDuration, suggest, type Micros } from '../../model/index.ts';
import { describe, isMapping } from './describe.ts';
import { fieldPath, indexPath } from './fieldPath.ts';
import type { Reporter } from './Reporter.ts';

interface Range {
  min?: number;
  max?: number;
  /** Whether `min` itself is excluded (rates must be above zero). */
  above?: boolean;
}

/**
 * Typed reads of the fields of one mapping, each reporting a diagnostic at the
 * field's path when the value is there but wrong, and returning `undefined`
 * then (as for an absent or null field). Callers apply their defaults.
 */
export class FieldReader {
  private constructor(
    readonly reporter: Reporter,
    readonly value: Record<string, unknown>,
    readonly path: string,
  ) {}

  /** A reader for `value` at `path`, or `undefined` (reported) when it is not a mapping. */
  static of(reporter: Reporter, value: unknown, path: string): FieldReader | undefined {
    if (value === null || value === undefined) return undefined;
    if (!isMapping(value)) {
      reporter.report('WrongType', path, { expected: 'a mapping', actual: describe(value) });
      return undefined;
    }
    return new FieldReader(reporter, value, path);
  }

  pathOf(key: string): string {
    return fieldPath(this.path, key);
  }

  has(key: string): boolean {
    const value = this.value[key];
    return value !== null && value !== undefined;
  }

  keys(): string[] {
    return Object.keys(this.value);
  }

  /** Reports every key not in `known`, with a suggestion when one is close. */
  allowOnly(known: readonly string[]): void {
    for (const key of this.keys()) {
      if (!known.includes(key)) this.reporter.report('UnknownField', this.pathOf(key), { field: key, suggestion: suggest(key, known) });
    }
  }

  /** Reports `key` as missing when it is absent; returns whether it is present. */
  require(key: string): boolean {
    if (this.has(key)) return true;
    this.reporter.report('MissingField', this.pathOf(key), { field: key });
    return false;
  }

  map(key: string): FieldReader | undefined {
    return FieldReader.of(this.reporter, this.value[key], this.pathOf(key));
  }

  string(key: string): string | undefined {
    return this.typed(key, 'a string', (v): v is string => typeof v === 'string');
  }

  boolean(key: string): boolean | undefined {
    return this.typed(key, 'true or false', (v): v is boolean => typeof v === 'boolean');
  }

  number(key: string, range: Range = {}): number | undefined {
    const value = this.typed(key, 'a number', (v): v is number => typeof v === 'number' && Number.isFinite(v));
    return value === undefined ? undefined : this.inRange(key, value, range);
  }

  integer(key: string, range: Range = {}): number | undefined {
    const value = this.typed(key, 'an integer', (v): v is number => Number.isSafeInteger(v));
    return value === undefined ? undefined : this.inRange(key, value, range);
  }

  /**
   * A duration such as `10ms` or `1m30s`, in microseconds, at most `MAX_SIMULATED_DURATION`.
   * Bare numbers are refused: their unit is a guess.
   */
  duration(key: string): Micros | undefined {
    const value = this.value[key];
    if (typeof value === 'number') {
      this.reporter.report('DurationNeedsUnit', this.pathOf(key), { value });
      return undefined;
    }
    const text = this.string(key);
    if (text === undefined) return undefined;
    const micros = parseDuration(text);
    if (micros === undefined) this.reporter.report('InvalidDuration', this.pathOf(key), { text });
    if (micros === undefined || micros <= MAX_SIMULATED_DURATION) return micros;
    this.reporter.report('DurationTooLong', this.pathOf(key), { text, limit: MAX_SIMULATED_DURATION_TEXT, why: 'the longest duration meshviz simulates' });
    return undefined;
  }

  /** A mapping of strings to strings (headers, labels); numbers and booleans are refused. */
  stringMap(key: string): Record<string, string> | undefined {
    const reader = this.map(key);
    if (!reader) return undefined;
    const result = Object.create(null) as Record<string, string>;
    for (const name of reader.keys()) {
      const value = reader.string(name);
      if (value !== undefined) result[name] = value;
    }
    return result;
  }

  /** The items of a sequence, each with its path; `undefined` (reported) when not a sequence. */
  list(key: string): Array<{ value: unknown; path: string }> | undefined {
    const value = this.value[key];
    if (value === null || value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.reporter.report('WrongType', this.pathOf(key), { expected: 'a sequence', actual: describe(value) });
      return undefined;
    }
    return value.map((item: unknown, index) => ({ value: item, path: indexPath(this.pathOf(key), index) }));
  }

  /** Readers for the items of a sequence of mappings; other items are reported and left out. */
  mapItems(key: string): FieldReader[] {
    return (this.list(key) ?? []).flatMap(({ value, path }) => {
      if (value === null || value === undefined) {
        this.reporter.report('WrongType', path, { expected: 'a mapping', actual: describe(value) });
      }
      return FieldReader.of(this.reporter, value, path) ?? [];
    });
  }

  /** Reports an invalid value at `key`. */
  invalid(key: string, detail: string): void {
    this.reporter.report('InvalidValue', this.pathOf(key), { detail });
  }

  private typed<T>(key: string, expected: string, guard: (value: unknown) => value is T): T | undefined {
    const value = this.value[key];
    if (value === null || value === undefined) return undefined;
    if (guard(value)) return value;
    this.reporter.report('WrongType', this.pathOf(key), { expected, actual: describe(value) });
    return undefined;
  }

  private inRange(key: string, value: number, { min, max, above }: Range): number | undefined {
    const low = min !== undefined && (above ? value <= min : value < min);
    const high = max !== undefined && value > max;
    if (!low && !high) return value;
    const lower = min === undefined ? '' : above ? `above ${min}` : `at least ${min}`;
    const upper = max === undefined ? '' : `at most ${max}`;
    this.invalid(key, `${key} must be ${[lower, upper].filter(Boolean).join(' and ')}, not ${value}`);
    return undefined;
  }
}
