// "Did you mean": the candidates closest to a name the user typed, by edit distance. For paths,
// mount names, field names and versions — never for values. Pure.

// Levenshtein distance between two strings (insert, delete, substitute: 1 each).
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

// Up to `limit` candidates within a distance that grows with the name's length (a third of it,
// at least 2), closest first; ties keep the candidates' order.
export function nearestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const threshold = Math.max(2, Math.floor(name.length / 3));
  const scored: { candidate: string; distance: number; index: number }[] = [];
  let index = 0;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance > 0 && distance <= threshold) scored.push({ candidate, distance, index });
    index += 1;
  }
  return scored.sort((a, b) => a.distance - b.distance || a.index - b.index).slice(0, limit).map((entry) => entry.candidate);
}
