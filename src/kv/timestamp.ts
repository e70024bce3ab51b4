// Formats ms since the epoch as RFC 3339 in UTC with the fraction's trailing zeros trimmed,
// as Go's time.RFC3339Nano does: `2024-01-01T00:00:00Z`, `2024-05-01T10:00:00.5Z`.
export function formatTimestamp(ms: number): string {
  // toISOString always ends in `.sssZ`; every read formats a few of these, so no regex.
  const iso = new Date(ms).toISOString();
  let end = iso.length - 1;
  while (iso[end - 1] === '0') end -= 1;
  if (iso[end - 1] === '.') end -= 1;
  return `${iso.slice(0, end)}Z`;
}

// Vault's rendering of an optional time: the empty string when unset.
export function formatOptionalTimestamp(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '' : formatTimestamp(ms);
}
