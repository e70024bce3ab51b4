import type { Manifest } from '../manifest/manifest.js';
import type { Reference } from '../manifest/reference.js';

// Which resolved values are secrets (masked in output, registered with ::add-mask::) and which
// the manifest says are not. A secret field's value is masked wherever it appears; a field the
// manifest marks `mask: false` (a host, a port, a user name) is shown, so a log line naming the
// database host stays readable. The mark belongs to the field, not to one variable: the same
// field inside a template is not secret either. Version pins do not matter: a field that is not
// secret in one version is not secret in another. Literal text (a `default:`, a template's
// text) is written in the manifest itself and is never a secret.

// The key a field is marked by: `path#field`, without a version.
function fieldKey(path: string, field: string): string {
  return `${path}#${field}`;
}

// Tells, for a manifest, whether a field's value is a secret.
export interface ValueSecrecy {
  /** Whether the value of this reference is a secret. */
  isSecret(ref: Reference): boolean;
  /** Whether the value of this field of an expanded secret is a secret. */
  isSecretField(path: string, field: string): boolean;
}

// Reads the manifest's marks once. Pure.
export function buildValueSecrecy(manifest: Manifest): ValueSecrecy {
  const shown = new Set<string>();
  for (const variable of manifest.variables) {
    if (variable.kind === 'reference' && !variable.mask) shown.add(fieldKey(variable.ref.path, variable.ref.field));
  }
  const shownPaths = new Set(manifest.expand.filter((expansion) => !expansion.mask).map((expansion) => expansion.path));
  const isSecretField = (path: string, field: string): boolean => !shownPaths.has(path) && !shown.has(fieldKey(path, field));
  return { isSecret: (ref) => isSecretField(ref.path, ref.field), isSecretField };
}
