import { SecretrunError, invalidRequest } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import { decodeBool } from '../kv/field-decode.js';
import type { Storage } from '../store/storage.js';
import { buildUuid, type RandomBytes } from '../sys/mounts.js';
import { checkDeviceOptions } from './device-options.js';

// The audit device table (Vault's `core/audit`), kept in the committed store like the mount
// table: it is configuration a team shares. Each device has its own salt, a random uuid as in
// Vault's salt.NewSalt, under a key of its own so that listing the table never shows it.

// One enabled device. `uuid` names this enablement: disabling and enabling again at the same
// path gives a new device with a new salt, which is how other processes notice the change.
export interface AuditDevice {
  type: 'file';
  description: string;
  options: Record<string, string>;
  local: boolean;
  uuid: string;
}

// Device path (with trailing `/`) → device.
export type AuditTable = Record<string, AuditDevice>;

// Body of `PUT sys/audit/<path>`.
export interface EnableAuditInput {
  type?: unknown;
  description?: unknown;
  options?: unknown;
  local?: unknown;
}

// Storage key of the device table.
export const auditTableKey = 'sys/audit';
const saltPrefix = 'sys/audit-salt/';

// Storage key of a device's salt.
export function auditSaltKey(uuid: string): string {
  return `${saltPrefix}${uuid}`;
}

// The device table; empty when no device was ever enabled.
export function readAuditTable(storage: Storage): AuditTable {
  const stored = storage.get(auditTableKey);
  return isJsonObject(stored) ? (stored as unknown as AuditTable) : {};
}

// A device's salt, or undefined when the store lost it (the device cannot hash then).
export function readAuditSalt(storage: Storage, device: AuditDevice): string | undefined {
  const salt = storage.get(auditSaltKey(device.uuid));
  return typeof salt === 'string' && salt !== '' ? salt : undefined;
}

// A device path as Vault keeps it: no leading `/`, one trailing `/`; empty when none was given.
export function normalizeAuditPath(path: string): string {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

// Options as Vault's TypeKVPairs takes them: strings, with numbers and booleans spelled out.
function stringOptions(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isJsonObject(raw)) throw invalidRequest('options must be a map of strings');
  const options: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === null) continue;
    if (typeof value === 'object') throw invalidRequest('options must be string valued');
    options[name] = String(value);
  }
  return options;
}

// Checks what `PUT sys/audit/<path>` asks for and builds the device it would enable, without
// storing anything: the caller tests that the device can write before it is committed.
export function buildAuditDevice(storage: Storage, path: string, input: EnableAuditInput, random: RandomBytes): { path: string; device: AuditDevice } {
  const devicePath = normalizeAuditPath(path);
  if (devicePath === '') throw invalidRequest('backend path must be specified');
  const table = readAuditTable(storage);
  for (const existing of Object.keys(table)) {
    if (devicePath.startsWith(existing) || existing.startsWith(devicePath)) throw invalidRequest('path already in use');
  }
  if (input.type !== undefined && typeof input.type !== 'string') throw invalidRequest('type must be a string');
  const type = input.type ?? '';
  if (type !== 'file') {
    throw new SecretrunError('invalid_request', `unknown backend type: ${JSON.stringify(type)}`, {
      hint: 'secretrun serves the file audit device: secretrun audit enable file file_path=PATH',
    });
  }
  if (input.description !== undefined && input.description !== null && typeof input.description !== 'string') {
    throw invalidRequest('description must be a string');
  }
  const options = stringOptions(input.options);
  const config = checkDeviceOptions(options);
  if (config.target.kind !== 'discard') {
    for (const [existingPath, existing] of Object.entries(table)) {
      const other = checkDeviceOptions(existing.options).target;
      if (other.kind === config.target.kind && (other.kind === 'stdout' || (other.kind === 'file' && config.target.kind === 'file' && other.path === config.target.path))) {
        throw invalidRequest(`"file_path" ${JSON.stringify(options['file_path'] ?? options['path'] ?? '')} already in use on device: ${JSON.stringify(existingPath)}`);
      }
    }
  }
  const device: AuditDevice = {
    type,
    description: typeof input.description === 'string' ? input.description : '',
    options,
    local: decodeBool(input.local, 'local'),
    uuid: buildUuid(random),
  };
  return { path: devicePath, device };
}

// Stores a device built by buildAuditDevice, with a new random salt.
export function writeAuditDevice(storage: Storage, path: string, device: AuditDevice, random: RandomBytes): void {
  const table = readAuditTable(storage);
  table[path] = device;
  storage.put(auditTableKey, table as unknown as JsonValue);
  storage.put(auditSaltKey(device.uuid), buildUuid(random));
}

// Disables the device at `path` and forgets its salt. Returns false when there was none
// (Vault answers 204 all the same).
export function disableAuditDevice(storage: Storage, path: string): boolean {
  const devicePath = normalizeAuditPath(path);
  if (devicePath === '') throw invalidRequest('audit device path must be specified');
  const table = readAuditTable(storage);
  const device = table[devicePath];
  if (device === undefined) return false;
  delete table[devicePath];
  if (Object.keys(table).length === 0) storage.delete(auditTableKey);
  else storage.put(auditTableKey, table as unknown as JsonValue);
  storage.delete(auditSaltKey(device.uuid));
  return true;
}

// `GET sys/audit`: each device as Vault lists it (the salt and uuid stay out).
export function renderAuditTable(table: AuditTable): JsonObject {
  const data: JsonObject = {};
  for (const [path, device] of Object.entries(table)) {
    data[path] = { description: device.description, local: device.local, options: device.options, path, type: device.type };
  }
  return data;
}
