import { SecretrunError } from '../errors.js';
import { isValidEnvName } from './env-name.js';
import { createEnvRecord } from './env-record.js';

// Output formats of `secretrun env`.
export type EnvFormat = 'dotenv' | 'json' | 'shell';

// A value quoted for POSIX sh: single quotes keep everything literal, including newlines.
export function quoteShell(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

// What a shell would act on inside double quotes: expansions and command substitution ($, `),
// and the backslash that escapes them (or the closing quote).
const shellActive = /[$`\\"]/;

// A value written so that the dotenv package's parser reads it back exactly, and that `sh`,
// should the file be sourced (`. ./.env`, `set -a`), reads as data and never runs: single quotes
// when the value has no ' (dotenv and sh both keep everything inside literally), else double
// quotes when nothing in it is active for sh inside them (dotenv turns the two characters \r
// into a carriage return, which it would otherwise read as a line break). Backticks, which
// dotenv also accepts, are command substitution to sh, so they are never used. Undefined when
// no form does both: a value with a ' and one of $ ` \ ", or a NUL byte.
export function quoteDotenv(value: string): string | undefined {
  if (value.includes('\0')) return undefined;
  if (!value.includes("'") && !value.includes('\r')) {
    // dotenv reads \' as a quote kept in the value, so a closing quote after a backslash would
    // not close; the comment's own quote, followed by more text, can close nothing either.
    return value.endsWith('\\') ? `'${value}' #'-` : `'${value}'`;
  }
  if (shellActive.test(value)) return undefined;
  return `"${value.replace(/\r/g, '\\r')}"`;
}

// Why a variable cannot be written as a dotenv line, or undefined when it can.
function dotenvProblem(name: string, value: string): string | undefined {
  // The dotenv parser collects variables in a plain object, where `__proto__` is not a key.
  if (name === '__proto__') return 'the dotenv parser drops this name';
  if (!isValidEnvName(name)) return 'it is not a variable name';
  if (value.includes('\0')) return 'its value contains a NUL byte';
  if (quoteDotenv(value) !== undefined) return undefined;
  const quote = value.includes("'") ? "a '" : 'a carriage return';
  return `its value has ${quote} and one of $ \` \\ " (no dotenv quoting keeps that both exact and inert when sourced by sh)`;
}

// Renders variables (sorted by name) as dotenv lines, a JSON object, or `export` lines for
// `eval "$(secretrun env -format=shell)"`. Throws 'usage', naming the variable and never its
// value, for a variable a format cannot carry. Pure; the caller prints it.
export function renderEnv(variables: Readonly<Record<string, string>>, format: EnvFormat): string {
  const names = Object.keys(variables).sort();
  if (format === 'json') {
    const sorted = createEnvRecord();
    for (const name of names) sorted[name] = variables[name] ?? '';
    return `${JSON.stringify(sorted, null, 2)}\n`;
  }
  const lines: string[] = [];
  for (const name of names) {
    const value = variables[name] ?? '';
    if (format === 'shell') {
      if (!isValidEnvName(name) || value.includes('\0')) throw unrenderable(name, format, value.includes('\0') ? 'its value contains a NUL byte' : 'it is not a variable name');
      lines.push(`export ${name}=${quoteShell(value)}\n`);
      continue;
    }
    const problem = dotenvProblem(name, value);
    if (problem !== undefined) throw unrenderable(name, format, problem);
    lines.push(`${name}=${quoteDotenv(value) ?? ''}\n`);
  }
  return lines.join('');
}

function unrenderable(name: string, format: EnvFormat, problem: string): SecretrunError {
  return new SecretrunError('usage', `cannot write ${name} as ${format}: ${problem}`, {
    hint: format === 'dotenv' ? 'Use -format=json or -format=shell, which can write any value.' : 'Use -format=json.',
  });
}
