import { environmentNeededError, fillEnvironment, unknownEnvironmentError, usesEnvironment } from './environment.js';
import type { RawEnvValue, RawManifest, RawSource } from './raw-manifest.js';
import { formatDataPath } from './yaml-location.js';

// One `env:` entry and the map it was written in (for positions in messages).
export interface EnvEntry {
  readonly name: string;
  readonly value: RawEnvValue;
  /** The data path of the map holding it: ['env'] or ['environments', 'prod', 'env']. */
  readonly at: readonly string[];
}

// The manifest's data for one environment: its variables over the base ones (by name), its
// dotenv files after the base ones (later files win), its source instead of the base one, and
// `{{env}}` filled in everywhere it may stand.
export interface EnvironmentSelection {
  readonly entries: readonly EnvEntry[];
  readonly raw: RawManifest;
  /** The environments the manifest defines, in the order written. */
  readonly names: readonly string[];
  /** Where `{{env}}` is first used although no environment was chosen (lenient only). */
  readonly needed: string | undefined;
}

function isMapOf<T>(value: unknown): value is Record<string, T> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Applies environment `name` (undefined: none chosen) to validated data. Throws 'usage' for a
// name the manifest does not define, and for `{{env}}` used when none was chosen. With
// `lenient` (the schema failed: only template problems are still being collected) it never
// throws and fills a stand-in name. Pure.
export function selectEnvironment(raw: RawManifest, name: string | undefined, file: string, lenient = false): EnvironmentSelection {
  const blocks = isMapOf<unknown>(raw.environments) ? raw.environments : {};
  const names = Object.keys(blocks);
  if (name !== undefined && !Object.hasOwn(blocks, name) && !lenient) throw unknownEnvironmentError(file, name, names);
  const block = name !== undefined && Object.hasOwn(blocks, name) ? raw.environments?.[name] : undefined;
  let needed: string | undefined;
  const fill = <T extends string | undefined>(text: T, path: readonly (string | number)[]): T => {
    if (text === undefined) return text;
    if (name === undefined && needed === undefined && usesEnvironment(text)) needed = formatDataPath(path);
    return fillEnvironment(text, name ?? 'env') as T;
  };
  const fillValue = (value: RawEnvValue, path: readonly string[]): RawEnvValue => {
    if (typeof value === 'string') return fill(value, path);
    if (!isMapOf<unknown>(value)) return value;
    return { ...value, ref: fill(value.ref, [...path, 'ref']), template: fill(value.template, [...path, 'template']) };
  };
  const entriesOf = (env: unknown, at: readonly string[]): EnvEntry[] =>
    isMapOf<RawEnvValue>(env) ? Object.entries(env).map(([key, value]) => ({ name: key, value: fillValue(value, [...at, key]), at })) : [];
  const own = entriesOf(block?.env, ['environments', name ?? '', 'env']);
  const overridden = new Set(own.map((entry) => entry.name));
  const entries = [...entriesOf(raw.env, ['env']).filter((entry) => !overridden.has(entry.name)), ...own];
  const sourceAt = block?.source === undefined ? ['source'] : ['environments', name ?? '', 'source'];
  const source: RawSource | undefined = block?.source ?? raw.source;
  const dotenv = [...(Array.isArray(raw.dotenv) ? raw.dotenv : []).map((file, index) => fill(file, ['dotenv', index]))];
  if (Array.isArray(block?.dotenv)) dotenv.push(...block.dotenv.map((file, index) => fill(file, ['environments', name ?? '', 'dotenv', index])));
  const selected: RawManifest = {
    ...raw,
    expand: Array.isArray(raw.expand) ? raw.expand.map((entry, index) => (isMapOf<unknown>(entry) ? { ...entry, path: fill(entry.path, ['expand', index, 'path']) } : entry)) : raw.expand,
    dotenv,
    source: isMapOf<unknown>(source) ? fillSource(source as RawSource, (text, key) => fill(text, [...sourceAt, key])) : source,
  };
  if (needed !== undefined && !lenient) throw environmentNeededError(file, needed, names);
  return { entries, raw: selected, names, needed };
}

// A source with `{{env}}` filled in its store path and server address.
function fillSource(source: RawSource, fill: (text: string | undefined, key: string) => string | undefined): RawSource {
  const filled: RawSource = { ...source };
  if (source.store !== undefined) filled.store = fill(source.store, 'store');
  if (source.address !== undefined) filled.address = fill(source.address, 'address');
  return filled;
}
