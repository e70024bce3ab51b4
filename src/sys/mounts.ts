import { SecretrunError, invalidRequest } from '../errors.js';
import type { Storage } from '../store/storage.js';
import type { JsonValue } from '../json.js';
import { decodeBool, decodeMap } from '../kv/field-decode.js';
import { isJsonObject } from '../json.js';
import { mountPrefix } from '../kv/kv-scope.js';
import { rotationPrefix, staticAccountPrefix } from './lease-keys.js';
import { listScheduledItems, scheduleItem } from './lease-schedule.js';

// Fills a buffer with random bytes; injected so the mounts table stays pure.
export type RandomBytes = (length: number) => Uint8Array;

// A mount's lease settings, as Vault reports them (seconds).
export interface MountConfig {
  default_lease_ttl: number;
  force_no_cache: boolean;
  max_lease_ttl: number;
}

// One entry of the mounts table, in Vault's `sys/mounts` wire shape (keys in Go's order).
export interface Mount {
  accessor: string;
  config: MountConfig;
  deprecation_status: 'supported';
  description: string;
  external_entropy_access: boolean;
  local: boolean;
  options: Record<string, string> | null;
  plugin_version: '';
  running_plugin_version: string;
  running_sha256: '';
  seal_wrap: boolean;
  type: 'kv' | 'system' | 'database';
  uuid: string;
}

// Mount path (with trailing `/`) → mount.
export type MountTable = Record<string, Mount>;

// The KV version of a kv mount.
export type KvVersion = 1 | 2;

// Body of `POST sys/mounts/<path>`.
export interface EnableMountInput {
  type?: unknown;
  description?: unknown;
  options?: unknown;
  config?: unknown;
  local?: unknown;
  seal_wrap?: unknown;
  external_entropy_access?: unknown;
}

// Body of `POST sys/mounts/<path>/tune`.
export interface TuneMountInput {
  description?: unknown;
  options?: unknown;
  default_lease_ttl?: unknown;
  max_lease_ttl?: unknown;
}

// Storage key of the mounts table.
export const mountsKey = 'sys/mounts';

const kvPluginVersion = 'v0.26.2+builtin';
const systemPluginVersion = 'v1.21.0+builtin.vault';
// Vault refuses to mount anything at or below these paths.
const protectedPaths = ['sys/', 'auth/', 'audit/', 'cubbyhole/', 'identity/'];

const zeroConfig = (): MountConfig => ({ default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 });

function baseMount(type: Mount['type'], uuid: string, accessor: string, description: string): Mount {
  return {
    accessor,
    config: zeroConfig(),
    deprecation_status: 'supported',
    description,
    external_entropy_access: false,
    local: false,
    options: null,
    plugin_version: '',
    running_plugin_version: type === 'kv' ? kvPluginVersion : systemPluginVersion,
    running_sha256: '',
    seal_wrap: false,
    type,
    uuid,
  };
}

// The table of a new store: `secret/` as KV v2 (like `vault server -dev`) and the system mount.
// Its ids are fixed, not random, so a store that never wrote its table still finds the same
// `secret/` data on every read.
export function defaultMounts(): MountTable {
  const secret = baseMount('kv', '5ec8e7a0-0000-4000-8000-000000000001', 'kv_5ec8e7a0', 'key/value secret storage');
  secret.options = { version: '2' };
  const sys = baseMount(
    'system',
    '5ec8e7a0-0000-4000-8000-000000000000',
    'system_5ec8e7a0',
    'system endpoints used for control, policy and debugging',
  );
  return { 'secret/': secret, 'sys/': sys };
}

// The mounts table (the defaults until it is first written). Unsorted: finding a mount does not
// depend on order, and every listing of it (the JSON encoder, the CLI's table) sorts.
export function readMounts(storage: Storage): MountTable {
  const stored = storage.get(mountsKey);
  return isJsonObject(stored) ? (stored as unknown as MountTable) : defaultMounts();
}

function writeMounts(storage: Storage, table: MountTable): void {
  storage.put(mountsKey, table as unknown as JsonValue);
}

