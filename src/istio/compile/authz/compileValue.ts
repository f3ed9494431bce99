import { type AuthzValueXds, parseIpv4 } from '../../../model/index.ts';

/** How a field's values are read: Istio's string forms, or the exact-only forms (ports, IP blocks, service accounts). */
export type ValueSyntax = 'string' | 'host' | 'path' | 'port' | 'ip' | 'serviceAccount';

/** A value that does not parse, with what was expected (for the diagnostic). */
export interface InvalidValue {
  invalid: string;
}

/**
 * One policy value in its compiled form (§7): exact, prefix `abc*`, suffix
 * `*abc`, presence `*` for string fields (Istio checks a leading `*` before a
 * trailing one); a single address or CIDR block for IPs; a number for ports;
 * `ns/sa` or `sa` (in the policy's namespace) for service accounts.
 */
export function compileValue(text: string, syntax: ValueSyntax, policyNamespace: string): AuthzValueXds | InvalidValue {
  switch (syntax) {
    case 'string':
      return stringValue(text, text);
    case 'host':
      // Istio matches hosts ignoring case; values are lower-cased once, here.
      return stringValue(text, text.toLowerCase());
    case 'path':
      return text.includes('{*}') || text.includes('{**}')
        ? { kind: 'template', segments: text.split('/'), text }
        : stringValue(text, text);
    case 'port':
      return portValue(text);
    case 'ip':
      return ipValue(text);
    case 'serviceAccount':
      return serviceAccountValue(text, policyNamespace);
    default:
      return assertNever(syntax);
  }
}

function stringValue(text: string, value: string): AuthzValueXds {
  if (value === '*') return { kind: 'presence', text };
  if (value.startsWith('*')) return { kind: 'suffix', value: value.slice(1), text };
  if (value.endsWith('*')) return { kind: 'prefix', value: value.slice(0, -1), text };
  return { kind: 'exact', value, text };
}

function portValue(text: string): AuthzValueXds | InvalidValue {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  return port <= 65_535 ? { kind: 'port', port, text } : { invalid: 'a port number (0–65535)' };
}

function ipValue(text: string): AuthzValueXds | InvalidValue {
  const invalid = { invalid: 'an IPv4 address or CIDR block (meshviz models IPv4 only)' };
  const [address, bits, ...rest] = text.split('/');
  const parsed = parseIpv4(address ?? '');
  if (parsed === undefined || rest.length > 0) return invalid;
  if (bits === undefined) return { kind: 'cidr', address: parsed, bits: 32, text };
  const prefix = /^\d{1,2}$/.test(bits) ? Number(bits) : Number.NaN;
  return prefix <= 32 ? { kind: 'cidr', address: parsed, bits: prefix, text } : invalid;
}

function serviceAccountValue(text: string, policyNamespace: string): AuthzValueXds | InvalidValue {
  const slash = text.indexOf('/');
  const namespace = slash >= 0 ? text.slice(0, slash) : policyNamespace;
  const name = slash >= 0 ? text.slice(slash + 1) : text;
  if (namespace === '' || name === '' || name.includes('/')) return { invalid: 'a service account, written name or namespace/name' };
  return { kind: 'serviceAccount', namespace, name, text };
}

/** Whether a compile result is a usable value. */
export function isInvalid(result: AuthzValueXds | InvalidValue): result is InvalidValue {
  return 'invalid' in result;
}

function assertNever(value: never): never {
  throw new Error(`unexpected value syntax ${JSON.stringify(value)}`);
}
