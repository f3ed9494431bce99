/**
 * Kubernetes builds generated names from a "safe" alphabet: lowercase
 * consonants and digits, no vowels and no look-alikes, so that names never
 * spell words. meshviz draws from the same alphabet, but from a hash of
 * the input instead of a random source, so names are the same on every load.
 */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A 53-bit hash of a string: two FNV-1a variants with different seeds, combined. */
export function stableHash(text: string): number {
  let high = 0x811c9dc5;
  let low = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    high = Math.imul(high ^ unit, 0x01000193);
    low = Math.imul(low ^ unit, 0x5bd1e995);
    low ^= low >>> 15;
  }
  high ^= high >>> 13;
  return (high >>> 0) % 0x200000 * 0x1_0000_0000 + (low >>> 0);
}

/** `length` characters of the safe alphabet derived from `text`. */
export function stableName(text: string, length: number): string {
  let value = stableHash(text);
  let result = '';
  for (let i = 0; i < length; i++) {
    result += SAFE_ALPHABET[value % SAFE_ALPHABET.length];
    value = Math.floor(value / SAFE_ALPHABET.length);
    // 53 bits hold about 11 characters; take more from a second round of hashing.
    if (value === 0) value = stableHash(`${text}/${i}`);
  }
  return result;
}
