import picocolors from 'picocolors';

/** The ANSI styles a formatter may use; each is the identity when colour is off. */
export type Colors = ReturnType<typeof picocolors.createColors>;

type Env = Record<string, string | undefined>;

/**
 * Whether to colour what goes to `stream`: `FORCE_COLOR` (any value but
 * empty, `0` or `false`) forces it, a non-empty `NO_COLOR` turns it off
 * (no-color.org), and otherwise only a terminal that can show colour
 * (not `TERM=dumb`) gets it — never a pipe or a file. FORCE_COLOR wins,
 * as in Node's own `hasColors()`.
 */
export function wantsColor(stream: { isTTY?: boolean; hasColors?: () => boolean }, env: Env = process.env): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return stream.isTTY === true && (stream.hasColors?.() ?? false);
}

/** The styles for `stream`, on or off as `wantsColor` decides. */
export function colorsFor(stream: { isTTY?: boolean; hasColors?: () => boolean }, env: Env = process.env): Colors {
  return picocolors.createColors(wantsColor(stream, env));
}
