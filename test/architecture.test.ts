// The layer rules of eslint.config.mjs (ARCHITECTURE.md) fire on code that breaks them, so a
// change to the config cannot quietly turn them off.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function problems(file: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: file });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe('the architecture, as lint rules', () => {
  it.each([
    ['src/kv/probe.ts', "import { main } from '../cli/main.js';\nexport const x = main;\n"],
    ['src/store/probe.ts', "import { readData } from '../kv/kv-v2-data.js';\nexport const x = readData;\n"],
    ['src/source/probe.ts', "import { createApiHandler } from '../http/handler.js';\nexport const x = createApiHandler;\n"],
    ['src/http/routes/probe.ts', "import { main } from '../../cli/main.js';\nexport const x = main;\n"],
    ['src/runner/probe.ts', "import { openFileStore } from '../store/file-store.js';\nexport const x = openFileStore;\n"],
    ['src/database/probe.ts', "import { createApiHandler } from '../http/handler.js';\nexport const x = createApiHandler;\n"],
    ['src/kv/probe.ts', "import { parseStatements } from '../database/statement-list.js';\nexport const x = parseStatements;\n"],
    ['src/fs/probe.ts', "import { openFileStore } from '../store/file-store.js';\nexport const x = openFileStore;\n"],
    ['src/team/probe.ts', "import { createApiHandler } from '../http/handler.js';\nexport const x = createApiHandler;\n"],
    ['src/store/probe.ts', "import { mergeStoreContents } from '../team/store-merge.js';\nexport const x = mergeStoreContents;\n"],
  ])('%s may not import upwards', async (file, text) => {
    expect(await problems(file, text)).toEqual([expect.stringMatching(/^no-restricted-imports: .*must not import from a layer above it/)]);
  });

  it('allows imports downwards', async () => {
    expect(await problems('src/http/probe.ts', "import { readData } from '../kv/kv-v2-data.js';\nexport const x = readData;\n")).toEqual([]);
  });

  it('keeps process out of commands and the runner', async () => {
    expect(await problems('src/cli/commands/probe.ts', 'export const x = process.env;\n')).toEqual([expect.stringMatching(/^no-restricted-globals: /)]);
    expect(await problems('src/runner/probe.ts', "export const x = process.cwd();\n")).toEqual([expect.stringMatching(/^no-restricted-globals: /)]);
  });

  it('refuses a bare Error anywhere in src', async () => {
    expect(await problems('src/kv/probe.ts', "export function f(): never {\n  throw new Error('x');\n}\n")).toEqual([expect.stringMatching(/^no-restricted-syntax: .*SecretrunError/)]);
  });
});
