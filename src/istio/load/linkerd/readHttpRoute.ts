import { compileSafeRegex, type HTTPRouteFilter, type HTTPRouteMatch, type HTTPRouteRule, type HTTPRouteSpec, type Resource } from '../../../model/index.ts';
import type { FieldReader } from '../FieldReader.ts';
import type { ResourceHeader } from '../readIstioResource.ts';
import { readSpec } from './readSpec.ts';
import { checkAgainstSchema } from '../schema/checkAgainstSchema.ts';
import { schemaValidatorFor } from '../schema/schemaValidatorFor.ts';

const PATH_TYPES = ['Exact', 'PathPrefix', 'RegularExpression'] as const;
const VALUE_TYPES = ['Exact', 'RegularExpression'] as const;

/**
 * An HTTPRoute (gateway.networking.k8s.io, or policy.linkerd.io which
 * follows it): checked against the Gateway API schema, then read into the
 * fields Linkerd routes by — parents, matches, weighted backends, timeouts.
 * Regular expressions must be ones RE2 accepts (Linkerd's proxy uses Rust's
 * `regex`, of the same family). Returns `undefined` when it has an error.
 */
export function readHttpRoute(header: ResourceHeader, document: FieldReader): Resource<HTTPRouteSpec> | undefined {
  return readSpec<HTTPRouteSpec>(header, document, (spec) => {
    const parentRefs = spec.mapItems('parentRefs').flatMap((ref) => readRef(ref) ?? []);
    const hostnames = spec.has('hostnames') ? (spec.list('hostnames') ?? []).flatMap((h) => (typeof h.value === 'string' ? [h.value.toLowerCase()] : [])) : undefined;
    const rules = spec.mapItems('rules').map(readRule);
    // After the reads: the schema check leaves alone what they already reported.
    const schema = schemaValidatorFor(header.apiVersion, header.kind);
    const schemaOk = schema ? checkAgainstSchema(schema, document.value, document.reporter) : true;
    return schemaOk ? { parentRefs, ...(hostnames ? { hostnames } : {}), rules } : undefined;
  });
}

type Ref = { group?: string; kind?: string; name: string; namespace?: string; port?: number; weight?: number; sectionName?: string };

function readRef(ref: FieldReader): Ref | undefined {
  const name = ref.string('name');
  if (name === undefined) return undefined;
  const out: Ref = { name };
  const sectionName = ref.string('sectionName');
  if (sectionName !== undefined) out.sectionName = sectionName;
  const group = ref.string('group');
  const kind = ref.string('kind');
  const namespace = ref.string('namespace');
  const port = ref.integer('port', { min: 1, max: 65535 });
  const weight = ref.integer('weight', { min: 0, max: 1_000_000 });
  if (group !== undefined) out.group = group;
  if (kind !== undefined) out.kind = kind;
  if (namespace !== undefined) out.namespace = namespace;
  if (port !== undefined) out.port = port;
  if (weight !== undefined) out.weight = weight;
  return out;
}

function readRule(rule: FieldReader): HTTPRouteRule {
  const out: HTTPRouteRule = {};
  if (rule.has('matches')) out.matches = rule.mapItems('matches').map(readMatch);
  if (rule.has('filters')) out.filters = rule.mapItems('filters').flatMap((f) => readFilter(f) ?? []);
  if (rule.has('backendRefs')) out.backendRefs = rule.mapItems('backendRefs').flatMap((ref) => readRef(ref) ?? []);
  const timeouts = rule.map('timeouts');
  if (timeouts) {
    out.timeouts = {};
    const request = timeouts.string('request');
    const backendRequest = timeouts.string('backendRequest');
    if (request !== undefined && timeouts.duration('request') !== undefined) out.timeouts.request = request;
    if (backendRequest !== undefined && timeouts.duration('backendRequest') !== undefined) out.timeouts.backendRequest = backendRequest;
  }
  return out;
}

/** A filter: its type, and the fields of the two meshviz simulates (RequestHeaderModifier, RequestRedirect). */
function readFilter(filter: FieldReader): HTTPRouteFilter | undefined {
  const type = filter.string('type');
  if (type === undefined) return undefined;
  const out: HTTPRouteFilter = { type };
  const headers = filter.map('requestHeaderModifier');
  if (headers) {
    const pairs = (key: string) => headers.mapItems(key).flatMap((h) => {
      const name = h.string('name');
      const value = h.string('value');
      return name !== undefined && value !== undefined ? [{ name, value }] : [];
    });
    const modifier: NonNullable<HTTPRouteFilter['requestHeaderModifier']> = {};
    if (headers.has('set')) modifier.set = pairs('set');
    if (headers.has('add')) modifier.add = pairs('add');
    if (headers.has('remove')) modifier.remove = (headers.list('remove') ?? []).flatMap((item) => (typeof item.value === 'string' ? [item.value] : []));
    out.requestHeaderModifier = modifier;
  }
  const redirect = filter.map('requestRedirect');
  if (redirect) {
    const r: NonNullable<HTTPRouteFilter['requestRedirect']> = {};
    const scheme = redirect.string('scheme');
    const hostname = redirect.string('hostname');
    const port = redirect.integer('port', { min: 1, max: 65535 });
    const statusCode = redirect.integer('statusCode', { min: 300, max: 399 });
    if (scheme !== undefined) r.scheme = scheme;
    if (hostname !== undefined) r.hostname = hostname;
    if (port !== undefined) r.port = port;
    if (statusCode !== undefined) r.statusCode = statusCode;
    out.requestRedirect = r;
  }
  return out;
}

function readMatch(match: FieldReader): HTTPRouteMatch {
  const out: HTTPRouteMatch = {};
  const path = match.map('path');
  if (path) {
    const type = oneOf(path, 'type', PATH_TYPES) ?? 'PathPrefix';
    const value = path.string('value') ?? '/';
    if (type === 'RegularExpression') checkRegex(path, 'value', value);
    out.path = { type, value };
  }
  const headers = match.mapItems('headers').flatMap((h) => readValueMatch(h) ?? []);
  if (headers.length > 0) out.headers = headers;
  const queryParams = match.mapItems('queryParams').flatMap((q) => readValueMatch(q) ?? []);
  if (queryParams.length > 0) out.queryParams = queryParams;
  const method = match.string('method');
  if (method !== undefined) out.method = method;
  return out;
}

function readValueMatch(item: FieldReader): { type: 'Exact' | 'RegularExpression'; name: string; value: string } | undefined {
  const name = item.string('name');
  const value = item.string('value');
  if (name === undefined || value === undefined) return undefined;
  const type = oneOf(item, 'type', VALUE_TYPES) ?? 'Exact';
  if (type === 'RegularExpression') checkRegex(item, 'value', value);
  return { type, name, value };
}

function oneOf<T extends string>(reader: FieldReader, key: string, allowed: readonly T[]): T | undefined {
  const value = reader.string(key);
  if (value === undefined) return undefined;
  const found = allowed.find((a) => a === value);
  if (!found) reader.invalid(key, `${key} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
  return found;
}

function checkRegex(reader: FieldReader, key: string, pattern: string): void {
  const compiled = compileSafeRegex(pattern);
  if (!compiled.ok) reader.reporter.report('RegexRejected', reader.pathOf(key), { where: key, error: compiled.error });
}
