/**
 * The domains of a sidecar's outbound virtual host for `host`, in istiod's
 * order (`generateVirtualHostDomains`, Istio src
 * `pilot/pkg/networking/core/httproute.go`): the host, its absolute form
 * with a trailing dot (`PILOT_ENABLE_ABSOLUTE_FQDN_VHOST_DOMAIN`, on by
 * default), the short names a caller in `namespace` may use for a
 * Kubernetes Service (`generateAltVirtualHostsForKubernetesService`: in the
 * same namespace `name`, `name.ns.svc`, `name.ns`; from another `name.ns`,
 * `name.ns.svc`), then the service's address. A sidecar matches the Host
 * header ignoring its port (`IgnorePortInHostMatching`), so istiod adds no
 * `host:port` forms.
 */
export function virtualHostDomains(host: string, namespace: string, clusterDomain: string, address: string | undefined): string[] {
  const domains = [host, `${host}.`];
  const svc = host.indexOf('.svc.');
  if (host.endsWith(`.svc.${clusterDomain}`) && svc > 0) {
    const dot = host.indexOf('.');
    const name = host.slice(0, dot);
    const nameNs = host.slice(0, svc);
    if (host.slice(dot + 1, svc) === namespace) domains.push(name, `${nameNs}.svc`, nameNs);
    else domains.push(nameNs, `${nameNs}.svc`);
  }
  if (address !== undefined) domains.push(address);
  return domains;
}

/**
 * The DOMAINS column of `istioctl proxy-config routes` (Istio src
 * `istioctl/pkg/writer/envoy/configdump/route.go`, `describeRouteDomains`):
 * one domain alone; otherwise the domains without a port, less the long
 * forms of a name also listed short (`x.svc.cluster.local` when `x` is
 * there, `x.svc` when `x` is), the first two and `+ N more...`.
 */
export function describeRouteDomains(domains: readonly string[]): string {
  if (domains.length <= 1) return domains[0] ?? '';
  const withoutPort = domains.filter((d) => !d.includes(':'));
  const listed = new Set(withoutPort);
  const shown = withoutPort.filter((d) => !shorter(d, '.svc.cluster.local', listed) && !shorter(d, '.svc', listed));
  return shown.length > 2 ? `${shown.slice(0, 2).join(', ')} + ${shown.length - 2} more...` : shown.join(', ');
}

function shorter(domain: string, suffix: string, listed: ReadonlySet<string>): boolean {
  return domain.endsWith(suffix) && listed.has(domain.slice(0, -suffix.length));
}
