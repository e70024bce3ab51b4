// Section and path headers of Vault's table output (command/kv_helpers.go getHeaderForMap,
// padEqualSigns, outputPath). Lengths are Go byte lengths, as Vault uses len().

// `=== Title ===` centred over a width of `totalLength` (at least two `=` on each side).
export function renderPaddedTitle(title: string, totalLength: number): string {
  let signs = totalLength - (Buffer.byteLength(title) + 2);
  if (signs <= 0) signs = 4;
  if (signs % 2 !== 0) signs += 1;
  const side = '='.repeat(signs / 2);
  return `${side} ${title} ${side}`;
}

// The header above a Key/Value table of `data`: sized for the longest key plus the 4-space
// glue and the width of `Value`. `====== Data ======` for data with the key `passcode`.
export function renderMapHeader(title: string, data: object): string {
  let longest = 0;
  for (const key of Object.keys(data)) longest = Math.max(longest, Buffer.byteLength(key));
  return renderPaddedTitle(title, longest + 4 + 5);
}

// Vault's outputPath: the title header sized to the path, the path, then an empty line
// (three lines, each ending in a newline). `title` is `Secret Path` or `Metadata Path`.
export function renderPathHeader(path: string, title: string): string {
  return `${renderPaddedTitle(title, Buffer.byteLength(path))}\n${path}\n\n`;
}
