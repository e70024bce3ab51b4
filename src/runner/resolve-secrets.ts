import { requestKey } from '../source/source.js';
import type { SecretRead, SecretRequest, SecretSource } from '../source/source.js';
import type { JsonValue } from '../json.js';
import type { Manifest } from '../manifest/manifest.js';
import { formatReference } from '../manifest/reference.js';
import type { Reference } from '../manifest/reference.js';
import { renderTemplate } from '../manifest/template.js';
import { nearestNames } from '../suggest.js';
import { isValidEnvName, normalizeEnvName } from './env-name.js';
import { checkEnvValue, createEnvRecord } from './env-record.js';
import { isGuardedName } from './expand-guard.js';
import { buildValueSecrecy } from './value-secrecy.js';

// Where one resolved variable's value came from (never the value itself).
export interface VariableOrigin {
  readonly name: string;
  readonly kind: 'reference' | 'template' | 'expand' | 'default';
  /** The references used, as written: `secret/db#password`, or the expanded path. */
  readonly refs: readonly string[];
  readonly where: string;
  /** Whether anything of the value is masked (false for values the manifest marks not secret). */
  readonly masked: boolean;
  /** A dynamic secret `check` did not read (it would create a database user); the value is empty. */
  readonly notRead?: boolean;
}

// Something that kept a variable from resolving. `unavailable` problems are the source's
// fault (retry later); the others are the manifest's or the data's.
export interface ResolveProblem {
  readonly name: string;
  readonly ref: string;
  readonly kind: 'missing' | 'forbidden' | 'unavailable' | 'conflict' | 'invalid';
  readonly reason: string;
  readonly where: string;
}

// The secret layer of an environment: values, their origins, and what went wrong.
export interface SecretLayer {
  readonly values: Readonly<Record<string, string>>;
  readonly origins: readonly VariableOrigin[];
  readonly problems: readonly ResolveProblem[];
  /** Optional variables left unset because their reference found nothing (check lists them). */
  readonly unset: readonly ResolveProblem[];
  /**
   * Every secret value used, for masking: values of fields not marked `mask: false`, and a
   * template holding one as a whole. Defaults and a template's literal text are not secrets.
   */
  readonly secretValues: readonly string[];
}

