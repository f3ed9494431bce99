/**
 * The lines of `after` (1-based) that are not in a longest common
 * subsequence of lines with `before`: what a diff marks as added or changed.
 * Documents are a few dozen lines, so the quadratic table is small.
 */
export function changedLines(before: string, after: string): number[] {
  const a = lines(before);
  const b = lines(after);
  const n = a.length;
  const m = b.length;
  // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const common = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = common[i] as Uint16Array;
    const below = common[i + 1] as Uint16Array;
    for (let j = m - 1; j >= 0; j--) row[j] = a[i] === b[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
  }
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (j < m) {
    if (i < n && a[i] === b[j]) {
      i += 1;
      j += 1;
    } else if (i < n && (common[i + 1] as Uint16Array)[j] === (common[i] as Uint16Array)[j]) i += 1;
    else {
      out.push(j + 1);
      j += 1;
    }
  }
  return out;
}

function lines(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\n$/, '').split('\n');
}
