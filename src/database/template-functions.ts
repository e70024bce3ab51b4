import { createHash } from 'node:crypto';
import { sprintfGo, renderGoPrintable, type GoPrintable } from '../go/sprintf.js';
import type { GoParseResult } from '../go/strconv.js';
import type { TemplateFunction } from '../go/text-template.js';
import { formatGoTime } from '../go/time-format.js';

// The functions of Vault's string templates (sdk/helper/template), plus Go's printf and print,
// with the clock and randomness handed in so templates are pure and testable.

// What the functions need from the world.
export interface TemplateEffects {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Cryptographically random bytes. */
  randomBytes(size: number): Uint8Array;
}

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// base62.Random: alphanumerics, each byte at or above 248 thrown away so no character is favoured.
export function randomBase62(length: number, randomBytes: (size: number) => Uint8Array): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length + Math.floor(length / 4))) {
      if (byte >= 248) continue;
      out += base62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

const ok = (value: GoPrintable): GoParseResult<GoPrintable> => ({ ok: true, value });
const str = (value: GoPrintable | undefined): string => (typeof value === 'string' ? value : renderGoPrintable(value ?? ''));
const int = (value: GoPrintable | undefined): number => (typeof value === 'number' ? value : 0);

// Go slices strings by bytes: truncate counts UTF-8 bytes, not characters.
function byteSlice(text: string, start: number, end?: number): string {
  return Buffer.from(text, 'utf8').subarray(start, end).toString('utf8');
}

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

// go-glob: `*` matches any run of characters; nothing else is special.
function globMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!value.startsWith(first) || !value.endsWith(last) || value.length < first.length + last.length) return false;
  let rest = value.slice(first.length, value.length - last.length);
  for (const middle of parts.slice(1, -1)) {
    const at = rest.indexOf(middle);
    if (at === -1) return false;
    rest = rest.slice(at + middle.length);
  }
  return true;
}

// go-uuid's GenerateUUID: 16 random bytes as 8-4-4-4-12 hex (no version bits are set).
function renderUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function decodeBase64(text: string): GoParseResult<GoPrintable> {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text.replace(/[\r\n]/g, ''))) {
    return { ok: false, error: 'illegal base64 data' };
  }
  return ok(Buffer.from(text, 'base64').toString('utf8'));
}

function decodeHex(text: string): GoParseResult<GoPrintable> {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) return { ok: false, error: text.length % 2 === 1 ? 'encoding/hex: odd length hex string' : 'encoding/hex: invalid byte' };
  return ok(Buffer.from(text, 'hex').toString('utf8'));
}

// The function table of Vault's string templates.
export function buildTemplateFunctions(effects: TemplateEffects): Map<string, TemplateFunction> {
  const fns: Record<string, TemplateFunction> = {
    random: {
      params: ['int'],
      call: ([length]) => (int(length) < 0 ? { ok: false, error: `invalid length ${int(length)}` } : ok(randomBase62(int(length), effects.randomBytes))),
    },
    truncate: {
      params: ['int', 'string'],
      call: ([max, text]) => {
        if (int(max) <= 0) return { ok: false, error: `max length must be > 0 but was ${int(max)}` };
        return ok(byteLength(str(text)) > int(max) ? byteSlice(str(text), 0, int(max)) : str(text));
      },
    },
    truncate_sha256: {
      params: ['int', 'string'],
      call: ([max, text]) => {
        if (int(max) <= 8) return { ok: false, error: `max length must be > 8 but was ${int(max)}` };
        if (byteLength(str(text)) <= int(max)) return ok(str(text));
        const cut = int(max) - 8;
        return ok(byteSlice(str(text), 0, cut) + sha256Hex(byteSlice(str(text), cut)).slice(0, 8));
      },
    },
    uppercase: { params: ['string'], call: ([text]) => ok(str(text).toUpperCase()) },
    lowercase: { params: ['string'], call: ([text]) => ok(str(text).toLowerCase()) },
    // A function replacer: `$&` in the replacement is text, as in Go.
    replace: { params: ['string', 'string', 'string'], call: ([find, by, text]) => ok(str(text).replaceAll(str(find), () => str(by))) },
    sha256: { params: ['string'], call: ([text]) => ok(sha256Hex(str(text))) },
    base64: { params: ['string'], call: ([text]) => ok(Buffer.from(str(text), 'utf8').toString('base64')) },
    decode_base64: { params: ['string'], call: ([text]) => decodeBase64(str(text)) },
    hex: { params: ['string'], call: ([text]) => ok(Buffer.from(str(text), 'utf8').toString('hex')) },
    decode_hex: { params: ['string'], call: ([text]) => decodeHex(str(text)) },
    unix_time: { params: [], call: () => ok(String(Math.floor(effects.now() / 1000))) },
    unix_time_millis: { params: [], call: () => ok(String(Math.floor(effects.now()))) },
    timestamp: { params: ['string'], call: ([layout]) => ok(formatGoTime(effects.now(), str(layout))) },
    uuid: { params: [], call: () => ok(renderUuid(effects.randomBytes(16))) },
    glob: { params: ['string', 'string'], call: ([pattern, value]) => ok(globMatches(str(pattern), str(value))) },
    printf: { params: ['string'], variadic: 'any', call: ([format, ...args]) => ok(sprintfGo(str(format), args)) },
    print: { params: [], variadic: 'any', call: (args) => ok(renderSprint(args)) },
  };
  return new Map(Object.entries(fns));
}

// fmt.Sprint: a space between operands when neither side is a string.
function renderSprint(args: readonly GoPrintable[]): string {
  let out = '';
  args.forEach((arg, index) => {
    const previous = args[index - 1];
    if (index > 0 && typeof arg !== 'string' && previous !== undefined && typeof previous !== 'string') out += ' ';
    out += renderGoPrintable(arg);
  });
  return out;
}
