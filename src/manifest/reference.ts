import { SecretrunError } from '../errors.js';

// One secret field as a manifest or `-e` flag names it: `secret/myapp/db#password@3`.
export interface Reference {
  /** The logical path with its mount, as users write it: `secret/myapp/db`. */
  readonly path: string;
  readonly field: string;
  /** A pinned KV v2 version; undefined means the current one. */
  readonly version?: number;
}

// Paths and fields may hold anything but `#`, `@` and whitespace: those delimit the reference.
const referencePattern = /^([^#@\s]+)#([^#@\s]+)(?:@([1-9][0-9]*))?$/;
const pathPattern = /^([^#@\s]+)(?:@([1-9][0-9]*))?$/;

// Parses `path#field` or `path#field@version`; undefined when the text is not a reference.
export function tryParseReference(text: string): Reference | undefined {
  const match = referencePattern.exec(text.trim());
  if (!match) return undefined;
  const [, path = '', field = '', version] = match;
  return version === undefined ? { path, field } : { path, field, version: Number(version) };
}

// Parses a reference given by a user (manifest or `-e NAME=path#field`), or throws 'input'.
export function parseReference(text: string): Reference {
  const reference = tryParseReference(text);
  if (reference) return reference;
  throw new SecretrunError('input', `invalid reference '${text}': expected path#field or path#field@version`, {
    hint: 'Write the secret path, a #, and the field name, e.g. secret/myapp/db#password.',
  });
}

// Parses a whole-secret path `secret/myapp/config` or `secret/myapp/config@2`.
export function tryParseSecretPath(text: string): { path: string; version?: number } | undefined {
  const match = pathPattern.exec(text.trim());
  if (!match) return undefined;
  const [, path = '', version] = match;
  return version === undefined ? { path } : { path, version: Number(version) };
}

// The reference as users write it, for messages and reports (never contains a value).
export function formatReference(reference: Reference): string {
  const pinned = reference.version === undefined ? '' : `@${reference.version}`;
  return `${reference.path}#${reference.field}${pinned}`;
}
