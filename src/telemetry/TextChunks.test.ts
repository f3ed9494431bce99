import { describe, expect, it } from 'vitest';
import { TextChunks } from './TextChunks.ts';

describe('TextChunks', () => {
  it('hands whole lines over in order, in chunks of at least 64 Ki characters, and the rest on flush', () => {
    const handed: string[] = [];
    const chunks = new TextChunks((text) => handed.push(text));
    const lines = Array.from({ length: 2000 }, (_, i) => `${'x'.repeat(i % 97)} line ${i}\n`);
    for (const line of lines) chunks.add(line);
    expect(handed.length).toBeGreaterThan(0);
    for (const chunk of handed) {
      expect(chunk.length).toBeGreaterThanOrEqual(64 * 1024);
      expect(chunk.endsWith('\n')).toBe(true);
    }
    const before = handed.length;
    chunks.flush();
    expect(handed.length).toBe(before + 1);
    chunks.flush();
    expect(handed.length).toBe(before + 1);
    expect(handed.join('')).toBe(lines.join(''));
  });
});
