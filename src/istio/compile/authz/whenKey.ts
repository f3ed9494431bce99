import type { AuthzAttributeXds } from '../../../model/index.ts';
import type { ValueSyntax } from './compileValue.ts';

/** What a `when.key` means to the simulation. */
export type WhenKey =
  | { kind: 'attribute'; attribute: AuthzAttributeXds; syntax: ValueSyntax }
  /** A key Istio accepts but whose attribute the simulation does not model. */
  | { kind: 'notSimulated' }
  /** Not a key Istio knows: istiod skips the whole rule ("unknown attribute"). */
  | { kind: 'unknown' }
  /** A header key without a name in brackets: every value fails to translate. */
  | { kind: 'malformed'; expected: string };

const EXACT: Record<string, { attribute: AuthzAttributeXds; syntax: ValueSyntax }> = {
  'source.ip': { attribute: { kind: 'sourceIp' }, syntax: 'ip' },
  // The simulation has no proxies or X-Forwarded-For in front of a sidecar: the original client is the peer.
  'remote.ip': { attribute: { kind: 'sourceIp' }, syntax: 'ip' },
  'source.namespace': { attribute: { kind: 'namespace' }, syntax: 'string' },
  'source.principal': { attribute: { kind: 'principal' }, syntax: 'string' },
  'source.serviceAccount': { attribute: { kind: 'serviceAccount' }, syntax: 'serviceAccount' },
  'destination.port': { attribute: { kind: 'port' }, syntax: 'port' },
  'request.auth.principal': { attribute: { kind: 'jwt', key: 'request.auth.principal' }, syntax: 'string' },
  'request.auth.audiences': { attribute: { kind: 'jwt', key: 'request.auth.audiences' }, syntax: 'string' },
  'request.auth.presenter': { attribute: { kind: 'jwt', key: 'request.auth.presenter' }, syntax: 'string' },
};

const NOT_SIMULATED = new Set(['destination.ip', 'connection.sni']);
const HEADER_KEYS = ['request.headers', 'request.experimental.inline.headers'];

/** Reads a `when` key the way istiod's authz model does (`pilot/pkg/security/authz/model/model.go`). */
export function parseWhenKey(key: string): WhenKey {
  const known = EXACT[key];
  if (known && Object.prototype.hasOwnProperty.call(EXACT, key)) return { kind: 'attribute', ...known };
  if (NOT_SIMULATED.has(key) || key.startsWith('experimental.envoy.filters.')) return { kind: 'notSimulated' };
  if (key.startsWith('request.auth.claims')) return { kind: 'attribute', attribute: { kind: 'jwt', key }, syntax: 'string' };
  const prefix = HEADER_KEYS.find((p) => key.startsWith(p));
  if (prefix === undefined) return { kind: 'unknown' };
  const name = /^\[([^[\]]+)\]$/.exec(key.slice(prefix.length))?.[1];
  if (name === undefined) return { kind: 'malformed', expected: `a header name in brackets, e.g. ${prefix}[x-user]` };
  return { kind: 'attribute', attribute: { kind: 'header', name: name.toLowerCase() }, syntax: 'string' };
}
