import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteChunks, textSinkAsBytes, utf8 } from './ByteChunks.ts';

describe('ByteChunks', () => {
  it('hands whole lines over in order, each chunk at most 64 KiB, and the rest on flush', () => {
    const handed: Uint8Array[] = [];
    const chunks = new ByteChunks((bytes) => handed.push(bytes.slice()));
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const word = `${'x'.repeat(i % 97)} é line `;
      chunks.put(utf8(word));
      chunks.int(i * 7919);
      chunks.ascii('-ab-', 1, 3);
      chunks.put(utf8('\n'));
      chunks.endLine();
      lines.push(`${word}${i * 7919}ab\n`);
    }
    expect(handed.length).toBeGreaterThan(1);
    for (const chunk of handed) {
      expect(chunk.length).toBeLessThanOrEqual(64 * 1024);
      expect(chunk[chunk.length - 1]).toBe(0x0a);
    }
    const before = handed.length;
    chunks.flush();
    expect(handed.length).toBe(before + 1);
    chunks.flush();
    expect(handed.length).toBe(before + 1);
    expect(Buffer.concat(handed).toString('utf8')).toBe(lines.join(''));
  });

  it('writes integers as decimal text, 0 and beyond 2^32 included', () => {
    const out: string[] = [];
    const chunks = new ByteChunks(textSinkAsBytes((text) => out.push(text)));
    for (const n of [0, 7, 10, 99, 100, 65_535, 4_294_967_296, 2 ** 53 - 1]) {
      chunks.int(n);
      chunks.byte(0x20);
    }
    chunks.endLine();
    chunks.flush();
    expect(out).toEqual(['0 7 10 99 100 65535 4294967296 9007199254740991 ']);
  });

  it('writes every integer up to 2^53 as String() does, across the 32-bit boundary and each power of ten', () => {
    const edges = [2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32];
    for (let p = 1; p <= 1e15; p *= 10) edges.push(p - 1, p, p + 1);
    const integers = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.maxSafeInteger().map(Math.abs), fc.constantFrom(...edges));
    fc.assert(
      fc.property(fc.array(integers, { minLength: 1, maxLength: 20 }), (ns) => {
        const out: string[] = [];
        const chunks = new ByteChunks(textSinkAsBytes((text) => out.push(text)));
        for (const n of ns) {
          chunks.int(n);
          chunks.byte(0x2c);
        }
        chunks.endLine();
        chunks.flush();
        expect(out.join('')).toBe(ns.map((n) => `${String(n)},`).join(''));
      }),
    );
  });

  it('keeps a line longer than a chunk whole, and what follows it', () => {
    const handed: string[] = [];
    const chunks = new ByteChunks(textSinkAsBytes((text) => handed.push(text)));
    chunks.put(utf8('short\n'));
    chunks.endLine();
    const long = `${'ü'.repeat(50_000)}\n`;
    chunks.put(utf8(long));
    chunks.endLine();
    chunks.put(utf8('after\n'));
    chunks.endLine();
    chunks.flush();
    expect(handed[0]).toBe('short\n');
    expect(handed.every((chunk) => chunk.endsWith('\n'))).toBe(true);
    expect(handed.join('') === `short\n${long}after\n`).toBe(true);
  });

  it('hands over nothing of a line not yet ended', () => {
    const handed: string[] = [];
    const chunks = new ByteChunks(textSinkAsBytes((text) => handed.push(text)));
    chunks.put(utf8('whole\n'));
    chunks.endLine();
    chunks.put(utf8('half'));
    chunks.flush();
    expect(handed).toEqual(['whole\n']);
  });

  it("encodes and decodes UTF-8 as the platform does: one to four bytes, surrogate pairs, a lone surrogate as U+FFFD", () => {
    const samples = ['plain ascii', 'é ü ß', '→ 中文', '😀 𝄞 pairs', 'lone \ud800 high', 'lone \udc00 low', '\u007f\u0080\u07ff\u0800\uffff'];
    for (const text of samples) {
      expect(Buffer.from(utf8(text)).equals(Buffer.from(text, 'utf8')), text).toBe(true);
      const back: string[] = [];
      textSinkAsBytes((t) => back.push(t))(utf8(text));
      expect(back[0]).toBe(Buffer.from(text, 'utf8').toString('utf8'));
    }
    const long = 'ab😀'.repeat(10_000);
    const back: string[] = [];
    textSinkAsBytes((t) => back.push(t))(utf8(long));
    expect(back[0] === long).toBe(true);
  });
});
