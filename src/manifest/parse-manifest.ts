import { resolve } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Node } from 'yaml';
import { SecretrunError } from '../errors.js';
import { validate } from './generated/validate-manifest.js';
import { defaultManifest, deepFreeze } from './manifest.js';
import { defaultHookTimeoutMs } from './manifest.js';
import type { Expansion, Hook, Hooks, Manifest, SourceSpec, VariableSpec } from './manifest.js';
import { selectEnvironment, type EnvEntry } from './environment-selection.js';
import { environmentNamePattern } from './environment.js';
import type { RawHook, RawManifest } from './raw-manifest.js';
import { tryParseDuration } from './duration.js';
import { tryParseReference, tryParseSecretPath } from './reference.js';
import { parseTemplate } from './template.js';
import { buildSchemaProblems, formatProblem, sortProblems } from './schema-problems.js';
import type { ManifestProblem } from './schema-problems.js';
import { checkAliases, maxAliasValues } from './yaml-aliases.js';
import { formatDataPath, locateKey, locateNode, nodePosition } from './yaml-location.js';

// Where a manifest's text came from: `file` names it in messages, `dir` anchors relative paths.
export interface ManifestOrigin {
  readonly file: string;
  readonly dir: string;
}

// Which of the manifest's environments to apply (docs/runner.md, Environments).
export interface ManifestChoice {
  /** The environment chosen with -env or SECRETRUN_ENV; undefined for none. */
  readonly environment?: string | undefined;
}

// YAML allows a key twice only with `uniqueKeys: false`; we parse that way so the error can
// name both places instead of stopping at yaml's generic message.
function findDuplicateKeys(doc: Document, lineCounter: LineCounter): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  visit(doc, {
    Map(key, map, path) {
      const seen = new Map<string, Node>();
      const segments: string[] = [];
      for (const step of path) {
        if (isMap(step) || isSeq(step)) continue;
        const key = (step as { key?: unknown }).key;
        if (isScalar(key)) segments.push(String(key.value));
      }
      // In a list the visitor's key is the item's index.
      if (typeof key === 'number') segments.push(String(key));
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        const first = seen.get(name);
        if (first) {
          const firstAt = nodePosition(first, lineCounter);
          problems.push({
            position: nodePosition(pair.key, lineCounter),
            path: formatDataPath([...segments, name]),
            problem: `defined twice (first at line ${firstAt.line})`,
          });
        } else seen.set(name, pair.key);
      }
    },
  });
  return problems;
}

// The document as plain data, or undefined with problems: aliases that multiply or name no
// anchor, and anything else converting fails on (yaml's own alias limit, nesting deeper than
// the stack). A hostile manifest is a bad manifest (exit 6), not an internal error.
function convert(doc: Document, lineCounter: LineCounter, problems: ManifestProblem[]): unknown {
  try {
    const aliasProblems = checkAliases(doc, lineCounter);
    problems.push(...aliasProblems);
    return aliasProblems.length > 0 ? undefined : (doc.toJS({ maxAliasCount: maxAliasValues }) ?? {});
  } catch (error) {
    problems.push({ position: { line: 1, col: 1 }, path: '', problem: `invalid YAML: ${(error as Error).message}` });
    return undefined;
  }
}

function syntaxProblems(doc: Document): ManifestProblem[] {
  return doc.errors.map((error) => {
    const [start] = error.linePos ?? [{ line: 1, col: 1 }];
    const firstLine = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    return { position: start, path: '', problem: `invalid YAML: ${firstLine}` };
  });
}

// Turns the validated entries into VariableSpecs, reporting template syntax problems with positions.
function buildVariables(entries: readonly EnvEntry[], doc: Document, lineCounter: LineCounter, file: string, problems: ManifestProblem[]): VariableSpec[] {
  const variables: VariableSpec[] = [];
  for (const { name, value, at } of entries) {
    if (typeof value !== 'string' && (value === null || typeof value !== 'object')) continue;
    const position = nodePosition(locateKey(doc, at, name), lineCounter);
    const where = `${file}:${position.line}:${position.col}`;
    if (typeof value === 'string' || value.ref !== undefined) {
      const text = typeof value === 'string' ? value : (value.ref ?? '');
      const ref = tryParseReference(text);
      if (!ref) continue; // the schema reported it
      const fallback = typeof value === 'string' ? undefined : value.default;
      const optional = typeof value !== 'string' && (value.optional === true || fallback !== undefined);
      const mask = typeof value === 'string' || value.mask !== false;
      variables.push({ kind: 'reference', name, ref, optional, default: fallback, mask, where });
      continue;
    }
    if (typeof value.template !== 'string') continue;
    const parsed = parseTemplate(value.template);
    if (!parsed.ok) {
      const node = locateNode(doc, [...at, name, 'template']).value;
      problems.push({ position: nodePosition(node, lineCounter), path: formatDataPath([...at, name, 'template']), problem: parsed.problem });
      continue;
    }
    variables.push({ kind: 'template', name, parts: parsed.parts, optional: value.optional === true, mask: value.mask !== false, where });
  }
  return variables;
}

function buildExpansions(raw: RawManifest, doc: Document, lineCounter: LineCounter, file: string): Expansion[] {
  return (raw.expand ?? []).map((entry, index) => {
    const position = nodePosition(locateNode(doc, ['expand', String(index)]).value, lineCounter);
    const parsed = tryParseSecretPath(entry.path) ?? { path: entry.path };
    return {
      path: parsed.path,
      version: parsed.version,
      prefix: entry.prefix ?? '',
      optional: entry.optional === true,
      mask: entry.mask !== false,
      allow: entry.allow ?? [],
      where: `${file}:${position.line}:${position.col}`,
    };
  });
}

