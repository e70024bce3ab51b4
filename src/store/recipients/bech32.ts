// Bech32 (BIP 173) as age uses it for its keys: the same checksum and alphabet, without
// BIP 173's 90-character limit. The checksum is a BCH code that detects any error in up to
// four characters and almost every other change, so a mistyped key is refused instead of
// silently naming someone else. Pure.

const alphabet = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: readonly number[]): number {
  let check = 1;
  for (const value of values) {
    const top = check >>> 25;
    check = ((check & 0x1ffffff) << 5) ^ value;
    for (let bit = 0; bit < 5; bit++) if ((top >>> bit) & 1) check ^= generator[bit] as number;
  }
  return check >>> 0;
}

function expandPrefix(prefix: string): number[] {
  const codes = [...prefix].map((char) => char.charCodeAt(0));
  return [...codes.map((code) => code >>> 5), 0, ...codes.map((code) => code & 31)];
}

function checksum(prefix: string, data: readonly number[]): number[] {
  const mod = polymod([...expandPrefix(prefix), ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  return Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
}

// Regroups bits (8 → 5 to encode, 5 → 8 to decode); undefined when the padding is not zero
// or too long, which a canonical encoding never has.
function regroup(values: Iterable<number>, from: number, to: number, pad: boolean): number[] | undefined {
  let accumulator = 0;
  let bits = 0;
  const out: number[] = [];
  const mask = (1 << to) - 1;
  for (const value of values) {
    accumulator = (accumulator << from) | value;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((accumulator >>> bits) & mask);
    }
  }
  if (pad) {
    if (bits > 0) out.push((accumulator << (to - bits)) & mask);
  } else if (bits >= from || ((accumulator << (to - bits)) & mask) !== 0) {
    return undefined;
  }
  return out;
}

// Encodes bytes under a human-readable prefix; an upper-case prefix gives an upper-case string
// (age writes secret keys that way).
export function encodeBech32(prefix: string, bytes: Uint8Array): string {
  const lower = prefix.toLowerCase();
  const data = regroup(bytes, 8, 5, true) as number[];
  const text = `${lower}1${[...data, ...checksum(lower, data)].map((d) => alphabet[d]).join('')}`;
  return prefix === lower ? text : text.toUpperCase();
}

// Why a string is not valid Bech32, in words a user can act on.
export type Bech32Problem = 'mixed-case' | 'no-separator' | 'bad-character' | 'checksum' | 'padding';

// A decoded string: its prefix (lower case) and bytes, or what is wrong with it.
export type Bech32Result = { ok: true; prefix: string; bytes: Buffer } | { ok: false; problem: Bech32Problem };

// Decodes a Bech32 string of any length.
export function decodeBech32(text: string): Bech32Result {
  const lower = text.toLowerCase();
  if (text !== lower && text !== text.toUpperCase()) return { ok: false, problem: 'mixed-case' };
  const separator = lower.lastIndexOf('1');
  if (separator < 1 || separator + 7 > lower.length) return { ok: false, problem: 'no-separator' };
  const prefix = lower.slice(0, separator);
  if ([...prefix].some((char) => char.charCodeAt(0) < 33 || char.charCodeAt(0) > 126)) return { ok: false, problem: 'bad-character' };
  const data: number[] = [];
  for (const char of lower.slice(separator + 1)) {
    const value = alphabet.indexOf(char);
    if (value === -1) return { ok: false, problem: 'bad-character' };
    data.push(value);
  }
  if (polymod([...expandPrefix(prefix), ...data]) !== 1) return { ok: false, problem: 'checksum' };
  const bytes = regroup(data.slice(0, -6), 5, 8, false);
  if (bytes === undefined) return { ok: false, problem: 'padding' };
  return { ok: true, prefix, bytes: Buffer.from(bytes) };
}
