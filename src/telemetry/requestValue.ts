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

/** The `:authority` the caller's app sends: the short service name it dials and the port (meshviz's callers dial `name:port`). */
export function authorityOf(r: { host: string; port: number }): string {
  let byPort = AUTHORITIES.get(r.host);
  if (!byPort) AUTHORITIES.set(r.host, (byPort = new Map()));
  let authority = byPort.get(r.port);
  if (authority === undefined) {
    const short = r.host.split('.')[0] as string;
    byPort.set(r.port, (authority = r.port === 80 ? short : `${short}:${r.port}`));
  }
  return authority;
}

/** Authorities by host and port, made once: a log line or span asks for one per request. Bounded by the services of the scenarios seen. */
const AUTHORITIES = new Map<string, Map<number, string>>();

function assertNever(x: never): never {
  throw new Error(`unexpected ${String(x)}`);
}