function buildSource(raw: RawManifest, dir: string): SourceSpec {
  const source = raw.source;
  if (source?.address === undefined) {
    return { kind: 'store', store: source?.store === undefined ? undefined : resolve(dir, source.store) };
  }
  const auth = source.auth;
  return {
    kind: 'remote',
    address: source.address,
    tokenEnv: source.token_env ?? 'VAULT_TOKEN',
    auth: {
      method: auth?.method ?? 'token',
      roleIdEnv: auth?.role_id_env ?? 'VAULT_ROLE_ID',
      secretIdEnv: auth?.secret_id_env ?? 'VAULT_SECRET_ID',
      mount: auth?.mount,
    },
    pollIntervalMs: source.poll_interval === undefined ? undefined : (tryParseDuration(source.poll_interval) ?? undefined),
  };
}

function buildHook(raw: RawHook | undefined): Hook | undefined {
  if (raw === undefined) return undefined;
  const spec = typeof raw === 'string' || Array.isArray(raw) ? { command: raw, timeout: undefined } : raw;
  const timeoutMs = spec.timeout === undefined ? defaultHookTimeoutMs : (tryParseDuration(spec.timeout) ?? defaultHookTimeoutMs);
  return { command: spec.command, timeoutMs };
}

function buildHooks(raw: RawManifest): Hooks {
  return { preStart: buildHook(raw.hooks?.pre_start), onChange: buildHook(raw.hooks?.on_change) };
}

// Parses and validates manifest text into a frozen Manifest for the chosen environment, or
// throws 'manifest_invalid' listing every problem as `file:line:col: path: problem` ('usage'
// for an environment it does not define, or none chosen where `{{env}}` needs one). Pure:
// reads no files.
export function parseManifest(text: string, origin: ManifestOrigin, choice: ManifestChoice = {}): Manifest {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: true });
  const problems = syntaxProblems(doc);
  const data = problems.length === 0 ? convert(doc, lineCounter, problems) : undefined;
  if (data !== undefined) {
    problems.push(...findDuplicateKeys(doc, lineCounter));
    if (!validate(data)) problems.push(...buildSchemaProblems(validate.errors ?? [], doc, lineCounter));
    // Templates are checked even when the schema failed, so one run lists every problem.
    const valid = problems.length === 0;
    const selection = selectEnvironment(data as RawManifest, choice.environment, origin.file, !valid);
    const variables = buildVariables(selection.entries, doc, lineCounter, origin.file, problems);
    if (valid && problems.length === 0) {
      const environment = { environment: choice.environment, environments: selection.names };
      return buildManifest(selection.raw, variables, buildExpansions(selection.raw, doc, lineCounter, origin.file), origin, environment);
    }
  }
  const lines = sortProblems(problems).map((problem) => formatProblem(origin.file, problem));
  throw new SecretrunError('manifest_invalid', lines.join('\n'), {
    hint: 'Fix the manifest; its schema is schema/secretrun.schema.json.',
    details: lines,
  });
}

function buildManifest(
  raw: RawManifest,
  variables: VariableSpec[],
  expand: Expansion[],
  origin: ManifestOrigin,
  environment: Pick<Manifest, 'environment' | 'environments'>,
): Manifest {
  const base = defaultManifest(origin.dir, origin.file);
  const duration = (value: string | undefined, fallback: number): number =>
    value === undefined ? fallback : (tryParseDuration(value) ?? fallback);
  return deepFreeze({
    ...base,
    ...environment,
    variables,
    expand,
    dotenv: (raw.dotenv ?? []).map((file) => resolve(origin.dir, file)),
    pristine: raw.pristine ?? base.pristine,
    inherit: { allow: raw.inherit?.allow, deny: raw.inherit?.deny ?? [] },
    source: buildSource(raw, origin.dir),
    onChange: raw.on_change ?? base.onChange,
    leases: raw.leases ?? base.leases,
    reloadSignal: raw.reload_signal ?? base.reloadSignal,
    stopSignal: raw.stop_signal ?? base.stopSignal,
    killTimeoutMs: duration(raw.kill_timeout, base.killTimeoutMs),
    debounceMs: duration(raw.debounce, base.debounceMs),
    splayMs: duration(raw.splay, base.splayMs),
    mask: raw.mask === undefined || raw.mask === 'auto' ? 'auto' : raw.mask ? 'on' : 'off',
    githubMask: raw.github_mask ?? base.githubMask,
    keepCredentials: raw.keep_credentials ?? [],
    shell: raw.shell ?? false,
    once: raw.once ?? false,
    hooks: buildHooks(raw),
  });
}

// The environments a manifest text defines, in the order written, and where it uses `{{env}}`
// (so needs one), from any manifest that parses as YAML: `check` validates each environment.
// Pure.
export function parseManifestEnvironments(text: string): { names: string[]; needed: string | undefined } {
  const doc = parseDocument(text, { uniqueKeys: false });
  let data: unknown;
  try {
    data = doc.errors.length > 0 ? undefined : doc.toJS({ maxAliasCount: maxAliasValues });
  } catch {
    data = undefined;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { names: [], needed: undefined };
  const selection = selectEnvironment(data as RawManifest, undefined, '', true);
  return { names: selection.names.filter((name) => environmentNamePattern.test(name)), needed: selection.needed };
}
