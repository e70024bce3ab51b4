// The `.gitattributes` line that hands a store to secretrun's merge and diff drivers, kept in
// the `.gitattributes` beside the store (as the `-text` line of a new store is), anchored to
// that directory:
//
//   /store.json -text merge=secretrun diff=secretrun
//
// `-text` keeps git from converting line endings (the MAC covers the bytes); `merge=secretrun`
// and `diff=secretrun` name the drivers `git config` defines (git-config.ts). The line is
// committed, so every clone routes the store to the drivers; each clone defines them once with
// `secretrun git setup` (git never runs commands named by a repository's own files). Pure.

export const driverName = 'secretrun';
const wanted = ['-text', `merge=${driverName}`, `diff=${driverName}`] as const;

// The attribute line for a store file named `fileName` in the directory of the .gitattributes;
// undefined for a name git would read as a pattern or split (a space, `*`, `[`, `#`, `!`...):
// such a store needs its line written by hand.
export function renderStoreAttributes(fileName: string): string | undefined {
  return plainName.test(fileName) ? `/${fileName} ${wanted.join(' ')}` : undefined;
}

const plainName = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

// Does this line give the store all three attributes? (A later line may still override one:
// `git setup` asks git itself afterwards, with `git check-attr`.)
function hasAll(line: string, fileName: string): boolean {
  const [pattern, ...attributes] = line.trim().split(/\s+/);
  if (pattern !== `/${fileName}` && pattern !== fileName) return false;
  return wanted.every((attribute) => attributes.includes(attribute));
}

// The .gitattributes text with the store's line added, or undefined when a line already gives
// all three (or the name has no line: see renderStoreAttributes). Existing lines are kept as they are; the new line goes last, where it overrides
// earlier lines for the same file (git's rule for lines of one file).
export function addStoreAttributes(existing: string, fileName: string): string | undefined {
  const line = renderStoreAttributes(fileName);
  if (line === undefined || existing.split('\n').some((old) => hasAll(old, fileName))) return undefined;
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return `${existing}${separator}${line}\n`;
}
