/**
 * The known name a typo most likely meant: the single candidate within edit
 * distance 2 that is nearest. Ties and far misses suggest nothing, because a
 * wrong "did you mean" costs more than none.
 */
export function suggest(typo: string, candidates: readonly string[]): string | undefined {
  const farthest = 2;
  let best: string | undefined;
  let bestDistance = farthest + 1;
  let tie = false;
  for (const candidate of candidates) {
    const distance = editDistance(typo.toLowerCase(), candidate.toLowerCase(), farthest + 1);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance && best !== undefined) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[b.length] as number, limit);
}
