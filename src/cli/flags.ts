import { SecretrunError } from '../errors.js';
import { globalFlagNames } from './global-flags.js';
import { parseGoBool, parseGoInt, quoteGo } from '../go/strconv.js';

// The value kinds of Vault's flag types: string, bool, int, a repeatable string list
// (StringSliceVar, each value trimmed) and a repeatable `k=v` map (StringMapVar).
export type FlagKind = 'string' | 'bool' | 'int' | 'list' | 'map';

// One flag of a command, declared once and used for parsing and for help.
export interface FlagSpec {
  readonly name: string;
  readonly kind: FlagKind;
  readonly usage: string;
  readonly default?: string | boolean | number | readonly string[] | Readonly<Record<string, string>>;
  readonly aliases?: readonly string[];
  /** Shown as `-name=<example>` in help; defaults by kind (`string`, `int`, `key=value`). */
  readonly example?: string;
}

type ValueOf<K extends FlagKind> = K extends 'string'
  ? string
  : K extends 'bool'
    ? boolean
    : K extends 'int'
      ? number
      : K extends 'list'
        ? string[]
        : Record<string, string>;

// The parsed values of a spec list, typed by flag name.
export type FlagValues<S extends readonly FlagSpec[]> = { [F in S[number] as F['name']]: ValueOf<F['kind']> };

// What parsing a command line gives.
export interface ParsedCommandLine<V> {
  flags: V;
  /** Names (canonical, not aliases) of the flags given on the command line. */
  given: ReadonlySet<string>;
  /** Everything from the first non-flag argument (or after `--`) on. */
  args: string[];
  /** Vault's warning about flag-looking positionals, for stderr in table format; else undefined. */
  warning: string | undefined;
  /** `-h` or `-help` was met among the flags. */
  help: boolean;
}

// Options for parseFlags.
export interface ParseFlagsOptions {
  /** Command name for the hint, e.g. `kv get`. */
  command?: string;
}

// Go `flag` parsing as Vault uses it: flags first (`-f=v`, `-f v`, `--f=v`, `--f v`; bools
// take a value only as `-f=v`), stopping at the first non-flag or after `--`.
export function parseFlags<const S extends readonly FlagSpec[]>(
  specs: S,
  argv: readonly string[],
  options: ParseFlagsOptions = {},
): ParsedCommandLine<FlagValues<S>> {
  const byName = new Map<string, FlagSpec>();
  for (const spec of specs) {
    byName.set(spec.name, spec);
    for (const alias of spec.aliases ?? []) byName.set(alias, spec);
  }
  const values: Record<string, unknown> = {};
  for (const spec of specs) values[spec.name] = initialValue(spec);
  const given = new Set<string>();
  const usageError = (message: string): SecretrunError =>
    new SecretrunError('usage', message, {
      hint: `Run "secretrun${options.command === undefined ? '' : ` ${options.command}`} -help" for the accepted flags.`,
    });

  let index = 0;
  let help = false;
  while (index < argv.length) {
    const arg = argv[index] ?? '';
    if (arg.length < 2 || !arg.startsWith('-')) break;
    index += 1;
    if (arg === '--') break;
    const name0 = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    if (name0 === '' || name0.startsWith('-') || name0.startsWith('=')) throw usageError(`bad flag syntax: ${arg}`);
    const equals = name0.indexOf('=');
    const name = equals === -1 ? name0 : name0.slice(0, equals);
    const inline = equals === -1 ? undefined : name0.slice(equals + 1);
    const spec = byName.get(name);
    if (spec === undefined) {
      if (name === 'help' || name === 'h') {
        help = true;
        break;
      }
      throw usageError(`flag provided but not defined: -${name}`);
    }
    let raw = inline;
    if (spec.kind === 'bool') raw ??= 'true';
    else if (raw === undefined) {
      if (index >= argv.length) throw usageError(`flag needs an argument: -${name}`);
      raw = argv[index] ?? '';
      index += 1;
    }
    const result = applyValue(spec, values[spec.name], raw);
    if (!result.ok) {
      const text =
        spec.kind === 'bool'
          ? `invalid boolean value ${quoteGo(raw)} for -${name}: ${result.error}`
          : spec.kind === 'map'
            ? `invalid value for flag -${name}: ${result.error}`
            : `invalid value ${quoteGo(raw)} for flag -${name}: ${result.error}`;
      throw usageError(text);
    }
    values[spec.name] = result.value;
    given.add(spec.name);
  }
  const args = argv.slice(index);
  return { flags: values as FlagValues<S>, given, args, warning: renderTrailingFlagWarning(args), help };
}

function initialValue(spec: FlagSpec): unknown {
  const fallback = { string: '', bool: false, int: 0, list: [], map: {} }[spec.kind];
  const value = spec.default ?? fallback;
  if (Array.isArray(value)) return [...(value as string[])];
  if (typeof value === 'object') return { ...value };
  return value;
}

function applyValue(spec: FlagSpec, current: unknown, raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
  switch (spec.kind) {
    case 'string':
      return { ok: true, value: raw };
    case 'bool':
      return parseGoBool(raw);
    case 'int':
      return parseGoInt(raw);
    case 'list':
      return { ok: true, value: [...(current as string[]), raw.trim()] };
    case 'map': {
      const equals = raw.indexOf('=');
      // The pair is not echoed: its text may be a value that belongs in secret storage.
      if (equals === -1) return { ok: false, error: 'missing = in KV pair (not shown in case it is a secret)' };
      return { ok: true, value: { ...(current as Record<string, string>), [raw.slice(0, equals)]: raw.slice(equals + 1) } };
    }
  }
}

// Vault's generateFlagWarnings: positionals that look like flags (other than `-` and the
// global flags) were probably meant as flags; tell the user they were not parsed as such.
export function renderTrailingFlagWarning(args: readonly string[]): string | undefined {
  const names: readonly string[] = globalFlagNames;
  const trailing = args.filter((arg) => {
    if (!arg.startsWith('-') || arg === '-') return false;
    const name = arg.replace(/^-+/, '').split('=')[0] ?? '';
    return !names.includes(name);
  });
  if (trailing.length === 0) return undefined;
  return (
    'Command flags must be provided before positional arguments. ' +
    `The following arguments will not be parsed as flags: [${trailing.join(',')}]`
  );
}
