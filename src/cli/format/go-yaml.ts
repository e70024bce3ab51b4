import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Tags } from 'yaml';
import { isJsonObject } from '../../json.js';

// Vault prints YAML with ghodss/yaml: the value goes through JSON, then gopkg.in/yaml.v2 emits
// it. These are that emitter's visible habits, reproduced on top of the `yaml` package:
// keys in yaml.v2's "natural" order, sequences not indented under their key, strings that
// would read back as another type double-quoted (timestamps, `yes`, `1:20`, `~`, ''), other
// quoting single, non-integer numbers as Go's strconv 'g' format, lines folded near 80 columns.

// A float rendered by Go's strconv.FormatFloat(f, 'g', -1, 64), which the `yaml` package
// would otherwise print the JavaScript way (`1234567.5` instead of `1.2345675e+06`).
class GoFloat {
  constructor(readonly text: string) {}
}

const goFloatTag: Tags[number] = {
  identify: (value: unknown) => value instanceof GoFloat,
  tag: 'tag:yaml.org,2002:float',
  default: true,
  resolve: (text: string) => text,
  stringify: (item: { value?: unknown }) => (item.value instanceof GoFloat ? item.value.text : String(item.value)),
};

// yaml.Marshal of a JSON value as Vault's YAML output shows it (with the trailing newline;
// Vault trims it for whole secrets but not for `-field`).
export function renderGoYaml(value: unknown): string {
  const doc = new Document(null, { customTags: [goFloatTag] });
  doc.contents = toNode(value) as typeof doc.contents;
  return doc.toString({ indentSeq: false, singleQuote: true, lineWidth: 80, minContentWidth: 0 });
}

function toNode(value: unknown): unknown {
  if (value === null || value === undefined) return new Scalar(null);
  if (typeof value === 'string') return stringNode(value);
  if (typeof value === 'boolean') return new Scalar(value);
  if (typeof value === 'number') return numberNode(value);
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const item of value) seq.items.push(toNode(item));
    return seq;
  }
  const entries: [string, unknown][] =
    value instanceof Map
      ? [...value.entries()].map(([key, item]) => [String(key), item])
      : isJsonObject(value)
        ? Object.entries(value)
        : [[String(value), null]];
  const map = new YAMLMap();
  entries.sort(([a], [b]) => compareYamlKeys(a, b));
  for (const [key, item] of entries) map.items.push(new Pair(stringNode(key), toNode(item)));
  return map;
}

// JSON integers stay integers in yaml.v2; everything else becomes a float64.
function numberNode(value: number): Scalar {
  const text = JSON.stringify(value);
  if (/^-?\d+$/.test(text) && BigInt(text) >= -(2n ** 63n) && BigInt(text) < 2n ** 64n) return new Scalar(value);
  return new Scalar(new GoFloat(formatGoFloat(value)));
}

// strconv.FormatFloat(value, 'g', -1, 64): shortest digits, exponent form when the decimal
// exponent is below -4 or at least 6, with at least two exponent digits.
export function formatGoFloat(value: number): string {
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

function stringNode(text: string): Scalar {
  const node = new Scalar(text);
  if (needsDoubleQuotes(text)) node.type = Scalar.QUOTE_DOUBLE;
  return node;
}

// Characters libyaml cannot print as they are (it escapes them inside double quotes).
const unprintable = /[\u0000-\u0008\u000b-\u001f\u007f-\u0084\u0086-\u009f\ud800-\udfff\ufeff\ufffe\uffff\t]/u;

// Would yaml.v2 insist on double quotes? Yes for unprintable characters, for text that would
// read back as a non-string when plain, and for multi-line text it cannot put in a block.
function needsDoubleQuotes(text: string): boolean {
  if (unprintable.test(text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, 'x'))) return true;
  if (resolvesAsNonString(text)) return true;
  return text.includes('\n') && (text.endsWith(' ') || text.includes(' \n'));
}

const specialWords = new Set([
  '', '~', 'null', 'Null', 'NULL', '<<',
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);
const integer = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/;
const float = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const base60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const timestamp = /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[-+]\d{2}:\d{2})| \d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?)?$/;

// yaml.v2's resolve(): does this plain text mean null, a bool, a number or a timestamp?
function resolvesAsNonString(text: string): boolean {
  if (specialWords.has(text)) return true;
  const plain = text.replaceAll('_', '');
  const first = text[0] ?? '';
  if (/[-+0-9]/.test(first) && (integer.test(plain) || float.test(plain))) return true;
  if (first === '.' && float.test(text)) return true;
  return base60.test(text) || timestamp.test(text);
}

// yaml.v2's key order: letters compare as code points, non-letters sort before letters, and
// runs of digits compare by numeric value ("a2" < "a10").
export function compareYamlKeys(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < left.length && i < right.length; i += 1) {
    const x = left[i] ?? '';
    const y = right[i] ?? '';
    if (x === y) continue;
    const xLetter = /\p{L}/u.test(x);
    const yLetter = /\p{L}/u.test(y);
    if (xLetter && yLetter) return codePoint(x) - codePoint(y);
    if (xLetter || yLetter) return xLetter ? 1 : -1;
    let xNumber = 0n;
    let yNumber = 0n;
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigit(left[j]); j -= 1) {
        if (left[j] !== '0') {
          xNumber = 1n;
          yNumber = 1n;
          break;
        }
      }
    }
    let xEnd = i;
    for (; xEnd < left.length && isDigit(left[xEnd]); xEnd += 1) xNumber = xNumber * 10n + BigInt(codePoint(left[xEnd]) - 48);
    let yEnd = i;
    for (; yEnd < right.length && isDigit(right[yEnd]); yEnd += 1) yNumber = yNumber * 10n + BigInt(codePoint(right[yEnd]) - 48);
    if (xNumber !== yNumber) return xNumber < yNumber ? -1 : 1;
    if (xEnd !== yEnd) return xEnd - yEnd;
    return codePoint(x) - codePoint(y);
  }
  return left.length - right.length;
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && /\p{Nd}/u.test(char);
}

function codePoint(char: string | undefined): number {
  return char?.codePointAt(0) ?? 0;
}
