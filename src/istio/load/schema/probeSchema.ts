import type { SchemaValidate } from './schemaValidatorFor.ts';

/** One schema violation as ajv reports it (the parts meshviz reads). */
export interface SchemaError {
  /** JSON pointer into the document: `/spec/http/0/route`. */
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** What the schema did with one object of the document. */
interface Visit {
  /** Property names the validator looked up. */
  looked: Set<string>;
  /** The validator listed the keys itself (a map, or `additionalProperties`). */
  listed: boolean;
}

/** An object key the schema never looked at, with its parent and the keys it did know there. */
export interface UnknownKey {
  parent: object;
  key: string;
  known: string[];
}

/** The schema's errors, and the keys it never looked at. */
export interface ProbeResult {
  errors: SchemaError[];
  unknownKeys: UnknownKey[];
}

/**
 * Runs a schema check (an Istio CRD's or a Kubernetes kind's) and also
 * learns which fields it knows. The generated validators accept unknown
 * fields (Kubernetes prunes them), so the document is handed over behind a Proxy that records every property the
 * validator looks up: a key present in the data but never looked up in an
 * object whose other fields were checked is a field the schema does not have.
 * Objects the validator never opens (`x-kubernetes-preserve-unknown-fields`)
 * and objects it enumerates (maps) are not judged.
 */
export function probeSchema(validate: SchemaValidate, document: object): ProbeResult {
  const visits = new Map<object, Visit>();
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const cached = proxies.get(value);
    if (cached) return cached;
    const visit: Visit = { looked: new Set(), listed: false };
    visits.set(value, visit);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        const found: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== 'string') return found;
        visit.looked.add(key);
        return Object.hasOwn(target, key) ? wrap(found) : found;
      },
      has(target, key) {
        if (typeof key === 'string') visit.looked.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        visit.listed = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };

  let errors: SchemaError[] = [];
  try {
    validate.call(wrap(document));
  } catch (error) {
    const reported = (error as { errors?: unknown }).errors;
    if (!Array.isArray(reported)) throw error;
    errors = reported as SchemaError[];
  }

  const unknownKeys: UnknownKey[] = [];
  for (const [object, visit] of visits) {
    if (Array.isArray(object) || visit.listed || visit.looked.size === 0) continue;
    const known = [...visit.looked].filter((key) => !key.startsWith('$'));
    for (const key of Object.keys(object)) if (!visit.looked.has(key)) unknownKeys.push({ parent: object, key, known });
  }
  return { errors, unknownKeys };
}
