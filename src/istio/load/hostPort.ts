import type { FieldReader } from './FieldReader.ts';

const HOST_PORT = /^([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?\.?)(?::(\d{1,5}))?$/;

/** A `host[:port]` as a Simulation writes it (`users:8080`, `users.shop.svc.cluster.local`). */
export interface HostPort {
  host: string;
  port?: number;
}

/** Splits `host[:port]`; `undefined` when the text is not of that form or the port is out of range. */
export function parseHostPort(text: string): HostPort | undefined {
  const match = HOST_PORT.exec(text.trim());
  if (!match) return undefined;
  const host = match[1] as string;
  if (match[3] === undefined) return { host };
  const port = Number(match[3]);
  return port >= 1 && port <= 65535 ? { host, port } : undefined;
}

/** Reads a required `host[:port]` field, reporting it when missing or malformed. */
export function readHostPort(reader: FieldReader, key: string): HostPort | undefined {
  if (!reader.require(key)) return undefined;
  const text = reader.string(key);
  if (text === undefined) return undefined;
  const parsed = parseHostPort(text);
  if (!parsed) reader.reporter.report('InvalidHostPort', reader.pathOf(key), { text });
  return parsed;
}

/** `{ port }` when there is one: optional fields stay absent rather than `undefined`. */
export function portOf(port: number | undefined): { port?: number } {
  return port === undefined ? {} : { port };
}
