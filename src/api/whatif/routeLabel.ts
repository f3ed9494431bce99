import type { MeshXds, RouteXds, StringMatcherXds } from '../../model/index.ts';

/**
 * A route's match as a reviewer reads it, and the rule it belongs to:
 * `GET /reviews/* end-user=jason (VirtualService/default/reviews http[0])`,
 * `*` for a rule without a match, `default` for the route Istio makes when
 * no VirtualService applies. Keyed by virtual host and route name, from the
 * compiled config of every sidecar.
 */
export function routeLabels(xds: MeshXds): Map<string, string> {
  const labels = new Map<string, string>();
  for (const proxy of Object.values(xds.proxies)) {
    for (const vh of Object.values(proxy.virtualHosts)) {
      for (const route of vh.routes) {
        const key = `${vh.name}|${route.name}`;
        if (!labels.has(key)) labels.set(key, routeLabel(route));
      }
    }
  }
  return labels;
}

export function routeLabel(route: RouteXds): string {
  const origin = route.origin;
  if (origin.kind === 'default') return 'default';
  if (origin.kind === 'outboundTrafficPolicy') return `outboundTrafficPolicy ${origin.mode}`;
  if (origin.kind === 'gatewayServer') return `https redirect (${origin.resource} ${origin.path})`;
  if (origin.kind === 'l4Route') return `TCP proxy (${origin.resource} ${origin.section}[${origin.ruleIndex}])`;
  // An HTTPRoute (Linkerd) numbers its `rules`; a VirtualService its `http` rules, which may have a name.
  const field = origin.kind === 'httpRoute' ? `rules[${origin.ruleIndex}]` : `http[${origin.ruleIndex}]`;
  const name = origin.kind === 'virtualService' && origin.ruleName ? ` "${origin.ruleName}"` : '';
  const rule = `${origin.resource} ${field}${name}`;
  return `${matchText(route)} (${rule})`;
}

function matchText(route: RouteXds): string {
  const { path, headers, queryParams } = route.match;
  const method = headers.find((h) => h.name === ':method' && !h.invert);
  const words = [
    ...(method ? [matcherText(method.matcher, '')] : []),
    ...(path ? [matcherText(path, '*')] : []),
    ...headers.filter((h) => h !== method).map((h) => `${h.name}${h.invert ? '!' : ''}${matcherText(h.matcher, '*', '=')}`),
    ...queryParams.map((q) => `?${q.name}${matcherText(q.matcher, '*', '=')}`),
  ];
  return words.length > 0 ? words.join(' ') : '*';
}

function matcherText(m: StringMatcherXds, star: string, prefix = ''): string {
  const value = m.kind === 'exact' ? m.value : m.kind === 'prefix' ? `${m.value}${star}` : `~${m.value}`;
  return `${prefix}${value}${m.ignoreCase ? ' (any case)' : ''}`;
}
