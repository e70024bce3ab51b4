import { createEnvRecord } from './env-record.js';

// Output formats of `secretrun env`.
export type EnvFormat = 'dotenv' | 'json' | 'shell';

// A value quoted for POSIX sh: single quotes keep everything literal, including newlines.
export function quoteShell(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

// A value quoted so dotenv's parse returns it unchanged: single quotes are literal; double
// quotes are needed for newlines (dotenv expands \n there); backticks cover the rest.
export function quoteDotenv(value: string): string {
  const multiline = value.includes('\n') || value.includes('\r');
  if (!multiline && !value.includes("'")) return `'${value}'`;
  if (!value.includes('"') && !/\\[nr]/.test(value)) return `"${value.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`;
  if (!value.includes('`')) return `\`${value}\``;
  // No dotenv quoting can hold all three quote kinds; JSON-style is the closest readable form.
  return JSON.stringify(value);
}

// Renders variables (sorted by name) as dotenv lines, a JSON object, or `export` lines for
// `eval "$(secretrun env -format=shell)"`. Pure; the caller prints it.
export function renderEnv(variables: Readonly<Record<string, string>>, format: EnvFormat): string {
  const names = Object.keys(variables).sort();
  if (format === 'json') {
    const sorted = createEnvRecord();
    for (const name of names) sorted[name] = variables[name] ?? '';
    return `${JSON.stringify(sorted, null, 2)}\n`;
  }
  const line = format === 'shell'
    ? (name: string): string => `export ${name}=${quoteShell(variables[name] ?? '')}`
    : (name: string): string => `${name}=${quoteDotenv(variables[name] ?? '')}`;
  return names.map((name) => `${line(name)}\n`).join('');
}
