import { resolve } from 'node:path';
import { SecretrunError } from '../errors.js';
import { formatSize, isTooLarge, readFileBounded } from '../fs/bounded-read.js';
import type { JsonValue } from '../json.js';
import type { CliIo } from './io.js';
import { parseKvArgs } from './kv-input.js';

// The most one `@file` or stdin may hold: Vault's default max_request_size, which the server
// enforces on the whole request too, so nothing larger could be written through it anyway.
export const maxKvInputBytes = 32 * 1024 * 1024;

function tooLarge(what: string): SecretrunError {
  return new SecretrunError('input', `${what} is larger than ${formatSize(maxKvInputBytes)}, the most one request may carry`);
}

// All of stdin as data to write, refused past maxKvInputBytes.
export async function readStdinData(io: CliIo): Promise<string> {
  return io.readStdin(maxKvInputBytes).catch((error: unknown) => {
    throw isTooLarge(error) ? tooLarge('stdin') : error;
  });
}

// A file's text as data to write (relative to `cwd`), refused past maxKvInputBytes; other
// failures are the fs error.
export function readFileData(path: string, cwd: string): string {
  try {
    return readFileBounded(resolve(cwd, path), maxKvInputBytes).toString('utf8');
  } catch (error) {
    throw isTooLarge(error) ? tooLarge(path) : error;
  }
}

// Builds `kv put`/`kv patch` data from arguments, reading stdin first only when an argument
// asks for it (`-` or `key=-`), so commands never block on a terminal they do not need.
export async function readKvData(args: readonly string[], io: CliIo): Promise<Record<string, JsonValue>> {
  const wantsStdin = args.some((arg) => arg === '-' || arg.endsWith('=-'));
  const stdin = wantsStdin ? await readStdinData(io) : undefined;
  return parseKvArgs(args, {
    readFile: (path) => readFileData(path, io.cwd),
    ...(stdin === undefined ? {} : { readStdin: () => stdin }),
  });
}