// Env values are strings: text as is, numbers and booleans printed, null empty, and
// objects/arrays as JSON (as envconsul and Vault's `-field` do).
export function fieldToString(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function requestsOf(manifest: Manifest): SecretRequest[] {
  const byKey = new Map<string, SecretRequest>();
  const add = (path: string, version: number | undefined): void => {
    const request: SecretRequest = version === undefined ? { path } : { path, version };
    byKey.set(requestKey(request), request);
  };
  for (const variable of manifest.variables) {
    const refs = variable.kind === 'reference' ? [variable.ref] : variable.parts.flatMap((part) => (part.kind === 'ref' ? [part.ref] : []));
    for (const ref of refs) add(ref.path, ref.version);
  }
  for (const expansion of manifest.expand) add(expansion.path, expansion.version);
  return [...byKey.values()];
}

function readFailure(read: SecretRead | undefined, field: string | undefined): { kind: ResolveProblem['kind']; reason: string } | undefined {
  if (read === undefined || read.status === 'missing') return { kind: 'missing', reason: read?.reason ?? 'no secret at this path' };
  if (read.status === 'forbidden') return { kind: 'forbidden', reason: `permission denied (${read.reason})` };
  if (read.status === 'unavailable') return { kind: 'unavailable', reason: `source unavailable (${read.reason})` };
  if (read.status === 'dynamic') return undefined;
  if (field !== undefined && !Object.hasOwn(read.secret.data, field)) {
    // Field names are not values: listing them is what makes a typo obvious.
    const fields = Object.keys(read.secret.data);
    const nearest = nearestNames(field, fields);
    const hint = nearest.length > 0 ? `did you mean ${nearest.map((name) => `'${name}'`).join(', ')}? ` : '';
    return { kind: 'missing', reason: `no field '${field}' in this secret (${hint}fields: ${fields.join(', ') || 'none'})` };
  }
  return undefined;
}

// Resolves every reference of a manifest with one readSecrets call (each distinct path
// once). Never throws for missing data: problems are returned so callers can list them all.
export async function resolveSecrets(manifest: Manifest, source: SecretSource): Promise<SecretLayer> {
  const reads = await source.readSecrets(requestsOf(manifest));
  const values = createEnvRecord();
  const origins: VariableOrigin[] = [];
  const problems: ResolveProblem[] = [];
  const unset: ResolveProblem[] = [];
  const secretValues = new Set<string>();
  const definedAt = new Map<string, string>();
  const secrecy = buildValueSecrecy(manifest);

  const readOf = (ref: Reference): SecretRead | undefined => reads.get(requestKey(ref.version === undefined ? { path: ref.path } : { path: ref.path, version: ref.version }));
  const lookup = (ref: Reference): { value: string } | { kind: ResolveProblem['kind']; reason: string } => {
    const read = readOf(ref);
    if (read?.status === 'dynamic') return { value: '' };
    const failure = readFailure(read, ref.field);
    if (failure || read?.status !== 'found') return failure ?? { kind: 'missing', reason: 'no secret at this path' };
    return { value: fieldToString(read.secret.data[ref.field] ?? null) };
  };

  for (const variable of manifest.variables) {
    definedAt.set(variable.name, variable.where);
    const refs = variable.kind === 'reference' ? [variable.ref] : variable.parts.flatMap((part) => (part.kind === 'ref' ? [part.ref] : []));
    const failures = refs.flatMap((ref) => {
      const result = lookup(ref);
      return 'value' in result ? [] : [{ ref, ...result }];
    });
    const hardFailure = failures.find((failure) => failure.kind !== 'missing' || !variable.optional);
    if (failures.length > 0) {
      // Unavailable and forbidden are never silently optional: the data may well exist.
      if (hardFailure) {
        for (const failure of failures) {
          problems.push({ name: variable.name, ref: formatReference(failure.ref), kind: failure.kind, reason: failure.reason, where: variable.where });
        }
      } else if (variable.kind === 'reference' && variable.default !== undefined) {
        const invalid = checkEnvValue(variable.default);
        if (invalid) problems.push({ name: variable.name, ref: formatReference(variable.ref), kind: 'invalid', reason: `default ${invalid}`, where: variable.where });
        else {
          values[variable.name] = variable.default;
          origins.push({ name: variable.name, kind: 'default', refs: [formatReference(variable.ref)], where: variable.where, masked: false });
        }
      } else {
        for (const failure of failures) unset.push({ name: variable.name, ref: formatReference(failure.ref), kind: failure.kind, reason: failure.reason, where: variable.where });
      }
      continue;
    }
    const fieldValues = refs.map((ref) => {
      const result = lookup(ref);
      return 'value' in result ? result.value : '';
    });
    let index = 0;
    const value = variable.kind === 'reference' ? (fieldValues[0] ?? '') : (renderTemplate(variable.parts, () => fieldValues[index++]) ?? '');
    const invalid = checkEnvValue(value);
    if (invalid) {
      problems.push({ name: variable.name, ref: refs.map(formatReference).join(', '), kind: 'invalid', reason: invalid, where: variable.where });
      continue;
    }
    // A template with a secret part is masked as a whole (one replacement for a printed URL)
    // and part by part (the password printed alone).
    const secretParts = variable.mask ? fieldValues.filter((_, at) => secrecy.isSecret(refs[at] as Reference)) : [];
    for (const part of secretParts) secretValues.add(part);
    if (secretParts.length > 0) secretValues.add(value);
    values[variable.name] = value;
    const notRead = refs.some((ref) => readOf(ref)?.status === 'dynamic');
    origins.push({ name: variable.name, kind: variable.kind, refs: refs.map(formatReference), where: variable.where, masked: secretParts.length > 0, ...(notRead ? { notRead } : {}) });
  }

  for (const expansion of manifest.expand) {
    const pathRef = expansion.version === undefined ? expansion.path : `${expansion.path}@${expansion.version}`;
    const read = reads.get(requestKey(expansion.version === undefined ? { path: expansion.path } : { path: expansion.path, version: expansion.version }));
    if (read?.status === 'dynamic') {
      origins.push({ name: `${expansion.prefix}*`, kind: 'expand', refs: [pathRef], where: expansion.where, masked: true, notRead: true });
      continue;
    }
    const failure = readFailure(read, undefined);
    if (failure || read?.status !== 'found') {
      const problem = failure ?? { kind: 'missing' as const, reason: 'no secret at this path' };
      (problem.kind !== 'missing' || !expansion.optional ? problems : unset).push({ name: `${expansion.prefix}*`, ref: pathRef, ...problem, where: expansion.where });
      continue;
    }
    for (const [field, raw] of Object.entries(read.secret.data)) {
      const name = normalizeEnvName(expansion.prefix, field);
      const ref = `${expansion.path}#${field}`;
      const first = definedAt.get(name);
      if (!isValidEnvName(name)) {
        problems.push({ name, ref, kind: 'conflict', reason: 'field does not make a valid variable name; set a prefix', where: expansion.where });
      } else if (first !== undefined) {
        problems.push({ name, ref, kind: 'conflict', reason: `variable defined twice (also at ${first})`, where: expansion.where });
      } else if (isGuardedName(name, expansion.allow)) {
        problems.push({ name, ref, kind: 'conflict', reason: `expand does not set ${name}, which changes what programs load or run; add it to this expansion's allow to set it`, where: expansion.where });
      } else {
        const value = fieldToString(raw);
        const invalid = checkEnvValue(value);
        if (invalid) {
          problems.push({ name, ref, kind: 'invalid', reason: invalid, where: expansion.where });
          continue;
        }
        definedAt.set(name, `${expansion.where} (${ref})`);
        values[name] = value;
        const masked = secrecy.isSecretField(expansion.path, field);
        if (masked) secretValues.add(value);
        origins.push({ name, kind: 'expand', refs: [ref], where: expansion.where, masked });
      }
    }
  }
  return { values, origins, problems, unset, secretValues: [...secretValues] };
}

// One line per problem, naming the variable and the reference, never a value.
export function formatResolveProblem(problem: ResolveProblem): string {
  return `${problem.name}: ${problem.ref}: ${problem.reason} (${problem.where})`;
}
