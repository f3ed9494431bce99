import { describe, expect, it } from 'vitest';
import { colorsFor, wantsColor } from './color.ts';

const tty = { isTTY: true, hasColors: () => true };
const dumb = { isTTY: true, hasColors: () => false };
const pipe = { isTTY: false };

describe('wantsColor', () => {
  it('colours a terminal that shows colour, never a pipe', () => {
    expect(wantsColor(tty, {})).toBe(true);
    expect(wantsColor(dumb, {})).toBe(false);
    expect(wantsColor(pipe, {})).toBe(false);
  });

  it('NO_COLOR (non-empty) turns it off; FORCE_COLOR forces it, even into a pipe, unless 0 or false', () => {
    expect(wantsColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '' })).toBe(true);
    expect(wantsColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor(pipe, { FORCE_COLOR: '3' })).toBe(true);
    expect(wantsColor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColor(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(wantsColor(pipe, { FORCE_COLOR: '' })).toBe(false);
    expect(wantsColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
  });

  it('gives styles that are the identity when colour is off', () => {
    expect(colorsFor(pipe, {}).red('x')).toBe('x');
    expect(colorsFor(pipe, { FORCE_COLOR: '1' }).red('x')).toBe('\x1b[31mx\x1b[39m');
  });
});
