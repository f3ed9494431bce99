/** Memo tables keyed by strings a scenario holds stop growing here (a run with endless distinct values makes them each time). */
export const MEMO_LIMIT = 4096;

/** Strings as JSON text (`JSON.stringify`), remembered for the strings a run repeats (methods, paths, routes, headers). */
export class JsonStrings {
  private readonly memo = new Map<string, string>();

  of(s: string): string {
    let text = this.memo.get(s);
    if (text === undefined) {
      text = JSON.stringify(s);
      if (this.memo.size < MEMO_LIMIT) this.memo.set(s, text);
    }
    return text;
  }
}

/** `map`'s map under `key`, made on first use (and kept while `map` is under `MEMO_LIMIT`). */
export function memoOf<K, V>(map: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let found = map.get(key);
  if (!found) {
    found = new Map();
    if (map.size < MEMO_LIMIT) map.set(key, found);
  }
  return found;
}
