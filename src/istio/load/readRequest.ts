import type { FieldReader } from './FieldReader.ts';

/** The HTTP request a call or a traffic entry makes. */
export interface RequestFields {
  path: string;
  method: string;
  headers: Record<string, string>;
}

/** Reads `path` (default `/`), `method` (default `GET`) and `headers` (default none). */
export function readRequest(reader: FieldReader): RequestFields {
  let path = reader.string('path') ?? '/';
  if (!path.startsWith('/')) {
    reader.invalid('path', `path must start with "/", not ${JSON.stringify(path)}`);
    path = '/';
  }
  let method = reader.string('method') ?? 'GET';
  if (!/^[A-Za-z]+$/.test(method)) {
    reader.invalid('method', `method must be an HTTP method such as GET, not ${JSON.stringify(method)}`);
    method = 'GET';
  }
  const headers = reader.stringMap('headers') ?? (Object.create(null) as Record<string, string>);
  return { path, method, headers };
}
