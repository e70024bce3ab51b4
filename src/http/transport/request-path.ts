// Checks a request path before the API handler sees it. Vault (Go) rejects malformed
// percent-escapes with 400; a path that decodes to invalid UTF-8 or that carries a `..`
// segment cannot name anything in Vault's API, so we refuse it here with 400 as well instead
// of letting a router or a storage key ever see it. (Go's ServeMux would answer `..` with a
// redirect to the cleaned path; an API client gains nothing from that, so we say why.)

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Why `path` (percent-encoded, as sent) is not acceptable, or undefined when it is fine.
export function checkRequestPath(path: string): string | undefined {
  // The common case, ASCII without escapes, decodes to itself.
  if (plainAscii.test(path)) return checkSegments(path);
  const bytes: number[] = [];
  for (let i = 0; i < path.length; i++) {
    const char = path.charCodeAt(i);
    if (char !== 0x25) {
      bytes.push(char);
      continue;
    }
    const hex = path.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) return `invalid URL escape "${path.slice(i, i + 3)}"`;
    bytes.push(Number.parseInt(hex, 16));
    i += 2;
  }
  let decoded: string;
  try {
    decoded = utf8.decode(Uint8Array.from(bytes));
  } catch {
    return 'invalid request path: not valid UTF-8';
  }
  return checkSegments(decoded);
}

// ASCII without `%`.
const plainAscii = /^[\x00-\x24\x26-\x7f]*$/;
// A whole `..` segment anywhere in a path.
const dotDotSegment = /(?:^|\/)\.\.(?:\/|$)/;

// Checked after decoding so that `%2e%2e` and `%2F..%2F` are caught too.
function checkSegments(decoded: string): string | undefined {
  return dotDotSegment.test(decoded) ? `invalid request path: ".." segments are not allowed` : undefined;
}
