import { isIP } from 'node:net';
import { badValue } from './options.ts';

/** `--port`: an integer from 0 to 65535 (0: any free port). */
export function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port <= 65535)) throw badValue('--port', text, 'an integer from 0 to 65535, 0 for any free port');
  return port;
}

/** `--host`: an IPv4 or IPv6 address, or a host name (letters, digits, hyphens, dots). */
export function parseHost(text: string): string {
  const name = /^(?=.{1,253}$)[a-z\d]([a-z\d-]{0,61}[a-z\d])?(\.[a-z\d]([a-z\d-]{0,61}[a-z\d])?)*$/i;
  if (isIP(text) === 0 && !(name.test(text) && !/^[\d.]+$/.test(text))) throw badValue('--host', text, 'an IP address or a host name');
  return text;
}

/** `--serve-metrics HOST:PORT` (`[::1]:9090` for IPv6; port 0: any free one). */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port <= 65535)) throw badValue('--serve-metrics', text, 'HOST:PORT such as 127.0.0.1:9464 (port 0: any free port)');
  try {
    return { host: parseHost((m[1] ?? m[2]) as string), port };
  } catch {
    throw badValue('--serve-metrics', text, 'HOST:PORT with an IP address or a host name');
  }
}
