/** Splits `host[:port][/path]` as typed on a command line or in a form. */
export function parseTarget(text: string): { host: string; port?: number; path: string } | undefined {
  const match = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?(\/.*)?$/.exec(text.trim());
  if (!match) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { host: match[1] as string, port, path: match[3] ?? '/' };
}
