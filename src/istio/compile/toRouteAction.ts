import {
  type HTTPDirectResponse,
  type HTTPRedirect,
  type HTTPRoute,
  type MirrorXds,
  parseDuration,
  type RouteActionXds,
  type VirtualService,
} from '../../model/index.ts';
import type { RoutingContext } from './RoutingContext.ts';
import { resolveDestination } from './resolveDestination.ts';
import { toFault } from './toFault.ts';
import { toRetryPolicy } from './toRetryPolicy.ts';
import { routeToClusters } from '../../model/index.ts';

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

/**
 * What one VirtualService http rule does (istiod `translateRoute` /
 * `applyHTTPRouteDestination`, §2.1, §2.2, §2.4–§2.6): redirect, else direct
 * response, else route to weighted clusters. Undefined when the rule has no
 * usable action (the lint reports why).
 */
export function toRouteAction(
  ctx: RoutingContext,
  vs: VirtualService,
  rule: HTTPRoute,
  listenPort: number,
): RouteActionXds | undefined {
  if (rule.redirect) return toRedirect(rule.redirect);
  if (rule.directResponse) return toDirectResponse(rule.directResponse);
  const destinations = rule.route ?? [];
  if (destinations.length === 0) return undefined;

  const namespace = vs.metadata.namespace;
  const single = destinations.length === 1;
  // One destination takes everything whatever its weight; in a split, weight-0 entries are dropped.
  const kept = single ? destinations : destinations.filter((d) => (d.weight ?? 0) > 0);
  // All weights 0: Istio refuses the resource (MV0309); there is nothing to route to.
  if (kept.length === 0) return undefined;
  const resolved = kept.map((d) => ({
    cluster: resolveDestination(ctx, namespace, d.destination, listenPort).cluster,
    weight: single ? 100 : (d.weight as number),
  }));
  const hashes = resolved.map((d) => ctx.clusterPolicies.get(d.cluster)?.loadBalancer?.consistentHash);
  // istiod only treats the route as consistent-hashed (dropping previous-hosts) for a single destination.
  const consistentHash = single && hashes[0] !== undefined;
  const hashHeader = hashes.find((hash) => hash?.httpHeaderName !== undefined)?.httpHeaderName;

  const mirrors: MirrorXds[] = [];
  const addMirror = (destination: HTTPRoute['mirror'], percent: number | undefined): void => {
    // A given percentage of 0 disables the mirror; no percentage means 100 % (§2.5).
    const effective = percent ?? 100;
    if (destination && effective > 0) {
      mirrors.push({ cluster: resolveDestination(ctx, namespace, destination, listenPort).cluster, percent: effective });
    }
  };
  if (rule.mirror) addMirror(rule.mirror, rule.mirrorPercentage ? (rule.mirrorPercentage.value ?? 0) : undefined);
  for (const mirror of rule.mirrors ?? []) {
    addMirror(mirror.destination, mirror.percentage ? (mirror.percentage.value ?? 0) : undefined);
  }

  return routeToClusters({
    clusters: resolved,
    // Istio disables Envoy's 15 s default: no `timeout` → 0 (§2.2).
    timeout: (rule.timeout === undefined ? undefined : parseDuration(rule.timeout)) ?? 0,
    retry: toRetryPolicy(rule.retries, consistentHash),
    fault: toFault(rule.fault),
    mirrors,
    hashHeader,
  });
}

/**
 * `location` holds what the rule sets: the new path, and with `authority`
 * `http://<authority><path>`. A part the rule leaves out is the request's own
 * (Envoy fills it in per request).
 */
function toRedirect(redirect: HTTPRedirect): RouteActionXds | undefined {
  const status = redirect.redirectCode ? redirect.redirectCode : 301;
  if (!REDIRECT_CODES.has(status)) return undefined;
  const path = redirect.uri ?? '';
  return { kind: 'redirect', status, location: redirect.authority ? `http://${redirect.authority}${path}` : path };
}

function toDirectResponse(response: HTTPDirectResponse): RouteActionXds {
  const body = response.body?.string ?? (response.body?.bytes ? decodeBase64(response.body.bytes) : '');
  return { kind: 'directResponse', status: response.status, body };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `body.bytes` is base64 in YAML; decoded byte by byte (Latin-1), enough for the ASCII bodies people write. */
function decodeBase64(text: string): string {
  let bits = 0;
  let buffer = 0;
  let out = '';
  for (const char of text.replace(/[^A-Za-z0-9+/]/g, '')) {
    buffer = (buffer << 6) | BASE64.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return out;
}