// A mount path as Vault stores it: no leading `/`, one trailing `/`.
export function normalizeMountPath(path: string): string {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

// The KV version of a mount, or undefined when it is not a kv mount.
export function kvVersionOf(mount: Mount): KvVersion | undefined {
  if (mount.type !== 'kv') return undefined;
  return mount.options?.version === '2' ? 2 : 1;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// A random version-4 uuid from injected randomness.
export function buildUuid(random: RandomBytes): string {
  const b = Uint8Array.from(random(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function stringOptions(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  const map = decodeMap(raw, 'options');
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(map)) {
    if (value === null) continue;
    if (typeof value === 'object') throw invalidRequest(`options value for "${name}" must be a string`);
    result[name] = String(value);
  }
  return result;
}

function checkKvVersion(options: Record<string, string>): void {
  const version = options.version;
  if (version !== undefined && version !== '' && version !== '1' && version !== '2') {
    throw invalidRequest(`invalid KV version "${version}": must be "1" or "2"`);
  }
}

// Mounts a KV engine at `path` (Vault `POST sys/mounts/<path>`). `kv-v2`/`kv-v1` are `kv` with
// options.version set. A path inside or around an existing mount is refused.
export function enableMount(storage: Storage, path: string, input: EnableMountInput, random: RandomBytes): Mount {
  const mountPath = normalizeMountPath(path);
  if (mountPath === '') throw invalidRequest('path cannot be empty');
  for (const reserved of protectedPaths) {
    if (mountPath.startsWith(reserved)) throw invalidRequest(`cannot mount "${mountPath}"`);
  }
  const type = typeof input.type === 'string' ? input.type : '';
  if (type === '') throw invalidRequest('backend type must be specified as a string');
  const options = stringOptions(input.options);
  if (type === 'kv-v2') options.version = '2';
  else if (type === 'kv-v1') options.version = '1';
  else if (type !== 'kv' && type !== 'database') throw invalidRequest(`plugin not found in the catalog: ${type}`);
  if (type === 'kv') checkKvVersion(options);

  const table = readMounts(storage);
  for (const existing of Object.keys(table)) {
    if (mountPath.startsWith(existing) || existing.startsWith(mountPath)) {
      throw invalidRequest(`path is already in use at ${existing}`);
    }
  }
  const kind = type === 'database' ? 'database' : 'kv';
  const mount = baseMount(kind, buildUuid(random), `${kind}_${hex(random(4))}`, typeof input.description === 'string' ? input.description : '');
  mount.options = Object.keys(options).length === 0 ? null : options;
  if (isJsonObject(input.config)) {
    const config = input.config;
    mount.config = {
      default_lease_ttl: typeof config.default_lease_ttl === 'number' ? config.default_lease_ttl : 0,
      force_no_cache: decodeBool(config.force_no_cache, 'force_no_cache'),
      max_lease_ttl: typeof config.max_lease_ttl === 'number' ? config.max_lease_ttl : 0,
    };
  }
  mount.local = decodeBool(input.local, 'local');
  mount.seal_wrap = decodeBool(input.seal_wrap, 'seal_wrap');
  mount.external_entropy_access = decodeBool(input.external_entropy_access, 'external_entropy_access');
  table[mountPath] = mount;
  writeMounts(storage, table);
  return mount;
}

// Unmounts `path` and deletes everything stored under it (Vault `DELETE sys/mounts/<path>`).
// Returns false when nothing was mounted there (Vault answers 204 all the same).
export function disableMount(storage: Storage, path: string): boolean {
  const mountPath = normalizeMountPath(path);
  if (protectedPaths.includes(mountPath)) throw invalidRequest(`cannot unmount "${mountPath}"`);
  const table = readMounts(storage);
  const mount = table[mountPath];
  if (mount === undefined) return false;
  for (const key of storage.list(mountPrefix(mount.uuid))) storage.delete(key);
  if (mount.type === 'database') {
    // Its connections and roles, and the runtime state of its static roles (its leases were
    // revoked before: sys-mounts.ts).
    for (const key of storage.list(`database/${mount.uuid}/`)) storage.delete(key);
    for (const key of storage.list(`${staticAccountPrefix}${mount.uuid}/`)) storage.delete(key);
    for (const item of listScheduledItems(storage)) if (item.startsWith(`${rotationPrefix}${mount.uuid}/`)) scheduleItem(storage, item, undefined);
  }
  delete table[mountPath];
  writeMounts(storage, table);
  return true;
}

// Changes a mount's description, lease TTLs or options (Vault `POST sys/mounts/<path>/tune`).
// Switching KV versions is refused: it would need Vault's in-place data upgrade.
export function tuneMount(storage: Storage, path: string, input: TuneMountInput): Mount {
  const mountPath = normalizeMountPath(path);
  const table = readMounts(storage);
  const mount = table[mountPath];
  if (mount === undefined) throw new SecretrunError('invalid_request', `no mount found at ${mountPath}`);
  if (input.description !== undefined && input.description !== null) {
    if (typeof input.description !== 'string') throw invalidRequest('description must be a string');
    mount.description = input.description;
  }
  if (typeof input.default_lease_ttl === 'number') mount.config.default_lease_ttl = input.default_lease_ttl;
  if (typeof input.max_lease_ttl === 'number') mount.config.max_lease_ttl = input.max_lease_ttl;
  if (input.options !== undefined && input.options !== null) {
    if (mount.type !== 'kv') throw invalidRequest(`options cannot be changed on the ${mount.type} mount`);
    const options = { ...(mount.options ?? {}), ...stringOptions(input.options) };
    checkKvVersion(options);
    const from = kvVersionOf(mount);
    const to = options.version === '2' ? 2 : 1;
    if (from !== to) {
      throw invalidRequest(
        `changing the KV version of ${mountPath} from ${from} to ${to} is not supported: enable a new kv-v${to} mount and copy the secrets`,
      );
    }
    mount.options = Object.keys(options).length === 0 ? null : options;
  }
  table[mountPath] = mount;
  writeMounts(storage, table);
  return mount;
}
