/**
 * "Did you mean ...?": the closest of a few candidates to a mistyped name, by edit distance
 * (a swap of two neighbouring letters counts as one edit), ignoring case, `_` and `-`.
 * Runs only when something is already wrong, never on a load that is fine.
 */

/** What two names are compared by: `LOG_LEVEL`, `log-level` and `logLevel` are one name. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

/** Edits (insert, delete, replace, swap neighbours) from `a` to `b`; stops counting above `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (before[j - 2] as number) + 1);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * How many edits still make a name "near": none for names of 1-2 characters (only case, `_` or `-`
 * may differ), one up to 5, two up to 9, three beyond. A farther name gets no suggestion: a wrong
 * guess misleads more than none.
 */
export function nearEnough(length: number): number {
  if (length <= 2) return 0;
  if (length <= 5) return 1;
  return length <= 9 ? 2 : 3;
}

/**
 * The candidate nearest to `wanted` (compared normalized), or undefined when none is near enough.
 * Ties go to the earlier candidate.
 */
export function closest<T>(wanted: string, candidates: Iterable<T>, text: (c: T) => string): T | undefined {
  const target = normalizeName(wanted);
  let best: T | undefined;
  let bestDistance = nearEnough(target.length) + 1;
  for (const candidate of candidates) {
    const name = normalizeName(text(candidate));
    const d = editDistance(target, name, bestDistance - 1);
    if (d < bestDistance && (d < name.length || name === target)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
