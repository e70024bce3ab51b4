import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exitCodeByCode } from '../src/cli/exit-code.js';
import { errorCodes } from '../src/errors.js';
import { httpStatusByCode } from '../src/http/error-status.js';

// docs/errors.md is the user's copy of the two tables: it must say what the code does.
describe('docs/errors.md', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

  it.each(errorCodes.map((code) => [code]))('lists %s with its exit code and HTTP status', (code) => {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    expect(row, `no row for ${code}`).toBeDefined();
    const [, , exit, status] = (row ?? '').split('|').map((cell) => cell.trim());
    expect(Number(exit)).toBe(exitCodeByCode[code]);
    expect(Number(status)).toBe(httpStatusByCode[code]);
  });
});
