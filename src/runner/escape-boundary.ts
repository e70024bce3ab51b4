// Terminal escape sequences in masked output. A colour code is `ESC [ params final`: its
// parameter bytes (digits, `;`, `:` and `<=>?`, then intermediates 0x20-0x2F) and its final
// byte (`m`, `K`, `H`, ...) are ordinary characters, so a value that starts with `m` or a digit
// can match beginning inside a code the command printed right before it (`ESC[31m` then
// `ysecret` holds `mysecret`). Replacing from there would cut the code (`ESC[31<concealed…`),
// which a terminal reads as another sequence and a CI log shows as garbage. So a replacement
// starts after the code instead, keeping the code's bytes and concealing the rest of the match.
// Multi-byte UTF-8 needs no such care: a value's bytes are whole characters, and in UTF-8 no
// character's bytes begin inside another character, so a match never splits one.

const escape = 0x1b;
const csiOpen = 0x5b; // '['

// Parameter and intermediate bytes of a control sequence (0x20-0x3F).
function isParameterByte(byte: number): boolean {
  return byte >= 0x20 && byte <= 0x3f;
}

// The final byte of a control sequence (0x40-0x7E).
function isFinalByte(byte: number): boolean {
  return byte >= 0x40 && byte <= 0x7e;
}

// How far back a control sequence's start is looked for: colour codes are a few bytes
// (`ESC[38;2;255;255;255m` is 19), and a longer run of parameter bytes is not a code.
export const maxEscapeLookBehind = 32;

// Where a replacement starting at `at` in `bytes` should start so that it does not cut an
// escape sequence: `at` itself when no sequence is open there, else the index just after the
// sequence (at or past the match's end when the match lies wholly inside a code's parameters:
// then nothing is replaced). `before` holds the bytes that came before `bytes` (at most
// maxEscapeLookBehind of them), for a code cut by a chunk boundary. Pure.
export function replacementStart(before: Uint8Array, bytes: Uint8Array, at: number): number {
  const byteAt = (index: number): number => (index >= 0 ? (bytes[index] ?? -1) : (before[before.length + index] ?? -1));
  let back = at - 1;
  while (at - back <= maxEscapeLookBehind && isParameterByte(byteAt(back))) back -= 1;
  const opened = byteAt(back) === escape ? back : byteAt(back) === csiOpen && byteAt(back - 1) === escape ? back - 1 : undefined;
  if (opened === undefined) return at;
  const end = endOfEscape(byteAt, opened);
  return end > at ? end : at;
}

// The index after the escape sequence whose ESC is at `start`: a control sequence `ESC [
// params final`, `ESC intermediates final` (character sets, `ESC ( B`), or two bytes `ESC X`
// (`ESC 7`, and `ESC ]`, whose text up to its terminator is text like any other).
function endOfEscape(byteAt: (index: number) => number, start: number): number {
  const first = byteAt(start + 1);
  if (first === csiOpen) {
    let index = start + 2;
    while (isParameterByte(byteAt(index))) index += 1;
    return isFinalByte(byteAt(index)) ? index + 1 : index;
  }
  if (first >= 0x20 && first <= 0x2f) {
    let index = start + 1;
    while (byteAt(index) >= 0x20 && byteAt(index) <= 0x2f) index += 1;
    return byteAt(index) >= 0x30 && byteAt(index) <= 0x7e ? index + 1 : index;
  }
  return start + 2;
}
