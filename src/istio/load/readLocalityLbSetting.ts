import type { LocalityLbSetting } from '../../model/index.ts';
import { lintLocality } from '../compile/lintDestinationRule.ts';

/**
 * A mesh config's `localityLbSetting` (Istio's `LocalityLoadBalancerSetting`)
 * as plain data, or the reason istiod could not read it (its proto JSON
 * parsing refuses a value of the wrong type).
 */
export function readLocalityLbSetting(value: unknown): LocalityLbSetting | string {
  if (!isRecord(value)) return 'localityLbSetting is not a mapping';
  const out: LocalityLbSetting = {};
  const { enabled, distribute, failover, failoverPriority } = value;
  if (enabled !== undefined) {
    if (typeof enabled !== 'boolean') return 'localityLbSetting.enabled is not true or false';
    out.enabled = enabled;
  }
  if (failoverPriority !== undefined) {
    if (!Array.isArray(failoverPriority) || !failoverPriority.every((l) => typeof l === 'string')) return 'localityLbSetting.failoverPriority is not a list of label names';
    out.failoverPriority = failoverPriority as string[];
  }
  if (failover !== undefined) {
    if (!Array.isArray(failover) || !failover.every((f) => isRecord(f) && optionalString(f['from']) && optionalString(f['to']))) return 'localityLbSetting.failover is not a list of {from, to} regions';
    out.failover = (failover as Array<Record<string, unknown>>).map((f) => ({ ...(f['from'] === undefined ? {} : { from: f['from'] as string }), ...(f['to'] === undefined ? {} : { to: f['to'] as string }) }));
  }
  if (distribute !== undefined) {
    const ok = Array.isArray(distribute) && distribute.every((d) => isRecord(d) && optionalString(d['from']) && (d['to'] === undefined || (isRecord(d['to']) && Object.values(d['to']).every((w) => Number.isInteger(w) && (w as number) >= 0))));
    if (!ok) return 'localityLbSetting.distribute is not a list of {from, to: {locality: weight}}';
    out.distribute = (distribute as Array<Record<string, unknown>>).map((d) => ({
      ...(d['from'] === undefined ? {} : { from: d['from'] as string }),
      ...(d['to'] === undefined ? {} : { to: Object.assign(Object.create(null) as Record<string, number>, d['to']) }),
    }));
  }
  // istiod validates the mesh config's setting as a DestinationRule's (ValidateMeshConfig → ValidateLocalityLbSetting).
  let invalid: string | undefined;
  lintLocality(out, (path, reason) => (invalid ??= `localityLbSetting${path}: ${reason}`));
  return invalid ?? out;
}

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
