import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JsonValue } from '../json.js';
import type { CliIo } from './io.js';
import { parseKvArgs } from './kv-input.js';

// Builds `kv put`/`kv patch` data from arguments, reading stdin first only when an argument
// asks for it (`-` or `key=-`), so commands never block on a terminal they do not need.
export async function readKvData(args: readonly string[], io: CliIo): Promise<Record<string, JsonValue>> {
  const wantsStdin = args.some((arg) => arg === '-' || arg.endsWith('=-'));
  const stdin = wantsStdin ? await io.readStdin() : undefined;
  return parseKvArgs(args, {
    readFile: (path) => readFileSync(resolve(io.cwd, path), 'utf8'),
    ...(stdin === undefined ? {} : { readStdin: () => stdin }),
  });
}
