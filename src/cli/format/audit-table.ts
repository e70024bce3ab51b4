import { compareGoStrings } from '../../go/string-order.js';
import { renderTable } from './columns.js';

// One entry of `GET /v1/sys/audit` (Vault's api.Audit).
export interface AuditOutput {
  type?: string;
  description?: string;
  options?: Readonly<Record<string, string>> | null;
  local?: boolean;
  path?: string;
}

function sortedPaths(audits: Readonly<Record<string, AuditOutput>>): string[] {
  return Object.keys(audits).sort(compareGoStrings);
}

// `audit list`: `Path | Type | Description`, paths sorted.
export function renderAuditTable(audits: Readonly<Record<string, AuditOutput>>): string {
  const rows = sortedPaths(audits).map((path) => {
    const audit = audits[path] as AuditOutput;
    return [audit.path ?? path, audit.type ?? '', audit.description ?? ''].join(' | ');
  });
  return renderTable(['Path | Type | Description', ...rows]);
}

// `audit list -detailed`: with replication and the options as `k=v` pairs (sorted here; Vault
// prints them in Go's random map order).
export function renderAuditDetailedTable(audits: Readonly<Record<string, AuditOutput>>): string {
  const rows = sortedPaths(audits).map((path) => {
    const audit = audits[path] as AuditOutput;
    const options = Object.keys(audit.options ?? {})
      .sort(compareGoStrings)
      .map((name) => `${name}=${audit.options?.[name] ?? ''}`)
      .join(' ');
    return [path, audit.type ?? '', audit.description ?? '', audit.local === true ? 'local' : 'replicated', options].join(' | ');
  });
  return renderTable(['Path | Type | Description | Replication | Options', ...rows]);
}
