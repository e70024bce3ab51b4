// The Mann-Whitney U test, for timing tests that compare two distributions without assuming
// either is normal or asserting any absolute time: z of the rank-sum statistic by the normal
// approximation with the tie correction. |z| near 0: no sign the samples differ; |z| > 3.3
// happens by chance about once in a thousand runs when they do not.
export function mannWhitneyZ(a: readonly number[], b: readonly number[]): number {
  const all = [...a.map((value) => ({ value, group: 0 })), ...b.map((value) => ({ value, group: 1 }))].sort((x, y) => x.value - y.value);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.value === all[i]!.value) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = rank;
    const tied = j - i + 1;
    tieTerm += tied ** 3 - tied;
    i = j + 1;
  }
  const n1 = a.length;
  const n2 = b.length;
  const rankSum = all.reduce((sum, entry, index) => (entry.group === 0 ? sum + ranks[index]! : sum), 0);
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  return variance === 0 ? 0 : (u - (n1 * n2) / 2) / Math.sqrt(variance);
}
