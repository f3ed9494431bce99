import { type AuthzAttributeXds, type AuthzConditionXds, type AuthzValueXds, parseIpv4 } from '../../model/index.ts';

/** What the inbound sidecar knows of a request when it applies AuthorizationPolicy (§7). */
export interface AuthzRequest {
  /** Peer identity `cluster.local/ns/default/sa/web`; only when mTLS. */
  principal?: string;
  /** Peer namespace; only when mTLS. */
  namespace?: string;
  sourceIp?: string;
  method: string;
  /** May include `?query`; policies match the path without it. */
  path: string;
  /** The `:authority` as the client sent it, port included if it was. */
  host: string;
  /** Destination (container) port. */
  port: number;
  headers: Record<string, string>;
  mtls: boolean;
}

/** One condition checked: whether it held and, in plain words, what the request had. */
export interface ConditionCheck {
  holds: boolean;
  /** `method DELETE`, `no principal (plaintext)`. */
  seen: string;
  /** `requires method GET or HEAD, request has DELETE`; set when it did not hold. */
  failure?: string;
}

/**
 * One source/operation/`when` field against the request (§7): the attribute
 * matches one of the values (`negate`: none of them). An absent attribute —
 * principal, namespace or service account without mTLS, any JWT claim, a
 * missing header — matches no value, so only its `not…` form holds.
 */
export function checkCondition(condition: AuthzConditionXds, req: AuthzRequest): ConditionCheck {
  const { attribute, values, negate } = condition;
  const actual = read(attribute, req);
  const matched = actual !== undefined && values.some((v) => matchValue(v, actual, attribute));
  const holds = matched !== negate;
  const label = labelOf(attribute);
  const why = actual === undefined ? absentWhy(attribute, req) : '';
  const has = actual ?? (why ? `none: ${why}` : 'none');
  const seen = actual !== undefined ? `${label} ${actual}` : why ? `no ${label} (${why})` : `no ${label}`;
  if (holds) return { holds, seen };
  const wanted = values.map((v) => v.text).join(' or ');
  return { holds, seen, failure: `${negate ? 'excludes' : 'requires'} ${label} ${wanted}, request has ${has}` };
}

function read(attribute: AuthzAttributeXds, req: AuthzRequest): string | undefined {
  switch (attribute.kind) {
    case 'principal':
    case 'serviceAccount':
      return req.mtls ? req.principal : undefined;
    case 'namespace':
      return req.mtls ? (req.namespace ?? namespaceOf(req.principal)) : undefined;
    case 'sourceIp':
      return req.sourceIp;
    case 'host':
      return req.host;
    case 'port':
      return String(req.port);
    case 'method':
      return req.method;
    case 'path':
      return req.path.split(/[?#]/, 1)[0];
    case 'header':
      return header(req.headers, attribute.name);
    case 'jwt':
      return undefined;
    default:
      return assertNever(attribute);
  }
}

function matchValue(v: AuthzValueXds, actual: string, attribute: AuthzAttributeXds): boolean {
  const text = attribute.kind === 'host' ? actual.toLowerCase() : actual;
  switch (v.kind) {
    case 'exact':
      return text === v.value;
    case 'prefix':
      return text.startsWith(v.value);
    case 'suffix':
      return text.endsWith(v.value);
    case 'presence':
      return text !== '';
    case 'cidr': {
      const ip = parseIpv4(text);
      return ip !== undefined && masked(ip, v.bits) === masked(v.address, v.bits);
    }
    case 'port':
      return /^\d+$/.test(text) && Number(text) === v.port;
    case 'serviceAccount': {
      const parts = /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(text);
      return parts?.[1] === v.namespace && parts[2] === v.name;
    }
    case 'template':
      return matchTemplate(v.segments, text.split('/'));
    default:
      return assertNever(v);
  }
}

/** `{*}` is one non-empty segment, `{**}` the rest of the path (Istio path templates, §7). */
function matchTemplate(pattern: string[], path: string[]): boolean {
  for (let i = 0; i < pattern.length; i += 1) {
    const segment = pattern[i];
    if (segment === '{**}') return true;
    const part = path[i];
    if (part === undefined) return false;
    if (segment === '{*}' ? part === '' : segment !== part) return false;
  }
  return path.length === pattern.length;
}

// Division, not `>>>`: JavaScript shifts by 32 are shifts by 0.
function masked(ip: number, bits: number): number {
  return Math.floor(ip / 2 ** (32 - bits));
}

function namespaceOf(principal: string | undefined): string | undefined {
  return principal ? /\/ns\/([^/]+)\//.exec(principal)?.[1] : undefined;
}

function header(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function labelOf(attribute: AuthzAttributeXds): string {
  switch (attribute.kind) {
    case 'serviceAccount':
      return 'service account';
    case 'sourceIp':
      return 'source IP';
    case 'header':
      return `header ${attribute.name}`;
    case 'jwt':
      return `JWT ${attribute.key}`;
    default:
      return attribute.kind;
  }
}

function absentWhy(attribute: AuthzAttributeXds, req: AuthzRequest): string {
  const fromPeer = attribute.kind === 'principal' || attribute.kind === 'namespace' || attribute.kind === 'serviceAccount';
  if (fromPeer && !req.mtls) return 'plaintext';
  if (attribute.kind === 'jwt') return 'meshviz simulates no JWT';
  return '';
}

function assertNever(value: never): never {
  throw new Error(`unexpected authz matcher ${JSON.stringify(value)}`);
}
