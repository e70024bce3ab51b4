import { hashAuditValue } from '../../audit/audit-hash.js';
import { buildAuditDevice, disableAuditDevice, normalizeAuditPath, readAuditSalt, readAuditTable, renderAuditTable, writeAuditDevice, type AuditDevice } from '../../audit/audit-table.js';
import { invalidRequest, SecretrunError } from '../../errors.js';
import type { RandomBytes } from '../../sys/mounts.js';
import { dataResponse, none, type AcceptedFields, type LogicalResponse, type Served } from '../logical.js';
import type { RouteContext } from './route-context.js';

// Vault's audit endpoints (vault/logical_system.go): `sys/audit` lists the devices (with the
// legacy top-level copy of `data`), `sys/audit/<path>` enables and disables one, and
// `sys/audit-hash/<path>` hashes a value with a device's salt so a log can be searched.

// What enabling needs besides the store: randomness, and the process's audit devices, which
// open the new device and write Vault's test entry before it is stored (absent where nothing
// is audited, e.g. a handler built without audit).
export interface SysAuditOptions {
  random: RandomBytes;
  probeAuditDevice?: ((path: string, device: AuditDevice) => void) | undefined;
}

const pathFields = {
  table: [],
  device: ['path', 'type', 'description', 'options', 'local'],
  hash: ['path', 'input'],
} as const satisfies Record<string, AcceptedFields>;

function unsupported(): never {
  throw new SecretrunError('unsupported_operation', 'unsupported operation');
}

// `sys/audit` and `sys/audit/<path>`; `rest` is what follows `sys/audit`.
export function routeSysAudit(rest: string, context: RouteContext, options: SysAuditOptions): Served {
  const path = rest.replace(/^\/+/, '');
  if (path === '') return { response: readTable(context), fields: pathFields.table };
  return { response: serveDevice(path, context, options), fields: pathFields.device };
}

function readTable(context: RouteContext): LogicalResponse {
  if (context.request.operation !== 'read') return unsupported();
  return { kind: 'data', data: renderAuditTable(readAuditTable(context.storage)), legacySys: true };
}

function serveDevice(path: string, context: RouteContext, options: SysAuditOptions): LogicalResponse {
  const { request, storage } = context;
  switch (request.operation) {
    case 'create':
    case 'update': {
      const built = buildAuditDevice(storage, path, request.data, options.random);
      options.probeAuditDevice?.(built.path, built.device);
      writeAuditDevice(storage, built.path, built.device, options.random);
      return none;
    }
    case 'delete':
      disableAuditDevice(storage, path);
      return none;
    default:
      return unsupported();
  }
}

// `sys/audit-hash/<path>` `{"input": "..."}` → `{"hash": "hmac-sha256:..."}`.
export function routeSysAuditHash(rest: string, context: RouteContext): Served {
  return { response: serveHash(rest, context), fields: pathFields.hash };
}

function serveHash(rest: string, context: RouteContext): LogicalResponse {
  const { request, storage } = context;
  if (request.operation !== 'update' && request.operation !== 'create') return unsupported();
  const raw = request.data['input'];
  if (raw !== undefined && raw !== null && typeof raw === 'object') throw invalidRequest('input must be a string');
  const input = raw === undefined || raw === null ? '' : String(raw);
  if (input === '') throw invalidRequest('the "input" parameter is empty');
  const path = normalizeAuditPath(rest);
  const device = readAuditTable(storage)[path];
  const salt = device === undefined ? undefined : readAuditSalt(storage, device);
  if (salt === undefined) throw invalidRequest(`unknown audit backend ${JSON.stringify(path)}`);
  return dataResponse({ hash: hashAuditValue(salt, input) });
}
