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
});
