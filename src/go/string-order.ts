// Go compares strings byte by byte over UTF-8, which is code point order. JavaScript's `<` and
// default sort compare UTF-16 code units, which differ for astral characters against
// U+E000..U+FFFF. Everything Vault sorts (LIST output, mounts, map keys in JSON, custom
// metadata) and the store's line order use this one order.

// Orders two strings as Go's `<` on strings does (UTF-8 byte order).
export function compareGoStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800..DFFF) encode code points above FFFF: move them above E000..FFFF.
    if (x >= 0xd800) x += x < 0xe000 ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y < 0xe000 ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

// Strings sorted in Go order (a new array).
export function sortGoStrings(strings: Iterable<string>): string[] {
  return [...strings].sort(compareGoStrings);
}

// The keys of a plain object sorted as Go sorts map keys.
export function sortedGoKeys(object: object): string[] {
  return Object.keys(object).sort(compareGoStrings);
}
