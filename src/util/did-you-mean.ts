// "Did you mean …?" for unknown keys, providers and option values: the closest known word by edit
// distance (optimal string alignment: a swap of two neighbours counts as one edit), case-insensitive.

/** Edits (insert, delete, substitute, swap neighbours) turning a into b. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known word closest to `word`, if it is close enough to be a typo of it (about a third of its letters). */
export function closest(word: string, known: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  if (w.length > 100) return undefined;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(w.length / 3)) + 1;
  for (const k of known) {
    const dist = editDistance(w, k.toLowerCase());
    if (dist < bestDistance && dist < k.length) { best = k; bestDistance = dist; }
  }
  return best;
}

/** "unknown key 'alert' — did you mean 'alerts'?" or "unknown key 'x' (known: a, b, c)". */
export function unknownMessage(what: string, word: string, known: readonly string[]): string {
  const guess = closest(word, known);
  if (!guess && !known.length) return `unknown ${what} '${word}'`;
  return guess ? `unknown ${what} '${word}' — did you mean '${guess}'?` : `unknown ${what} '${word}' (known: ${known.join(', ')})`;
}
