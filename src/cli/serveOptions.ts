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
