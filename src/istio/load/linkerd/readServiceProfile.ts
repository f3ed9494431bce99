import { compileSafeRegex, type Resource, type ServiceProfileCondition, type ServiceProfileSpec } from '../../../model/index.ts';
import type { FieldReader } from '../FieldReader.ts';
import type { ResourceHeader } from '../readIstioResource.ts';
import { readSpec } from './readSpec.ts';

const SPEC_FIELDS = ['routes', 'retryBudget', 'dstOverrides', 'opaquePorts'];
const ROUTE_FIELDS = ['name', 'condition', 'isRetryable', 'timeout', 'responseClasses'];
const CONDITION_FIELDS = ['method', 'pathRegex', 'all', 'any', 'not'];
const BUDGET_FIELDS = ['retryRatio', 'minRetriesPerSecond', 'ttl'];

/**
 * A `linkerd.io/v1alpha2` ServiceProfile (§10.1), field by field as
 * Linkerd's CRD states it: routes (name and condition required), `timeout`,
 * `isRetryable`, `responseClasses`, and `retryBudget` (all three fields
 * required; the ttl between 1 s and 60 s, as the proxy refuses others —
 * linkerd2-proxy `service-profiles/src/proto.rs` `convert_retry_budget`).
 */
export function readServiceProfile(header: ResourceHeader, document: FieldReader): Resource<ServiceProfileSpec> | undefined {
  return readSpec<ServiceProfileSpec>(header, document, (spec) => {
    spec.allowOnly(SPEC_FIELDS);
    const out: ServiceProfileSpec = {};
    const routes = spec.mapItems('routes').flatMap((route) => readRoute(route) ?? []);
    if (spec.has('routes')) out.routes = routes;
    const budget = readBudget(spec.map('retryBudget'));
    if (budget) out.retryBudget = budget;
    return out;
  });
}

function readBudget(budget: FieldReader | undefined): ServiceProfileSpec['retryBudget'] {
  if (!budget) return undefined;
  budget.allowOnly(BUDGET_FIELDS);
  const present = BUDGET_FIELDS.map((f) => budget.require(f)).every(Boolean);
  const retryRatio = budget.number('retryRatio', { min: 0, max: 1000 });
  const minRetriesPerSecond = budget.integer('minRetriesPerSecond', { min: 0, max: 2_147_483_646 });
  const ttl = budget.string('ttl');
  const ttlMicros = budget.duration('ttl');
  if (ttlMicros !== undefined && (ttlMicros < 1_000_000 || ttlMicros > 60_000_000)) budget.invalid('ttl', `ttl must be between 1s and 60s, not ${ttl}`);
  return present && retryRatio !== undefined && minRetriesPerSecond !== undefined && ttl !== undefined ? { retryRatio, minRetriesPerSecond, ttl } : undefined;
}

function readRoute(route: FieldReader): NonNullable<ServiceProfileSpec['routes']>[number] | undefined {
  route.allowOnly(ROUTE_FIELDS);
  const named = route.require('name');
  const conditioned = route.require('condition');
  const name = route.string('name');
  const condition = readCondition(route.map('condition'));
  const isRetryable = route.boolean('isRetryable');
  const timeout = route.string('timeout');
  if (timeout !== undefined) route.duration('timeout');
  const responseClasses = route.mapItems('responseClasses').flatMap((rc) => {
    rc.allowOnly(['condition', 'isFailure']);
    const status = rc.map('condition')?.map('status');
    status?.allowOnly(['min', 'max']);
    const min = status?.integer('min', { min: 100, max: 599 });
    const max = status?.integer('max', { min: 100, max: 599 });
    const isFailure = rc.boolean('isFailure');
    return [{ condition: { status: { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) } }, ...(isFailure !== undefined ? { isFailure } : {}) }];
  });
  if (!named || !conditioned || name === undefined || !condition) return undefined;
  return {
    name,
    condition,
    ...(isRetryable !== undefined ? { isRetryable } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(route.has('responseClasses') ? { responseClasses } : {}),
  };
}

function readCondition(reader: FieldReader | undefined): ServiceProfileCondition | undefined {
  if (!reader) return undefined;
  reader.allowOnly(CONDITION_FIELDS);
  const out: ServiceProfileCondition = {};
  const method = reader.string('method');
  if (method !== undefined) out.method = method;
  const pathRegex = reader.string('pathRegex');
  if (pathRegex !== undefined) {
    const compiled = compileSafeRegex(pathRegex);
    if (!compiled.ok) reader.reporter.report('RegexRejected', reader.pathOf('pathRegex'), { where: 'pathRegex', error: compiled.error });
    out.pathRegex = pathRegex;
  }
  if (reader.has('all')) out.all = reader.mapItems('all').flatMap((c) => readCondition(c) ?? []);
  if (reader.has('any')) out.any = reader.mapItems('any').flatMap((c) => readCondition(c) ?? []);
  const not = readCondition(reader.map('not'));
  if (not) out.not = not;
  return out;
}
