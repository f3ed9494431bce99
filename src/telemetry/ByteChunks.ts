/** Where a stream of bytes goes; `bytes` is only valid during the call (the sink copies what it keeps). Called with whole lines, in order. */
export type ByteSink = (bytes: Uint8Array) => void;

/**
 * Lines written straight into one buffer as UTF-8, handed to the sink a
 * chunk of whole lines at a time: a line is put together from parts encoded
 * once (`put`) and numbers written digit by digit (`int`), so nothing is
 * built per line but the bytes themselves. `endLine` marks where a line
 * ends; `flush` hands over the rest (the run ended).
 */
export class ByteChunks {
  private buf = new Uint8Array(CHUNK);
  private pos = 0;
  /** Where the line being written starts: the bytes before it are whole lines. */
  private lineStart = 0;

  constructor(private readonly sink: ByteSink) {}

  put(bytes: Uint8Array): void {
    const n = bytes.length;
    if (this.pos + n > this.buf.length) this.makeRoom(n);
    this.pos = copyInto(this.buf, this.pos, bytes);
  }

  /** A non-negative integer in decimal. */
  int(n: number): void {
    if (this.pos + INT_BYTES > this.buf.length) this.makeRoom(INT_BYTES);
    this.pos = intInto(this.buf, this.pos, n);
  }

  /**
   * The buffer, with room for `n` more bytes from `at`: for a line written
   * whole by its caller (`copyInto`, `intInto`, one check for room instead
   * of one per part), which then ends it with `endLineAt`.
   */
  room(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) this.makeRoom(n);
    return this.buf;
  }

  /** Where the next byte goes in `room`'s buffer. */
  get at(): number {
    return this.pos;
  }

  /** The line written into `room`'s buffer ends before `pos`. */
  endLineAt(pos: number): void {
    this.pos = this.lineStart = pos;
  }

  /** `text`'s characters `from` to `to`, which the caller knows are ASCII (one byte each). */
  ascii(text: string, from: number, to: number): void {
    const n = to - from;
    if (this.pos + n > this.buf.length) this.makeRoom(n);
    const buf = this.buf;
    const pos = this.pos - from;
    for (let i = from; i < to; i++) buf[pos + i] = text.charCodeAt(i);
    this.pos += n;
  }

  byte(code: number): void {
    if (this.pos + 1 > this.buf.length) this.makeRoom(1);
    this.buf[this.pos++] = code;
  }

  endLine(): void {
    this.lineStart = this.pos;
  }

  flush(): void {
    if (this.lineStart === 0) return;
    this.handOver();
  }

  /** Hands over the whole lines and moves the line being written to the front; a line longer than the buffer gets a larger one. */
  private makeRoom(n: number): void {
    if (this.lineStart > 0) this.handOver();
    const needed = this.pos + n;
    if (needed > this.buf.length) {
      const larger = new Uint8Array(Math.max(needed, 2 * this.buf.length));
      larger.set(this.buf.subarray(0, this.pos));
      this.buf = larger;
    }
  }

  private handOver(): void {
    const whole = this.lineStart;
    this.sink(this.buf.subarray(0, whole));
    this.buf.copyWithin(0, whole, this.pos);
    this.pos -= whole;
    this.lineStart = 0;
  }
}

/** Writes `bytes` into `buf` from `pos` (the caller made room); returns where they end. */
export function copyInto(buf: Uint8Array, pos: number, bytes: Uint8Array): number {
  const n = bytes.length;
  // A part of a few bytes is copied faster by hand than by a call into `set`; from about 8 bytes on, `set` is (counted in instructions).
  if (n < 8) for (let i = 0; i < n; i++) buf[pos + i] = bytes[i] as number;
  else buf.set(bytes, pos);
  return pos + n;
}

/** The most bytes `intInto` writes: an integer up to 2^53 has 16 digits. */
export const INT_BYTES = 16;

/** Writes the non-negative integer `n` in decimal into `buf` from `pos` (the caller made room for `INT_BYTES`); returns where it ends. */
export function intInto(buf: Uint8Array, pos: number, n: number): number {
  let digits = 1;
  for (let p = 10; p <= n; p *= 10) digits++;
  let at = pos + digits;
  do {
    const q = Math.floor(n / 10);
    buf[--at] = 48 + (n - q * 10);
    n = q;
  } while (n > 0);
  return pos + digits;
}

/** Bytes gathered before they are handed over: a chunk stays in the CPU's caches and within the file sink's buffer. */
const CHUNK = 64 * 1024;

/**
 * `text` as UTF-8, for a part made once and put many times. Written out
 * here because this layer runs in the browser and in Node alike and takes
 * neither's types (`TextEncoder` is not in the language).
 */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    // A lone surrogate is written as U+FFFD, as an encoder of well-formed text does.
    if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

/**
 * A byte sink for a consumer of text: each chunk decoded as it comes (a
 * chunk holds whole lines, so no character is cut). The bytes are
 * `utf8`'s, so well formed.
 */
export function textSinkAsBytes(write: (text: string) => void): ByteSink {
  return (bytes) => write(textOf(bytes));
}

function textOf(bytes: Uint8Array): string {
  const codes: number[] = [];
  let text = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    let c: number;
    if (b < 0x80) c = b;
    else if (b < 0xe0) c = ((b & 0x1f) << 6) | ((bytes[i + 1] as number) & 0x3f);
    else if (b < 0xf0) c = ((b & 0x0f) << 12) | (((bytes[i + 1] as number) & 0x3f) << 6) | ((bytes[i + 2] as number) & 0x3f);
    else c = ((b & 0x07) << 18) | (((bytes[i + 1] as number) & 0x3f) << 12) | (((bytes[i + 2] as number) & 0x3f) << 6) | ((bytes[i + 3] as number) & 0x3f);
    i += b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    if (c >= 0x10000) codes.push(0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff));
    else codes.push(c);
    // Strings made a piece at a time: `fromCharCode` takes its arguments on the stack.
    if (codes.length >= 8192) text += String.fromCharCode(...codes.splice(0));
  }
  return text + String.fromCharCode(...codes);
}
