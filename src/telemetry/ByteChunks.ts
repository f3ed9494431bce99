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
    const buf = this.buf;
    const pos = this.pos;
    // A short part is copied faster by hand than by a call into `set`.
    if (n < 24) for (let i = 0; i < n; i++) buf[pos + i] = bytes[i] as number;
    else buf.set(bytes, pos);
    this.pos = pos + n;
  }

  /** A non-negative integer in decimal. */
  int(n: number): void {
    let digits = 1;
    for (let p = 10; p <= n; p *= 10) digits++;
    if (this.pos + digits > this.buf.length) this.makeRoom(digits);
    const buf = this.buf;
    let pos = (this.pos += digits);
    do {
      const q = Math.floor(n / 10);
      buf[--pos] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
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

/** Bytes gathered before they are handed over: a chunk stays in the CPU's caches and within the file sink's buffer. */
const CHUNK = 64 * 1024;

const encoder = new TextEncoder();

/** `text` as UTF-8, for a part made once and put many times. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * A byte sink for a consumer of text: each chunk decoded as it comes (a
 * chunk holds whole lines, so no character is cut).
 */
export function textSinkAsBytes(write: (text: string) => void): ByteSink {
  const decoder = new TextDecoder();
  return (bytes) => write(decoder.decode(bytes));
}
