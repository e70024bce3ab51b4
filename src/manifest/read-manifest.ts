import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SecretrunError } from '../errors.js';
import { parseManifest } from './parse-manifest.js';
import type { Manifest } from './manifest.js';

// Reads and validates a manifest file (`secretrun.yaml` by default). Messages name the file
// as the user gave it; relative paths inside it resolve against its directory.
export async function readManifest(file = 'secretrun.yaml', cwd = process.cwd()): Promise<Manifest> {
  const absolute = resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new SecretrunError('manifest_invalid', `${missing ? 'no manifest' : 'cannot read manifest'}: ${file}`, {
      hint: missing ? 'Create secretrun.yaml, pass --manifest FILE, or give variables with -e NAME=path#field.' : undefined,
      cause,
    });
  }
  return parseManifest(text, { file, dir: dirname(absolute) });
}
