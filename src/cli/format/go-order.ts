// Go compares strings byte by byte over UTF-8, which is code point order. JavaScript's default
// sort compares UTF-16 code units, which differs for astral characters against U+E000..U+FFFF,
// so every place that mirrors a Go `sort.Strings` or a sorted Go map uses this instead.

// Orders two strings the way Go's `<` on strings does.
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

// The keys of a plain object sorted as Go sorts map keys.
export function sortedGoKeys(object: object): string[] {
  return Object.keys(object).sort(compareGoStrings);
}

// Display width as Go's fmt and columnize count it: one per code point.
export function runeCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
