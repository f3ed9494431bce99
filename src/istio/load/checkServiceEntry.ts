import type { FieldReader } from './FieldReader.ts';

/**
 * The ServiceEntry checks of Istio's validation that meshviz needs to run
 * one (Istio src `pkg/config/validation/validation.go`,
 * `ValidateServiceEntry`): each failure is reported where it is written and
 * the entry is refused, as the admission webhook would refuse it.
 * - a host of `*` alone ("invalid host");
 * - resolution DNS or DNS_ROUND_ROBIN without endpoints and a wildcard host
 *   ("hosts must be FQDN … if no endpoints are provided"): DNS cannot resolve `*.example.com`;
 * - resolution NONE with endpoints ("no endpoints should be provided for resolution type none");
 * - both `workloadSelector` and `endpoints` ("only one of WorkloadSelector or Endpoints is allowed");
 * - DNS_ROUND_ROBIN with more than one endpoint ("there must only be 0 or 1 endpoint").
 */
export function checkServiceEntry(document: FieldReader): boolean {
  const spec = document.map('spec');
  if (!spec) return true;
  // Fields of the wrong shape are the schema check's to report; read only what is well formed here.
  const resolution = typeof spec.value['resolution'] === 'string' ? spec.value['resolution'] : 'NONE';
  const hosts = Array.isArray(spec.value['hosts']) ? (spec.list('hosts') ?? []) : [];
  const endpoints = Array.isArray(spec.value['endpoints']) ? (spec.list('endpoints') ?? []) : [];
  const reject = (path: string, reason: string): false => {
    document.reporter.report('ServiceEntryRejected', path, { reason });
    return false;
  };
  for (const host of hosts) {
    if (host.value === '*') return reject(host.path, 'invalid host "*": a ServiceEntry cannot declare every host');
  }
  if ((resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') && endpoints.length === 0) {
    const wildcard = hosts.find((h) => typeof h.value === 'string' && h.value.includes('*'));
    if (wildcard) return reject(wildcard.path, `${String(wildcard.value)} with resolution ${resolution} and no endpoints: DNS cannot resolve a wildcard; use resolution NONE (the address the app dialled) or list endpoints`);
  }
  if (resolution === 'NONE' && endpoints.length > 0) return reject(spec.pathOf('endpoints'), 'endpoints with resolution NONE: that resolution connects to the address dialled; use STATIC to send to the endpoints');
  if (spec.has('workloadSelector') && spec.has('endpoints')) return reject(spec.pathOf('workloadSelector'), 'both workloadSelector and endpoints: only one of them may say where the endpoints are');
  if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) return reject(spec.pathOf('endpoints'), 'more than one endpoint with resolution DNS_ROUND_ROBIN: it takes 0 or 1');
  return true;
}
