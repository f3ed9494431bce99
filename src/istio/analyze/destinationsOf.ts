import type { Destination, VirtualService } from '../../model/index.ts';

/** One place a VirtualService sends traffic, with the field path of its `destination`. */
export interface RoutedDestination {
  destination: Destination;
  /** `spec.http[0].route[1].destination`, `spec.http[0].mirror`, `spec.http[0].mirrors[0].destination`, `spec.tls[0].route[0].destination`. */
  path: string;
  what: 'route destination' | 'mirror';
}

/**
 * Every destination of a VirtualService: its `http` routes and mirrors, then
 * its `tls` and `tcp` routes, in document order within each section (the
 * sections istioctl's analyzers read, Istio src
 * `pkg/config/analysis/analyzers/virtualservice/util.go` `getRouteDestinations`,
 * `getHTTPMirrorDestinations`).
 */
export function destinationsOf(vs: VirtualService): RoutedDestination[] {
  const http = (vs.spec.http ?? []).flatMap((rule, ruleIndex) => {
    const at = `spec.http[${ruleIndex}]`;
    const found: RoutedDestination[] = routes(at, rule.route);
    if (rule.mirror) found.push({ destination: rule.mirror, path: `${at}.mirror`, what: 'mirror' });
    (rule.mirrors ?? []).forEach((m, k) => found.push({ destination: m.destination, path: `${at}.mirrors[${k}].destination`, what: 'mirror' }));
    return found;
  });
  const l4 = (['tls', 'tcp'] as const).flatMap((section) => (vs.spec[section] ?? []).flatMap((rule, ruleIndex) => routes(`spec.${section}[${ruleIndex}]`, rule.route)));
  return [...http, ...l4];
}

function routes(at: string, route: ReadonlyArray<{ destination: Destination }> | undefined): RoutedDestination[] {
  return (route ?? []).map((d, j) => ({ destination: d.destination, path: `${at}.route[${j}].destination`, what: 'route destination' as const }));
}

/** `app=reviews,version=v2`, as kubectl prints a selector. */
export function labelText(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length === 0 ? 'no labels' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** `A`, `A and B`, `A, B and C`. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) as string}`;
}
