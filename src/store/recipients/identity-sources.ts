import { isSecretrunError } from '../../errors.js';
import type { Env } from '../store-paths.js';
import { readIdentityFiles, readIdentityText } from './identity-dir.js';
import type { IdentityEntry } from './identity-file.js';
import { parseKeyMaterial } from './key-material.js';

// Every place this machine keeps keys, read: SECRETRUN_KEY, SECRETRUN_KEY_FILE and the
// identities directory, each with what it holds (private keys, a shared root key, or a
// problem). `key show` lists them all; opening a store takes the first source set, in this
// order, as root-key resolution does today.

// What one source holds.
export type IdentitySourceContent =
  | { kind: 'identities'; entries: IdentityEntry[] }
  | { kind: 'root' }
  | { kind: 'problem'; problem: string };

// One source and its content.
export interface IdentitySource {
  source: string;
  path?: string;
  exposed: boolean;
  content: IdentitySourceContent;
}

function contentOf(read: () => { text: string; what: string }): IdentitySourceContent {
  try {
    const { text, what } = read();
    const material = parseKeyMaterial(text, what);
    return material.kind === 'root' ? { kind: 'root' } : { kind: 'identities', entries: material.entries };
  } catch (error) {
    if (isSecretrunError(error)) return { kind: 'problem', problem: error.message };
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { kind: 'problem', problem: `cannot read it: ${code}` };
  }
}

// Reads every source that is set or present.
export function readIdentitySources(env: Env): IdentitySource[] {
  const sources: IdentitySource[] = [];
  const key = env['SECRETRUN_KEY'];
  if (key !== undefined && key !== '') sources.push({ source: 'SECRETRUN_KEY', exposed: false, content: contentOf(() => ({ text: key, what: 'SECRETRUN_KEY' })) });
  const file = env['SECRETRUN_KEY_FILE'];
  if (file !== undefined && file !== '') {
    let exposed = false;
    const content = contentOf(() => {
      const read = readIdentityText(file);
      exposed = read.exposed;
      return { text: read.text, what: `SECRETRUN_KEY_FILE ${file}` };
    });
    sources.push({ source: 'SECRETRUN_KEY_FILE', path: file, exposed, content });
  }
  for (const identity of readIdentityFiles(env)) {
    const content: IdentitySourceContent = identity.parsed.ok
      ? { kind: 'identities', entries: identity.parsed.entries }
      : { kind: 'problem', problem: `line ${identity.parsed.line}: ${identity.parsed.problem}` };
    sources.push({ source: identity.name, path: identity.path, exposed: identity.exposed, content });
  }
  return sources;
}
