import { SecretrunError, isSecretrunError } from '../errors.js';
import { isJsonObject, maxJsonDepth } from '../json.js';
import type { JsonValue } from '../json.js';
import { findJsonValueEnd } from './json-extent.js';
import { quoteGo } from '../go/strconv.js';

// Where `key=@file`, `@file.json`, `key=-` and `-` get their bytes; injected so parsing stays
// pure. readFile returns the file's text or throws (a Node fs error or a SecretrunError).
export interface KvInputSources {
  readFile(path: string): string;
  /** All of stdin; absent when stdin cannot be used ("stdin is not supported"). */
  readStdin?: () => string;
}

// Builds the data of `kv put` / `kv patch` from `key=value` arguments, as Vault's kv-builder
// does: split on the first `=`; a repeated key collects its values in an array; `key=@path`
// is the file's text verbatim, `key=\@x` the literal `@x`, `key=-` all of stdin; a bare
// `@file.json` or `-` merges the JSON object it holds (numbers stay numbers). Empty
// arguments are ignored. Errors name the argument and the reason, never file contents.
export function parseKvArgs(args: readonly string[], sources: KvInputSources): Record<string, JsonValue> {
  const result = new Map<string, JsonValue>();
  let stdinUsed = false;
  const takeStdin = (): string => {
    if (sources.readStdin === undefined) throw new Problem('stdin is not supported');
    if (stdinUsed) throw new Problem('stdin already consumed');
    stdinUsed = true;
    return sources.readStdin();
  };

  for (const [index, arg] of args.entries()) {
    if (arg === '') continue;
    try {
      const equals = arg.indexOf('=');
      if (equals === -1) {
        if (arg === '-') mergeJson(result, takeStdin(), 'stdin');
        else if (arg.startsWith('@')) mergeJson(result, readOrExplain(sources, arg.slice(1), 'open'), arg.slice(1));
        else throw new Problem('format must be key=value');
        continue;
      }
      const key = arg.slice(0, equals);
      let value = arg.slice(equals + 1);
      if (value.startsWith('@')) value = readOrExplain(sources, value.slice(1), 'error reading file: open');
      else if (value.startsWith('\\@')) value = value.slice(1);
      else if (value === '-') value = takeStdin();
      const existing = result.get(key);
      if (existing === undefined) result.set(key, value);
      else if (Array.isArray(existing)) result.set(key, [...existing, value]);
      else result.set(key, existing === null ? [value] : [existing, value]);
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      throw new SecretrunError('input', `Failed to parse K=V data: invalid key/value pair ${describeArgument(arg, index)}: ${error.message}`, {
        hint: 'Give data as key=value, key=@file, key=- (stdin), @file.json or - (a JSON object on stdin).',
      });
    }
  }
  return Object.fromEntries(result);
}

// Names a rejected argument without printing anything that may be a secret value: file
// names, `-` and keys are shown (Vault quotes the whole argument); a bare word or a literal
// value is only counted, since a typo such as `password:hunter2` is a secret.
function describeArgument(arg: string, index: number): string {
  const equals = arg.indexOf('=');
  const value = equals === -1 ? arg : arg.slice(equals + 1);
  if (arg === '-' || arg.startsWith('@') || value === '-' || value.startsWith('@')) return quoteGo(arg);
  if (equals !== -1) return quoteGo(`${arg.slice(0, equals)}=…`);
  return `(data argument ${index + 1}, not shown in case it is a secret)`;
}

// A reason a single argument was rejected; becomes the tail of the user-facing message.
class Problem extends Error {}

// Go's system error texts for the failures a user can cause with a path.
const errnoTexts: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
};

// Reads a file, turning a failure into Vault's `open <path>: <reason>` (the reason comes from
// the error code only, so nothing read from the file can leak into the message).
function readOrExplain(sources: KvInputSources, path: string, verb: string): string {
  try {
    return sources.readFile(path);
  } catch (error) {
    if (isSecretrunError(error)) throw new Problem(error.message);
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    throw new Problem(`${verb} ${path}: ${errnoTexts[code] ?? (code === '' ? 'cannot be read' : code)}`);
  }
}

// Merges the first JSON value of `text` (which must be an object) into the result, like
// json.Decoder.Decode into the builder's map: later keys replace earlier ones.
function mergeJson(result: Map<string, JsonValue>, text: string, source: string): void {
  // The object read here is sent one level down, as a request's `data`.
  const extent = findJsonValueEnd(text, 0, maxJsonDepth - 1);
  if ('problem' in extent) {
    const { line, column, reason } = extent.problem;
    throw new Problem(`invalid JSON in ${source}: ${reason} at line ${line}, column ${column}`);
  }
  const value: unknown = JSON.parse(text.slice(0, extent.end));
  if (!isJsonObject(value)) throw new Problem(`JSON in ${source} must be an object`);
  for (const [key, item] of Object.entries(value)) result.set(key, item as JsonValue);
}
