import { invalidRequest, SecretrunError } from '../errors.js';

// The file audit device's options (builtin/audit/file/backend.go and audit/backend.go in
// Vault), checked once when the device is enabled and again when a process opens it.

// Where a device writes: a file, the server's stdout (`stdout`, or `-` as secretrun also
// accepts), or nowhere (`discard`, which still counts as recorded, as in Vault).
export type DeviceTarget = { kind: 'file'; path: string } | { kind: 'stdout' } | { kind: 'discard' };

// A device's settings after its options were checked.
export interface DeviceConfig {
  target: DeviceTarget;
  /** The file's mode bits; undefined to keep an existing file's mode (`mode=0000`). */
  mode: number | undefined;
  prefix: string;
  /** Log every value in clear (`log_raw=true`). */
  logRaw: boolean;
  /** Hash token accessors too (`hmac_accessor`, true by default). */
  hmacAccessor: boolean;
  /** Log the number of keys a list returned instead of the keys (`elide_list_responses`). */
  elideListResponses: boolean;
}

// Go's strconv.ParseBool.
function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

function boolOption(options: Readonly<Record<string, string>>, name: string, fallback: boolean): boolean {
  const raw = options[name];
  if (raw === undefined) return fallback;
  const value = parseGoBool(raw);
  if (value === undefined) {
    throw new SecretrunError('invalid_request', `unable to parse ${JSON.stringify(name)}: invalid configuration`, {
      hint: `Set ${name} to true or false.`,
    });
  }
  return value;
}

function parseTarget(options: Readonly<Record<string, string>>): DeviceTarget {
  const raw = (options['file_path'] ?? options['path'])?.trim();
  if (raw === undefined) {
    throw new SecretrunError('invalid_request', '"file_path" is required: invalid configuration', {
      hint: 'Name the log file, e.g. secretrun audit enable file file_path=/var/log/secretrun/audit.log (or file_path=- for the server\'s stdout).',
    });
  }
  if (raw === '') throw invalidRequest('file path is required: invalid configuration');
  if (raw === '-' || raw.toLowerCase() === 'stdout') return { kind: 'stdout' };
  if (raw.toLowerCase() === 'discard') return { kind: 'discard' };
  return { kind: 'file', path: raw };
}

// The mode Vault would create the file with: octal, 0600 by default, 0000 to keep the mode of
// an existing file; never executable (Vault strips those bits since HCSEC-2025-14).
function parseMode(raw: string | undefined): number | undefined {
  if (raw === undefined) return 0o600;
  if (!/^[0-7]{1,4}$/.test(raw.trim())) {
    throw new SecretrunError('invalid_request', `unable to parse "mode": invalid configuration`, { hint: 'Give the file mode in octal, e.g. mode=0640.' });
  }
  const mode = parseInt(raw.trim(), 8);
  return mode === 0 ? undefined : mode & ~0o111;
}

// Checks a file device's options; throws Vault's error for the first bad one.
export function checkDeviceOptions(options: Readonly<Record<string, string>>): DeviceConfig {
  const target = parseTarget(options);
  const format = options['format'];
  if (format === 'jsonx') {
    throw new SecretrunError('invalid_request', 'the jsonx audit format is not supported: invalid configuration', {
      hint: 'Omit "format" or set format=json: secretrun writes one JSON object per line.',
    });
  }
  if (format !== undefined && format !== 'json') throw invalidRequest('unsupported "format": invalid configuration');
  return {
    target,
    mode: parseMode(options['mode']),
    prefix: options['prefix'] ?? '',
    logRaw: boolOption(options, 'log_raw', false),
    hmacAccessor: boolOption(options, 'hmac_accessor', true),
    elideListResponses: boolOption(options, 'elide_list_responses', false),
  };
}
