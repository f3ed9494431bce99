import type { Scenario } from '../../model/index.ts';
import { exportScenario, loadScenario } from '../../istio/index.ts';
import type { SourceFile } from '../../istio/index.ts';
import { ApiError } from '../ApiError.ts';

/**
 * Settings a sweep can vary, and where each lands: on every VirtualService
 * HTTP route (`retries.*`, `timeout`), on every DestinationRule's traffic
 * policy (`outlierDetection.*`, `connectionPool.*`, `loadBalancer.*`), or on
 * one resource's field (`VirtualService/users:spec.http[0].retries.attempts`).
 */
const ON_ROUTES = /^(retries\.[A-Za-z]+|timeout)$/;
const ON_POLICIES = /^(outlierDetection|connectionPool|loadBalancer)\.[A-Za-z0-9.]+$/;
const ON_ONE = /^(VirtualService|DestinationRule|PeerAuthentication|AuthorizationPolicy)\/([^:/]+(?:\/[^:/]+)?):(spec\..+)$/;

/** Whether a key names something a sweep can vary (checked before any run). */
export function checkVaryKey(key: string): void {
  if (ON_ROUTES.test(key) || ON_POLICIES.test(key) || ON_ONE.test(key)) return;
  throw new ApiError(`--vary: "${key}" is not a setting a sweep can vary`, 'retries.attempts, retries.perTryTimeout, retries.retryOn, timeout, outlierDetection.FIELD, connectionPool.tcp|http.FIELD, loadBalancer.simple, or Kind/[namespace/]name:spec.path');
}

/**
 * The scenario with these settings, written out and read back through the
 * loader (`exportScenario`), so a value Istio would refuse is a diagnostic
 * of the variant, not a run of something no cluster would accept.
 */
export function variantFiles(scenario: Scenario, keys: readonly string[], values: ReadonlyArray<string | number | boolean>, label: string): SourceFile[] {
  // Only the Istio resources change: copies of them, plain data.
  const copy = <T>(items: T[]): T[] => JSON.parse(JSON.stringify(items)) as T[];
  const edited: Scenario = { ...scenario, virtualServices: copy(scenario.virtualServices), destinationRules: copy(scenario.destinationRules), peerAuthentications: copy(scenario.peerAuthentications), authorizationPolicies: copy(scenario.authorizationPolicies) };
  keys.forEach((key, i) => set(edited, key, values[i] ?? ''));
  const text = exportScenario(edited);
  const loaded = loadScenario([{ name: label, text }]);
  const error = loaded.diagnostics.find((d) => d.severity === 'error');
  if (error) throw new ApiError(`${label}: ${error.message}${error.path ? ` (${error.resource ?? ''} ${error.path})` : ''}`, 'a value the loader refuses; vary within what Istio accepts');
  return [{ name: label, text }];
}

function set(scenario: Scenario, key: string, value: string | number | boolean): void {
  if (ON_ROUTES.test(key)) {
    for (const vs of scenario.virtualServices) for (const route of vs.spec.http ?? []) setPath(route as Record<string, unknown>, key, value);
    return;
  }
  if (ON_POLICIES.test(key)) {
    for (const dr of scenario.destinationRules) setPath(dr.spec as unknown as Record<string, unknown>, `trafficPolicy.${key}`, value);
    return;
  }
  const one = ON_ONE.exec(key);
  if (!one) return;
  const [, kind = '', ref = '', path = ''] = one;
  const [namespace, name] = ref.includes('/') ? ref.split('/') : ['default', ref];
  const lists = { VirtualService: scenario.virtualServices, DestinationRule: scenario.destinationRules, PeerAuthentication: scenario.peerAuthentications, AuthorizationPolicy: scenario.authorizationPolicies } as const;
  const resource = (lists[kind as keyof typeof lists] as ReadonlyArray<{ metadata: { name: string; namespace: string } }>).find((r) => r.metadata.name === name && r.metadata.namespace === namespace);
  if (!resource) throw new ApiError(`--vary: no ${kind} ${namespace}/${name}`, 'name a resource of the scenario: Kind/[namespace/]name:spec.path');
  setPath(resource as unknown as Record<string, unknown>, path, value);
}

/** Sets `a.b[0].c` inside `target`, making the objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let at: Record<string, unknown> = target;
  parts.forEach((part, i) => {
    if (part === '__proto__' || part === 'constructor' || part === 'prototype') throw new ApiError(`--vary: "${path}" is not a field path`, 'spec.http[0].retries.attempts');
    if (i === parts.length - 1) {
      at[part] = value;
      return;
    }
    const next = at[part];
    if (typeof next !== 'object' || next === null) at[part] = /^\d+$/.test(parts[i + 1] ?? '') ? [] : {};
    at = at[part] as Record<string, unknown>;
  });
}
