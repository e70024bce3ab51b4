// docs/errors.md's examples are what the CLI prints: each block's command runs in a sandbox
// (set up as its comment says) and its stderr and exit code must be exactly the block's.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSandbox, expectExit, randomRootKey, type CliSandbox } from './run-cli.js';

interface Example {
  code: string;
  exit: number;
  command: string;
  setup: string | undefined;
  stderr: string;
}

function readExamples(): Example[] {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const examples: Example[] = [];
  for (const match of doc.matchAll(/<!-- errors:(\w+) (\d+) -->\n```console\n\$ (.*)\n([\s\S]*?)```/g)) {
    const [, code = '', exit = '', line = '', output = ''] = match;
    const [command = '', setup] = line.split(/\s+#\s+/);
    examples.push({ code, exit: Number(exit), command: command.trim(), setup, stderr: output });
  }
  return examples;
}

// Runs one documented command line (`[NAME=value ]secretrun args...`) in the sandbox.
async function runExample(sandbox: CliSandbox, example: Example) {
  const words = example.command.replace('<another key>', '<another-key>').split(' ');
  const env: Record<string, string> = {};
  while (words[0]?.includes('=')) {
    const [name = '', value = ''] = (words.shift() as string).split('=');
    env[name] = value === '<another-key>' ? randomRootKey() : value;
  }
  expect(words.shift()).toBe('secretrun');
  return sandbox.run(words, { env });
}

// The store and files each example starts from.
async function prepare(sandbox: CliSandbox, example: Example): Promise<void> {
  if (example.code === 'store_missing') return;
  expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'token=t0ken-1f9e']), 0);
  const manifest = /secretrun\.yaml: "(.*)"/.exec(example.setup ?? '')?.[1];
  if (manifest !== undefined) writeFileSync(join(sandbox.dir, 'secretrun.yaml'), manifest.replaceAll('\\n', '\n'));
  if (example.code === 'store_format') writeFileSync(join(sandbox.dir, 'notes.txt'), 'hello\n');
  if (example.code === 'store_integrity') {
    const text = readFileSync(sandbox.storePath, 'utf8').split('\n');
    text[1] = (text[1] as string).replace(/"v":"(.)/, (_, first: string) => `"v":"${first === 'A' ? 'B' : 'A'}`);
    writeFileSync(sandbox.storePath, text.join('\n'));
  }
}

describe('docs/errors.md examples', () => {
  const examples = readExamples();

  it('has an example for every code a user meets without a server or a database', () => {
    expect(examples.map((example) => example.code).sort()).toEqual(
      ['input', 'invalid_request', 'manifest_invalid', 'not_found', 'reference_unresolved', 'store_format', 'store_integrity', 'store_key', 'store_missing', 'usage'].sort(),
    );
  });

  it.each(examples.map((example) => [example.code, example] as const))('%s prints what the doc shows', async (_code, example) => {
    const sandbox = createSandbox();
    await prepare(sandbox, example);
    const result = await runExample(sandbox, example);
    const stderr = result.stderr.replaceAll(sandbox.storePath, '<store>').replaceAll(sandbox.dir, '<dir>');
    expect(stderr).toBe(example.stderr);
    expect(result.exitCode).toBe(example.exit);
    expect(result.stdout + result.stderr).not.toContain('t0ken-1f9e');
  });
});
