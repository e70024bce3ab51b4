import { SecretrunError } from '../errors.js';
import { parseGoBool } from '../go/strconv.js';

// The output formats the kv and secrets commands support.
export type OutputFormat = 'table' | 'json' | 'yaml';

// The flags Vault reads from anywhere on the command line before the command parses its own.
export interface GlobalFlags {
  format: OutputFormat;
  detailed: boolean;
  outputCurlString: boolean;
  outputPolicy: boolean;
  /** `-h`, `-help` or `--help` appeared before `--` (mitchellh/cli shows the command's help). */
  help: boolean;
}

// Names of the global flags; trailing positionals naming them do not trigger the
// "flags must be provided before positional arguments" warning.
export const globalFlagNames = ['format', 'detailed', 'output-curl-string', 'output-policy'] as const;

// Vault's -format value check: `table`, `json`, `yaml`/`yml`, any case.
export function parseOutputFormat(raw: string): OutputFormat {
  const format = raw.toLowerCase();
  if (format === 'table' || format === 'json' || format === 'yaml') return format;
  if (format === 'yml') return 'yaml';
  throw new SecretrunError('usage', `Invalid output format: ${format}`, {
    hint: 'Use -format=table, -format=json or -format=yaml.',
  });
}

// Vault's setupEnv pre-scan: `-format`, `-detailed`, `-output-curl-string`, `-output-policy`
// (one or two dashes, `=value` or, for -format, the next argument) anywhere before `--`,
// overriding VAULT_FORMAT / VAULT_DETAILED from `env`. Arguments are not consumed: the
// command's own parser still sees them.
export function scanGlobalFlags(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): GlobalFlags {
  let format = '';
  let detailed: boolean | undefined;
  let outputCurlString = false;
  let outputPolicy = false;
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    if (arg === '-h' || arg === '-help' || arg === '--help') help = true;
    if (isFlag(arg, 'output-curl-string')) outputCurlString = true;
    if (isFlag(arg, 'output-policy')) outputPolicy = true;
    if (hasValue(arg, 'format')) format = valueOf(arg);
    if (isFlag(arg, 'format')) {
      format = argv[i + 1] ?? format;
      i += 1;
    }
    if (hasValue(arg, 'detailed')) {
      const parsed = parseGoBool(valueOf(arg));
      detailed = parsed.ok && parsed.value;
    }
    if (isFlag(arg, 'detailed')) detailed = true;
  }
  if (format === '') format = env['VAULT_FORMAT'] ?? '';
  if (detailed === undefined) {
    const fromEnv = parseGoBool(env['VAULT_DETAILED'] ?? '');
    detailed = fromEnv.ok && fromEnv.value;
  }
  return {
    format: parseOutputFormat(format === '' ? 'table' : format),
    detailed,
    outputCurlString,
    outputPolicy,
    help,
  };
}

function isFlag(arg: string, name: string): boolean {
  return arg === `-${name}` || arg === `--${name}`;
}

function hasValue(arg: string, name: string): boolean {
  return arg.startsWith(`-${name}=`) || arg.startsWith(`--${name}=`);
}

function valueOf(arg: string): string {
  return arg.slice(arg.indexOf('=') + 1);
}
