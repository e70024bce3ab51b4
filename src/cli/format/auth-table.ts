import { renderTable } from './columns.js';
import { renderCommonColumns, sortedPaths, type MountCommon } from './mounts-table.js';

// One entry of `GET /v1/sys/auth` (Vault's api.AuthMount), as far as `auth list` shows it.
export interface AuthMountOutput extends MountCommon {
  config?: { default_lease_ttl?: number; max_lease_ttl?: number; token_type?: string };
}

// `auth list`: `Path | Type | Accessor | Description | Version`, paths sorted.
export function renderAuthTable(auths: Readonly<Record<string, AuthMountOutput>>): string {
  const rows = sortedPaths(auths).map((path) => {
    const mount = auths[path] as AuthMountOutput;
    return [path, mount.type, mount.accessor ?? '', mount.description ?? '', mount.plugin_version ?? ''].join(' | ');
  });
  return renderTable(['Path | Type | Accessor | Description | Version', ...rows]);
}

const detailedHeader =
  'Path | Plugin | Accessor | Default TTL | Max TTL | Token Type | Replication | Seal Wrap | External Entropy Access | Options | Description | UUID | Version | Running Version | Running SHA256 | Deprecation Status';

// `auth list -detailed`: TTLs as seconds or `system` when unset, options as a Go map.
export function renderAuthDetailedTable(auths: Readonly<Record<string, AuthMountOutput>>): string {
  const ttl = (seconds: number | undefined): string => (seconds === undefined || seconds === 0 ? 'system' : String(seconds));
  const rows = sortedPaths(auths).map((path) => {
    const mount = auths[path] as AuthMountOutput;
    const config = mount.config ?? {};
    return [
      path,
      mount.type,
      mount.accessor ?? '',
      ttl(config.default_lease_ttl),
      ttl(config.max_lease_ttl),
      config.token_type ?? '',
      ...renderCommonColumns(mount),
    ].join(' | ');
  });
  return renderTable([detailedHeader, ...rows]);
}
