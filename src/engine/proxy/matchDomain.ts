/**
 * Envoy's choice of virtual host by the request's host when no domain equals
 * it (Envoy API `config.route.v3.VirtualHost.domains`: "Domain search order:
 * exact domain names, suffix domain wildcards (`*.foo.com`, `*-bar.foo.com`),
 * prefix domain wildcards (`foo.*`, `foo-*`), the special wildcard `*`
 * matching any domain"; within a kind the longest wildcard wins). `host` is
 * lower case without a port; `domains` are wildcard domains. Undefined: no
 * virtual host takes the request (Envoy answers 404, flag NR).
 */
export function matchDomain(host: string, domains: readonly string[]): string | undefined {
  let suffix: string | undefined;
  let prefix: string | undefined;
  let any = false;
  for (const domain of domains) {
    if (domain === '*') {
      any = true;
    } else if (domain.startsWith('*')) {
      const rest = domain.slice(1);
      if (host.length > rest.length && host.endsWith(rest) && (suffix === undefined || domain.length > suffix.length)) suffix = domain;
    } else if (domain.endsWith('*')) {
      const rest = domain.slice(0, -1);
      if (host.length > rest.length && host.startsWith(rest) && (prefix === undefined || domain.length > prefix.length)) prefix = domain;
    }
  }
  return suffix ?? prefix ?? (any ? '*' : undefined);
}
