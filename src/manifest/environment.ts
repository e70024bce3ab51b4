import { SecretrunError } from '../errors.js';
import { nearestNames } from '../suggest.js';

// Environments: one manifest for dev, staging and prod, as dotenvx, Doppler and Infisical users
// expect. The manifest declares its environments (`environments: { dev:, prod: { ... } }`),
// and `{{env}}` in a reference, an expanded path, a dotenv file name or the source stands for
// the one chosen with -env=NAME or SECRETRUN_ENV. Declaring them makes a misspelt `-env=prdo`
// an error naming the right ones, instead of a run that reads secret/prdo/... and finds nothing.

// An environment name: it goes into secret paths and file names, so no `/`, `.` or spaces.
export const environmentNamePattern = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

// `{{env}}`, or `{{ env }}` as templates space their placeholders. A preceding backslash is
// kept, so a template's `\{{env}}` stays the literal text `{{env}}`.
const placeholder = /(\\?)\{\{\s*env\s*\}\}/g;

// Whether text holds the environment placeholder.
export function usesEnvironment(text: string): boolean {
  placeholder.lastIndex = 0;
  for (const match of text.matchAll(placeholder)) if (match[1] === '') return true;
  return false;
}

// Text with every placeholder replaced by the environment's name. Pure.
export function fillEnvironment(text: string, name: string): string {
  return text.replace(placeholder, (whole: string, escaped: string) => (escaped === '' ? name : whole));
}

// Where the environment name of a run comes from: the flag, else SECRETRUN_ENV.
export function chooseEnvironment(flag: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  return flag || env['SECRETRUN_ENV'] || undefined;
}

function listNames(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

// The error for a name the manifest does not define, naming those it does.
export function unknownEnvironmentError(file: string, name: string, names: readonly string[]): SecretrunError {
  if (names.length === 0) {
    return new SecretrunError('usage', `unknown environment '${name}': ${file} defines no environments`, {
      hint: 'Add an environments: block to the manifest, or drop -env and SECRETRUN_ENV.',
    });
  }
  const nearest = nearestNames(name, names);
  const guess = nearest.length > 0 ? `did you mean ${nearest.map((candidate) => `'${candidate}'`).join(', ')}? ` : '';
  return new SecretrunError('usage', `unknown environment '${name}': ${guess}${file} defines ${listNames(names)}`, {
    hint: 'Pass one of them with -env=NAME or SECRETRUN_ENV, or add it under environments: in the manifest.',
  });
}

// The error for a manifest that uses `{{env}}` (first at `where`) when no environment was chosen.
export function environmentNeededError(file: string, where: string, names: readonly string[]): SecretrunError {
  return new SecretrunError('usage', `${file} uses {{env}} (${where}) but no environment was chosen (defined: ${listNames(names)})`, {
    hint: 'Pass -env=NAME or set SECRETRUN_ENV.',
  });
}
