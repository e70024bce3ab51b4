import { quoteGo } from './strconv.js';

// Go's fmt.Sprintf for the values a text/template can hold here (strings, integers,
// booleans): the verbs %s %d %v %q %x %X %t %%, flags `-` `0` `+` ` `, width and precision, and
// Go's inline error texts (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA ...)`), so that a username
// template written for Vault prints the same name here.

// A value fmt can print in this subset.
export type GoPrintable = string | number | boolean;

// Go's type name of a value, for the error texts.
export function goTypeName(value: GoPrintable): string {
  return typeof value === 'string' ? 'string' : typeof value === 'number' ? 'int' : 'bool';
}

// fmt.Sprint of one value (%v).
export function renderGoPrintable(value: GoPrintable): string {
  return typeof value === 'string' ? value : String(value);
}

interface Spec {
  minus: boolean;
  zero: boolean;
  plus: boolean;
  space: boolean;
  width: number | undefined;
  precision: number | undefined;
}

function padded(text: string, spec: Spec, numeric: boolean): string {
  if (spec.width === undefined || [...text].length >= spec.width) return text;
  const fill = spec.width - [...text].length;
  if (spec.minus) return text + ' '.repeat(fill);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(text) ? text.slice(0, 1) : '';
    return sign + '0'.repeat(fill) + text.slice(sign.length);
  }
  return ' '.repeat(fill) + text;
}

function hexOf(value: GoPrintable, upper: boolean): string | undefined {
  if (typeof value === 'string') {
    const hex = Buffer.from(value, 'utf8').toString('hex');
    return upper ? hex.toUpperCase() : hex;
  }
  if (typeof value === 'number') {
    const hex = (value < 0 ? '-' : '') + Math.abs(value).toString(16);
    return upper ? hex.toUpperCase() : hex;
  }
  return undefined;
}

// One verb applied to one value, or undefined when the verb does not fit the value's type.
function renderVerb(verb: string, value: GoPrintable, spec: Spec): string | undefined {
  switch (verb) {
    case 'v':
    case 's': {
      if (verb === 's' && typeof value !== 'string') return undefined;
      if (typeof value === 'number') return padded(signed(value, spec), spec, true);
      let text = renderGoPrintable(value);
      if (spec.precision !== undefined) text = [...text].slice(0, spec.precision).join('');
      return padded(text, spec, false);
    }
    case 'd':
      return typeof value === 'number' ? padded(signed(value, spec), spec, true) : undefined;
    case 'q':
      return typeof value === 'string' ? padded(quoteGo(value), spec, false) : undefined;
    case 'x':
    case 'X': {
      const hex = hexOf(value, verb === 'X');
      return hex === undefined ? undefined : padded(hex, spec, typeof value === 'number');
    }
    case 't':
      return typeof value === 'boolean' ? padded(String(value), spec, false) : undefined;
    default:
      return undefined;
  }
}

function signed(value: number, spec: Spec): string {
  const text = String(Math.trunc(value));
  if (value >= 0 && spec.plus) return `+${text}`;
  if (value >= 0 && spec.space) return ` ${text}`;
  return text;
}

// fmt.Sprintf(format, args...).
export function sprintfGo(format: string, args: readonly GoPrintable[]): string {
  let out = '';
  let next = 0;
  let i = 0;
  while (i < format.length) {
    const char = format[i] ?? '';
    if (char !== '%') {
      out += char;
      i += 1;
      continue;
    }
    const match = /^%([-+# 0]*)(\d+)?(?:\.(\d*))?(.)?/su.exec(format.slice(i));
    const flags = match?.[1] ?? '';
    const spec: Spec = {
      minus: flags.includes('-'),
      zero: flags.includes('0'),
      plus: flags.includes('+'),
      space: flags.includes(' '),
      width: match?.[2] === undefined ? undefined : Number(match[2]),
      precision: match?.[3] === undefined ? undefined : Number(match[3] === '' ? 0 : match[3]),
    };
    const verb = match?.[4];
    i += match?.[0].length ?? 1;
    if (verb === undefined) {
      out += '%!(NOVERB)';
      continue;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    const value = args[next];
    if (value === undefined) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    next += 1;
    out += renderVerb(verb, value, spec) ?? `%!${verb}(${goTypeName(value)}=${renderGoPrintable(value)})`;
  }
  if (next < args.length) {
    out += `%!(EXTRA ${args
      .slice(next)
      .map((value) => `${goTypeName(value)}=${renderGoPrintable(value)}`)
      .join(', ')})`;
  }
  return out;
}
