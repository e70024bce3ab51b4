import { renderTable } from './columns.js';
import { compareGoStrings } from '../../go/string-order.js';
import { renderGoValue } from '../../go/value.js';

// What an entry of `GET /v1/sys/mounts` (Vault's api.MountOutput) and one of `GET /v1/sys/auth`
// (api.AuthMount) have in common, as far as the tables show it.
export interface MountCommon {
  type: string;
  description?: string;
  accessor?: string;
  local?: boolean;
  seal_wrap?: boolean;
  external_entropy_access?: boolean;
  options?: Readonly<Record<string, string>> | null;
  uuid?: string;
  plugin_version?: string;
  running_plugin_version?: string;
  running_sha256?: string;
  deprecation_status?: string;
}

// One entry of `GET /v1/sys/mounts`, as far as `secrets list` shows it.
export interface MountOutput extends MountCommon {
  config?: {
    default_lease_ttl?: number;
    max_lease_ttl?: number;
    force_no_cache?: boolean;
    plugin_name?: string;
  };
}

// The detailed tables' columns from Replication on, the same for secrets engines and auth methods.
export function renderCommonColumns(mount: MountCommon): string[] {
  return [
    mount.local === true ? 'local' : 'replicated',
    String(mount.seal_wrap ?? false),
    String(mount.external_entropy_access ?? false),
    renderGoValue(mount.options ?? {}),
    mount.description ?? '',
    mount.uuid ?? '',
    mount.plugin_version ?? '',
    mount.running_plugin_version ?? '',
    mount.running_sha256 ?? '',
    mount.deprecation_status ?? '',
  ];
}

// `secrets list` table: mount paths sorted, `Path | Type | Accessor | Description`.
export function renderMountsTable(mounts: Readonly<Record<string, MountOutput>>): string {
  const rows = sortedPaths(mounts).map((path) => {
    const mount = mounts[path] as MountOutput;
    return [path, mount.type, mount.accessor ?? '', mount.description ?? ''].join(' | ');
  });
  return renderTable(['Path | Type | Accessor | Description', ...rows]);
}

const detailedHeader = [
  'Path',
  'Plugin',
  'Accessor',
  'Default TTL',
  'Max TTL',
  'Force No Cache',
  'Replication',
  'Seal Wrap',
  'External Entropy Access',
  'Options',
  'Description',
  'UUID',
  'Version',
  'Running Version',
  'Running SHA256',
  'Deprecation Status',
].join(' | ');

// `secrets list -detailed` table. TTLs are raw seconds, `system` when unset, blank (n/a) for
// the system and cubbyhole mounts; options print as a Go map (`map[version:2]`).
export function renderMountsDetailedTable(mounts: Readonly<Record<string, MountOutput>>): string {
  const rows = sortedPaths(mounts).map((path) => {
    const mount = mounts[path] as MountOutput;
    const config = mount.config ?? {};
    const plugin = mount.type === 'plugin' ? (config.plugin_name ?? '') : mount.type;
    return [
      path,
      plugin,
      mount.accessor ?? '',
      renderTtl(mount.type, config.default_lease_ttl ?? 0),
      renderTtl(mount.type, config.max_lease_ttl ?? 0),
      String(config.force_no_cache ?? false),
      ...renderCommonColumns(mount),
    ].join(' | ');
  });
  return renderTable([detailedHeader, ...rows]);
}

function renderTtl(type: string, ttl: number): string {
  if (type === 'system' || type === 'cubbyhole') return '';
  return ttl !== 0 ? String(ttl) : 'system';
}

// The paths of a mount or auth table, in the vault CLI's order.
export function sortedPaths(mounts: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(mounts).sort(compareGoStrings);
}
