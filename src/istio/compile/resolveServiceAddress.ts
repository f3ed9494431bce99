import { addressMatches } from './addressMatches.ts';
import type { Scenario, Service } from '../../model/index.ts';

/**
 * What an app dials → the service it reaches. `dialled` may be `users`,
 * `users:8080`, `users.ns`, `users.ns.svc`, or the FQDN (a trailing dot is
 * fine); names are tried the way a pod's resolver walks its search path
 * (`<ns>.svc.<domain>`, `svc.<domain>`, `<domain>`, then as written). The port
 * is the one in `dialled`, else `port`, else the service's first port; it must
 * be one of the service's ports. Undefined when nothing answers.
 */
export function resolveServiceAddress(
  scenario: Scenario,
  fromNamespace: string,
  dialled: string,
  port?: number,
): { host: string; port: number; service: Service } | undefined {
  const withPort = /^(.*):(\d+)$/.exec(dialled.trim().toLowerCase());
  const name = (withPort ? (withPort[1] as string) : dialled.trim().toLowerCase()).replace(/\.$/, '');
  if (name === '') return undefined;
  const domain = scenario.mesh.clusterDomain;
  const candidates = [`${name}.${fromNamespace}.svc.${domain}`, `${name}.svc.${domain}`, `${name}.${domain}`, name];
  for (const host of candidates) {
    const service = scenario.services.find((s) => `${s.name}.${s.namespace}.svc.${domain}` === host);
    if (!service) continue;
    const wanted = withPort ? Number(withPort[2]) : port;
    const servicePort = wanted === undefined ? service.ports[0] : service.ports.find((p) => p.port === wanted);
    return servicePort ? { host, port: servicePort.port, service } : undefined;
  }
  return undefined;
}

/**
 * What an app dials → a host outside the mesh (`Scenario.externalServices`),
 * matched as written (lower case, no trailing dot) or by one of its
 * ServiceEntry's `addresses`. The port is the one
 * dialled, else `port`, else the first declared or dialled one.
 */
export function resolveExternalAddress(scenario: Scenario, dialled: string, port?: number): { host: string; port: number } | undefined {
  const withPort = /^(.*):(\d+)$/.exec(dialled.trim().toLowerCase());
  const name = (withPort ? (withPort[1] as string) : dialled.trim().toLowerCase()).replace(/\.$/, '');
  // A ServiceEntry's `addresses` are its VIPs: Envoy's listener on one sends to the entry's host (TCP too).
  const external = scenario.externalServices.find((e) => e.host === name) ?? scenario.externalServices.find((e) => e.addresses !== undefined && addressMatches(e.addresses, name));
  if (!external) return undefined;
  const wanted = withPort ? Number(withPort[2]) : (port ?? external.ports[0]?.port ?? external.dialled[0]);
  return wanted === undefined ? undefined : { host: external.host, port: wanted };
}
