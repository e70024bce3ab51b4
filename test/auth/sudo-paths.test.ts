import { describe, expect, it } from 'vitest';
import { isSudoPath } from '../../src/auth/sudo-paths.js';

describe('sudo-protected paths', () => {
  it.each([
    ['sys/audit', true],
    ['sys/audit/file', true],
    ['sys/audit-hash/file', false],
    ['sys/auth', false], // listing auth methods needs no sudo
    ['sys/auth/userpass', true],
    ['sys/auth/userpass/tune', true],
    ['sys/mounts/secret', false],
    ['sys/policies/acl/x', false],
    ['sys/rotate', true],
    ['sys/rotate/config', false],
    ['sys/raw', true],
    ['sys/raw/logical/x', true],
    ['sys/leases', true],
    ['sys/leases/lookup/x', true],
    ['sys/leases/lookup', false],
    ['sys/seal', true],
    ['sys/step-down', true],
    ['auth/token/accessors/', true],
    ['auth/token/revoke-orphan/abc', true],
    ['auth/token/revoke-orphan', false], // checked by the handler, not by path
    ['auth/token/create', false],
    ['secret/data/sys/audit', false],
  ])('%s → %s', (path, expected) => {
    expect(isSudoPath(path)).toBe(expected);
  });
});
