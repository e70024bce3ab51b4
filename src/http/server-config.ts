import { promises as fs } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { SecretrunError } from '../errors.js';

// The `-config=FILE` of `secretrun server`. Vault writes this file in HCL; we read YAML or
// JSON (JSON is YAML) with Vault's names, in either of two shapes:
//   storage: { path: ./store.json }              listener: { address: 127.0.0.1:8200, tls_disable: true }
//   storage: { file: { path: ./store.json } }    listener: { tcp: { address: ..., tls_cert_file: ..., tls_key_file: ... } }
// The second is Vault's own JSON config form. As in Vault, a listener without
// `tls_disable` needs a certificate, and relative paths are relative to the working directory.

// Where the server keeps its data: the encrypted store file, or memory (Vault's `inmem`).
export type StorageConfig = { kind: 'file'; path: string } | { kind: 'memory' };

// The one TCP listener.
export interface ListenerConfig {
  host: string;
  port: number;
  /** PEM file paths; undefined when `tls_disable` is set. */
  tls: { certFile: string; keyFile: string } | undefined;
  /** Vault's `max_request_size` in bytes, when given. */
  maxRequestBytes: number | undefined;
}

// A validated server config file.
export interface ServerConfig {
  storage: StorageConfig | undefined;
  listener: ListenerConfig;
}

const defaultAddress = '127.0.0.1:8200';
// Vault top-level settings that mean nothing to secretrun; accepted so Vault configs load.
const ignoredTopLevel = new Set(['ui', 'api_addr', 'cluster_addr', 'disable_mlock', 'log_level', 'default_lease_ttl', 'max_lease_ttl', 'cluster_name']);
const listenerKeys = new Set(['address', 'tls_cert_file', 'tls_key_file', 'tls_disable', 'max_request_size']);

type Fields = Record<string, unknown>;

// Parses and validates the text of config file `file` (named in every error).
export function parseServerConfig(text: string, file: string): ServerConfig {
  const fail = (key: string, problem: string): SecretrunError =>
    new SecretrunError('input', `invalid server config ${file}: ${key} ${problem}`, { hint: 'Fix the file and start the server again.' });
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n', 1)[0] ?? '') : 'unreadable';
    throw new SecretrunError('input', `invalid server config ${file}: not YAML or JSON: ${reason}`, { cause: error });
  }
  const top = document ?? {};
  if (!isFields(top)) throw fail('(top level)', `must be a mapping, got ${describe(top)}`);
  for (const key of Object.keys(top)) {
    if (key !== 'storage' && key !== 'listener' && !ignoredTopLevel.has(key)) throw fail(key, 'is not a known setting');
  }
  return { storage: parseStorage(top.storage, fail), listener: parseListener(top.listener, fail) };
}

// Reads and parses config file `file`.
export async function readServerConfig(file: string): Promise<ServerConfig> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new SecretrunError('input', `cannot read server config ${file}: ${code}`, { cause: error });
  }
  return parseServerConfig(text, file);
}

type Fail = (key: string, problem: string) => SecretrunError;

function parseStorage(value: unknown, fail: Fail): StorageConfig | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isFields(value)) throw fail('storage', `must be a mapping, got ${describe(value)}`);
  if ('file' in value || 'inmem' in value) {
    const [type, ...others] = Object.keys(value);
    if (others.length > 0) throw fail('storage', 'must name exactly one storage type');
    if (type === 'inmem') return { kind: 'memory' };
    return parseFileStorage(value.file, 'storage.file', fail);
  }
  return parseFileStorage(value, 'storage', fail);
}

function parseFileStorage(value: unknown, key: string, fail: Fail): StorageConfig {
  if (!isFields(value)) throw fail(key, `must be a mapping, got ${describe(value)}`);
  for (const name of Object.keys(value)) if (name !== 'path') throw fail(`${key}.${name}`, 'is not a known setting');
  const path = value.path;
  if (typeof path !== 'string' || path === '') throw fail(`${key}.path`, `must be a non-empty string, got ${describe(path)}`);
  return { kind: 'file', path };
}

function parseListener(value: unknown, fail: Fail): ListenerConfig {
  let key = 'listener';
  let fields: unknown = value ?? {};
  if (Array.isArray(fields)) {
    if (fields.length !== 1) throw fail(key, `must be one listener (secretrun serves one address), got ${fields.length}`);
    fields = fields[0];
    key = 'listener[0]';
  }
  if (!isFields(fields)) throw fail(key, `must be a mapping, got ${describe(fields)}`);
  if ('tcp' in fields) {
    if (Object.keys(fields).length > 1) throw fail(key, 'must name exactly one listener type');
    fields = fields.tcp ?? {};
    key = `${key}.tcp`;
    if (!isFields(fields)) throw fail(key, `must be a mapping, got ${describe(fields)}`);
  }
  const listener = fields;
  for (const name of Object.keys(listener)) if (!listenerKeys.has(name)) throw fail(`${key}.${name}`, 'is not a known setting');

  const address = listener.address ?? defaultAddress;
  if (typeof address !== 'string') throw fail(`${key}.address`, `must be a string "host:port", got ${describe(address)}`);
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(address);
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw fail(`${key}.address`, `must be "host:port" with a port from 0 to 65535, got ${JSON.stringify(address)}`);
  const host = match[1] ?? (match[2] === '' ? '0.0.0.0' : (match[2] ?? ''));

  const tlsDisable = parseBool(listener.tls_disable ?? false);
  if (tlsDisable === undefined) throw fail(`${key}.tls_disable`, `must be a boolean, got ${describe(listener.tls_disable)}`);
  let tls: ListenerConfig['tls'];
  if (!tlsDisable) {
    const certFile = listener.tls_cert_file;
    const keyFile = listener.tls_key_file;
    if (typeof certFile !== 'string' || certFile === '') {
      throw fail(`${key}.tls_cert_file`, `must be set (a PEM file path) unless ${key}.tls_disable is true, got ${describe(certFile)}`);
    }
    if (typeof keyFile !== 'string' || keyFile === '') {
      throw fail(`${key}.tls_key_file`, `must be set (a PEM file path) unless ${key}.tls_disable is true, got ${describe(keyFile)}`);
    }
    tls = { certFile, keyFile };
  }

  const size = listener.max_request_size;
  if (size !== undefined && !(typeof size === 'number' && Number.isSafeInteger(size) && size > 0)) {
    throw fail(`${key}.max_request_size`, `must be a positive number of bytes, got ${describe(size)}`);
  }
  return { host, port, tls, maxRequestBytes: size };
}

// Go's strconv.ParseBool, which Vault applies to `tls_disable` (so `1` and "true" both work).
function parseBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== 'string') return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${JSON.stringify(value)} (${typeof value})`;
};
