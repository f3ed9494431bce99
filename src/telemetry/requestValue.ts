import type { TagValue } from '../model/index.ts';
import { UNKNOWN } from './PeerIndex.ts';

/** What a request looks like to a tag expression. */
export interface RequestFacts {
  host: string;
  port: number;
  method: string;
  path: string;
  headers: Readonly<Record<string, string>>;
}

/** A Telemetry tag value for one request (Envoy's request attributes: `request.host` is the `:authority`, `request.url_path` the path without its query). */
export function requestValue(v: TagValue, r: RequestFacts): string {
  switch (v.kind) {
    case 'literal':
      return v.value;
    case 'header':
      return r.headers[v.name] ?? UNKNOWN;
    case 'request':
      switch (v.field) {
        case 'host':
          return authorityOf(r);
        case 'method':
          return r.method;
        case 'path':
          return r.path;
        case 'url_path':
          return r.path.split('?')[0] as string;
        case 'scheme':
          return 'http';
        case 'protocol':
          return 'HTTP/1.1';
        default:
          return assertNever(v.field);
      }
    default:
      return assertNever(v);
  }
}

/** The `:authority` the caller's app sends: a Service's short name (meshviz's callers dial `name:port`) or an outside host's whole name, and the port unless it is the scheme's default (80, 443), as curl and browsers leave it out. */
export function authorityOf(r: { host: string; port: number }): string {
  let byPort = AUTHORITIES.get(r.host);
  if (!byPort) AUTHORITIES.set(r.host, (byPort = new Map()));
  let authority = byPort.get(r.port);
  if (authority === undefined) {
    // A Service is called by its short name, as the apps meshviz models dial it; a host outside the cluster by its whole name.
    const name = r.host.includes('.svc.') ? (r.host.split('.')[0] as string) : r.host;
    byPort.set(r.port, (authority = r.port === 80 || r.port === 443 ? name : `${name}:${r.port}`));
  }
  return authority;
}

/** Authorities by host and port, made once: a log line or span asks for one per request. Bounded by the services of the scenarios seen. */
const AUTHORITIES = new Map<string, Map<number, string>>();

function assertNever(x: never): never {
  throw new Error(`unexpected ${String(x)}`);
}
