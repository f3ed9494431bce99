import { describe, isMapping } from '../describe.ts';
import { fieldPath, indexPath } from '../fieldPath.ts';
import type { Reporter } from '../Reporter.ts';
import { suggest } from '../../../model/index.ts';
import { probeSchema, type SchemaError } from './probeSchema.ts';
import type { SchemaCheck, SchemaValidate } from './schemaValidatorFor.ts';

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
 * An Istio CRD's `status` keeps what the controller writes, whatever it is
 * (Istio's CRDs declare it `x-kubernetes-preserve-unknown-fields: true`): a
 * newer istiod's fields, such as a ServiceEntry's `status.addresses`, are
 * not unknown.
 */
const ISTIO_STATUS = /^status($|[.[])/;

const isOneOf = (error: SchemaError): boolean => error.keyword === 'oneOf' || error.keyword === 'not';

/**
 * Checks a document against its schema (an Istio CRD's from
 * `@kubernetes-models/istio`, or a Kubernetes kind's from `kubernetes-models`)
 * and reports every finding at its field path: wrong types, values outside an
 * enum or a range, missing required fields, fields that exclude each other,
 * and fields the schema does not have (with a "did you mean"). Paths that
 * already have an error from another check are not reported again. Returns
 * whether no error was found, i.e. whether the document can be trusted to
 * have the schema's shape.
 */
export function checkAgainstSchema(check: SchemaCheck, document: Record<string, unknown>, reporter: Reporter): boolean {
  const skip = new Set(reporter.errorPaths);
  const { errors, unknownKeys } = probeSchema(check.validate, document);
  const paths = pathsOf(document);
  for (const { parent, key, known } of unknownKeys) {
    const path = fieldPath(paths.get(parent) ?? '', key);
    if (LOADER_OWNED.test(path) || (check.schema === 'Istio CRD' && ISTIO_STATUS.test(path))) continue;
    reporter.report('UnknownField', path, { field: key, suggestion: suggest(key, known) });
  }
  let ok = true;
  const exclusive = new Set<string>();
  // A failed one-of also carries the errors of its failed branches ("required prefix"): the one-of message says it all.
  const oneOfAt = new Set(errors.filter(isOneOf).map((e) => e.instancePath));
  for (const error of errors.filter((e) => isOneOf(e) || !oneOfAt.has(e.instancePath))) {
    const { path, value } = resolve(document, error.instancePath);
    const required = error.keyword === 'required';
    const at = required ? fieldPath(path, String(error.params['missingProperty'])) : path;
    const waived = required && check.optional?.test(at.replace(/\[\d+\]/g, '[]')) === true;
    if (LOADER_OWNED.test(at) || skip.has(at) || waived) continue;
    ok = false;
    if (isOneOf(error)) {
      if (exclusive.has(path)) continue;
      exclusive.add(path);
      if (isMapping(value)) {
        const keys = conflictingKeys(check.validate, document, error.instancePath, value);
        reporter.report('SchemaViolation', path, { detail: `only one of ${keys.join(', ')} may be set here`, schema: check.schema });
      } else {
        // A one-of of types (Kubernetes' int-or-string): its branches' type errors name what would do.
        const types = errors.filter((e) => e.instancePath === error.instancePath && e.keyword === 'type').map((e) => typeName(e));
        reporter.report('WrongType', path, { expected: [...new Set(types)].join(' or ') || 'another value', actual: describe(value) });
      }
      continue;
    }
    reportError(error, path, value, reporter, check.schema);
  }
  return ok;
}

const typeName = (error: SchemaError): string => TYPE_NAMES[String(error.params['type'])] ?? String(error.params['type']);

function reportError(error: SchemaError, path: string, value: unknown, reporter: Reporter, schema: string): void {
  const params = error.params;
  switch (error.keyword) {
    case 'required': {
      const field = String(params['missingProperty']);
      reporter.report('MissingField', fieldPath(path, field), { field });
      return;
    }
    case 'type':
      reporter.report('WrongType', path, { expected: typeName(error), actual: describe(value) });
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
      reporter.report('SchemaViolation', path, { detail: `must be ${String(params['comparison'])} ${String(params['limit'])}, not ${String(value)}`, schema });
      return;
    case 'format':
      reporter.report('SchemaViolation', path, { detail: `${describe(value)} is not a valid ${String(params['format'])}`, schema });
      return;
    default:
      reporter.report('SchemaViolation', path, { detail: error.message ?? `fails the schema's ${error.keyword} rule`, schema });
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
function conflictingKeys(validate: SchemaValidate, document: Record<string, unknown>, pointer: string, value: unknown): string[] {
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
