import type { MeshEvent } from '../model/index.ts';

/**
 * A running fingerprint of an event stream: two independent 32-bit
 * multiplicative hashes over each event written as canonical JSON (keys
 * sorted, so the order in which the engine happens to build an event's
 * properties does not matter, only its content and the order of events).
 * Pure arithmetic on strings: the same stream gives the same digest in Node
 * and in the browser.
 */
export class StreamDigest {
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193;
  count = 0;

  readonly add = (event: MeshEvent): void => {
    this.addText(canonicalJson(event));
    this.count += 1;
  };

  addText(text: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 0x01000193);
      h2 = Math.imul(h2 ^ ch, 0x5bd1e995) ^ (h2 >>> 15);
    }
    // An event boundary, so ["ab","c"] and ["a","bc"] differ.
    this.h1 = Math.imul(h1 ^ 0x0a, 0x01000193);
    this.h2 = Math.imul(h2 ^ 0x0a, 0x5bd1e995) ^ (h2 >>> 15);
  }

  /** 16 hex digits, with the event count: `3f0c…/1234`. */
  hex(): string {
    const part = (h: number) => (h >>> 0).toString(16).padStart(8, '0');
    return `${part(this.h1)}${part(this.h2)}/${this.count}`;
  }
}

/** JSON with object keys sorted at every level; `undefined` members are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}
