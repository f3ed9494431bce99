import { describe, isMapping } from '../describe.ts';
import { fieldPath, indexPath } from '../fieldPath.ts';
import type { Reporter } from '../Reporter.ts';
import { suggest } from '../suggest.ts';
import type { CrdValidate } from './crdModels.ts';
import { probeSchema, type SchemaError } from './probeSchema.ts';

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a sequence',
};

/** Paths the loader checks itself, with friendlier messages (label values, names, the type header). */
const LOADER_OWNED = /^(apiVersion|kind|metadata\.(labels|annotations|name|namespace))($|[.[])/;

/**
 * Checks a document against its Istio CRD schema (`@kubernetes-models/istio`)
 * and reports every finding at its field path: wrong types, values outside an
 * enum or a range, missing required fields, fields that exclude each other,
 * and fields the CRD does not have (with a "did you mean"). `skip` holds paths
 * already reported by other checks. Returns whether no error was found, i.e.
 * whether the document can be trusted to have the schema's shape.
 */
export function checkAgainstCrd(validate: CrdValidate, document: Record<string, unknown>, reporter: Reporter, skip: ReadonlySet<string>): boolean {
  const { errors, unknownKeys } = probeSchema(validate, document);
  const paths = pathsOf(document);
  for (const { parent, key, known } of unknownKeys) {
    const path = fieldPath(paths.get(parent) ?? '', key);
    if (!LOADER_OWNED.test(path)) reporter.report('UnknownField', path, { field: key, suggestion: suggest(key, known) });
  }
  let ok = true;
  const exclusive = new Set<string>();
  // A failed one-of also carries the errors of its failed branches ("required prefix"): the one-of message says it all.
  const oneOfAt = new Set(errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'not').map((e) => e.instancePath));
  for (const error of errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'not' || !oneOfAt.has(e.instancePath))) {
    const { path, value } = resolve(document, error.instancePath);
    if (LOADER_OWNED.test(path) || skip.has(path)) continue;
    ok = false;
    if (error.keyword === 'oneOf' || error.keyword === 'not') {
      if (exclusive.has(path)) continue;
      exclusive.add(path);
      const keys = conflictingKeys(validate, document, error.instancePath, value);
      reporter.report('SchemaViolation', path, { detail: `only one of ${keys.join(', ')} may be set here` });
      continue;
    }
    reportError(error, path, value, reporter);
  }
  return ok;
}

function reportError(error: SchemaError, path: string, value: unknown, reporter: Reporter): void {
  const params = error.params;
  switch (error.keyword) {
    case 'required': {
      const field = String(params['missingProperty']);
      reporter.report('MissingField', fieldPath(path, field), { field });
      return;
    }
    case 'type':
      reporter.report('WrongType', path, { expected: TYPE_NAMES[String(params['type'])] ?? String(params['type']), actual: describe(value) });
      return;
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(String);
      const hint = typeof value === 'string' ? suggest(value, allowed) : undefined;
      const mean = hint ? ` (did you mean ${JSON.stringify(hint)}?)` : '';
      reporter.report('InvalidValue', path, { detail: `expected one of ${allowed.join(', ')}, got ${describe(value)}${mean}` });
      return;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      reporter.report('SchemaViolation', path, { detail: `must be ${String(params['comparison'])} ${String(params['limit'])}, not ${String(value)}` });
      return;
    case 'format':
      reporter.report('SchemaViolation', path, { detail: `${describe(value)} is not a valid ${String(params['format'])}` });
      return;
    default:
      reporter.report('SchemaViolation', path, { detail: error.message ?? `fails the schema's ${error.keyword} rule` });
  }
}

/** The field path (`spec.http[0].route`) and the value a JSON pointer points at. */
function resolve(document: unknown, pointer: string): { path: string; value: unknown } {
  let path = '';
  let value: unknown = document;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      path = indexPath(path, Number(key));
      value = value[Number(key)];
    } else {
      path = fieldPath(path, key);
      value = isMapping(value) ? value[key] : undefined;
    }
  }
  return { path, value };
}

/** Every object and sequence of the document with its field path. */
function pathsOf(document: unknown): Map<object, string> {
  const paths = new Map<object, string>();
  const walk = (value: unknown, path: string): void => {
    if (typeof value !== 'object' || value === null || paths.has(value)) return;
    paths.set(value, path);
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, indexPath(path, i)));
    else for (const [key, item] of Object.entries(value)) walk(item, fieldPath(path, key));
  };
  walk(document, '');
  return paths;
}

/**
 * Which keys of the object at `pointer` exclude each other: those whose
 * removal alone makes the one-of error go away (the CRD encodes "at most one
 * of" as `oneOf` + `not anyOf`). Falls back to every key present.
 */
function conflictingKeys(validate: CrdValidate, document: Record<string, unknown>, pointer: string, value: unknown): string[] {
  if (!isMapping(value)) return [];
  const keys = Object.keys(value);
  const culprits = keys.filter((key) => {
    const trial = replaceAt(document, pointer.split('/').slice(1), (object) => {
      const copy = { ...object };
      delete copy[key];
      return copy;
    });
    const { errors } = probeSchema(validate, trial);
    return !errors.some((e) => e.instancePath === pointer && (e.keyword === 'oneOf' || e.keyword === 'not'));
  });
  return culprits.length > 1 ? culprits : keys;
}

/** A copy of `root` with the object at `segments` replaced, sharing everything off the path. */
function replaceAt(root: unknown, segments: string[], change: (object: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> {
  if (!isMapping(root) && !Array.isArray(root)) return root as Record<string, unknown>;
  const [head, ...rest] = segments;
  if (head === undefined) return change(root as Record<string, unknown>);
  const key = head.replace(/~1/g, '/').replace(/~0/g, '~');
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[Number(key)] = replaceAt(copy[Number(key)], rest, change);
    return copy as unknown as Record<string, unknown>;
  }
  return { ...root, [key]: replaceAt(root[key], rest, change) };
}
