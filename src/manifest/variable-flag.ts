import { SecretrunError } from '../errors.js';
import { deepFreeze } from './manifest.js';
import type { Manifest, VariableSpec } from './manifest.js';
import { parseReference } from './reference.js';

const namePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Parses one `-e NAME=path#field[@version]` flag into a variable, or throws 'input'.
export function parseVariableFlag(text: string): VariableSpec {
  const equals = text.indexOf('=');
  const name = equals === -1 ? text : text.slice(0, equals);
  if (equals === -1 || !namePattern.test(name)) {
    throw new SecretrunError('input', `invalid -e '${text}': expected NAME=path#field with NAME matching [A-Za-z_][A-Za-z0-9_]*`);
  }
  const ref = parseReference(text.slice(equals + 1));
  return { kind: 'reference', name, ref, optional: false, default: undefined, mask: true, where: `-e ${name}` };
}

// A manifest with `-e` flags added; a flag replaces a manifest variable of the same name,
// because flags are how users override the file for one run. Two flags for one name are an error.
export function withFlagVariables(manifest: Manifest, flags: readonly string[]): Manifest {
  const added = flags.map(parseVariableFlag);
  const names = new Set<string>();
  for (const variable of added) {
    if (names.has(variable.name)) throw new SecretrunError('input', `-e ${variable.name} given twice`);
    names.add(variable.name);
  }
  const kept = manifest.variables.filter((variable) => !names.has(variable.name));
  return deepFreeze({ ...manifest, variables: [...kept, ...added] });
}
