// The device table in the store: enabling checks what Vault checks, each device gets a salt
// of its own kept apart from the table, and disabling forgets both.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  auditSaltKey,
  auditTableKey,
  buildAuditDevice,
  disableAuditDevice,
  readAuditSalt,
  readAuditTable,
  renderAuditTable,
  writeAuditDevice,
} from '../../src/audit/audit-table.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { Storage } from '../../src/store/storage.js';

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

async function withStorage<T>(fn: (storage: Storage) => T): Promise<T> {
  const store = createMemoryStore();
  return store.update(fn);
}

function enable(storage: Storage, path: string, input: Parameters<typeof buildAuditDevice>[2]): void {
  const built = buildAuditDevice(storage, path, input, random);
  writeAuditDevice(storage, built.path, built.device, random);
}

describe('the audit device table', () => {
  it('stores a device under its normalized path, with a salt under a key of its own', async () => {
    await withStorage((storage) => {
      enable(storage, '/file', { type: 'file', description: 'main log', options: { file_path: '/var/log/a.log' } });
      const table = readAuditTable(storage);
      expect(Object.keys(table)).toEqual(['file/']);
      const device = table['file/'];
      expect(device).toMatchObject({ type: 'file', description: 'main log', options: { file_path: '/var/log/a.log' }, local: false });
      const salt = readAuditSalt(storage, device!);
      expect(salt).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(JSON.stringify(storage.get(auditTableKey))).not.toContain(salt);
      expect(storage.get(auditSaltKey(device!.uuid))).toBe(salt);
    });
  });

  it('lists devices as Vault does, without uuid or salt', async () => {
    await withStorage((storage) => {
      enable(storage, 'file', { type: 'file', options: { file_path: 'a.log', hmac_accessor: 'false' }, local: true });
      expect(renderAuditTable(readAuditTable(storage))).toEqual({
        'file/': { description: '', local: true, options: { file_path: 'a.log', hmac_accessor: 'false' }, path: 'file/', type: 'file' },
      });
    });
  });

  it('spells out options given as numbers or booleans, and refuses nested ones', async () => {
    await withStorage((storage) => {
      enable(storage, 'file', { type: 'file', options: { file_path: 'a.log', log_raw: true, mode: 600 } });
      expect(readAuditTable(storage)['file/']?.options).toEqual({ file_path: 'a.log', log_raw: 'true', mode: '600' });
      expect(() => buildAuditDevice(storage, 'other', { type: 'file', options: { file_path: { a: 1 } } }, random)).toThrow('options must be string valued');
    });
  });

  it('refuses a path at, inside or around an enabled one, and a file another device writes', async () => {
    await withStorage((storage) => {
      enable(storage, 'team/file', { type: 'file', options: { file_path: '/logs/a.log' } });
      for (const path of ['team/file', 'team', 'team/file/inner']) {
        expect(() => buildAuditDevice(storage, path, { type: 'file', options: { file_path: '/logs/b.log' } }, random)).toThrow('path already in use');
      }
      expect(() => buildAuditDevice(storage, 'second', { type: 'file', options: { file_path: '/logs/a.log' } }, random)).toThrow(
        '"file_path" "/logs/a.log" already in use on device: "team/file/"',
      );
      enable(storage, 'out', { type: 'file', options: { file_path: '-' } });
      expect(() => buildAuditDevice(storage, 'out2', { type: 'file', options: { file_path: 'stdout' } }, random)).toThrow('already in use on device: "out/"');
      enable(storage, 'd1', { type: 'file', options: { file_path: 'discard' } });
      enable(storage, 'd2', { type: 'file', options: { file_path: 'discard' } });
      expect(Object.keys(readAuditTable(storage)).sort()).toEqual(['d1/', 'd2/', 'out/', 'team/file/']);
    });
  });

  it('refuses what Vault refuses, with its words', async () => {
    await withStorage((storage) => {
      expect(() => buildAuditDevice(storage, '/', { type: 'file', options: { file_path: 'a' } }, random)).toThrow('backend path must be specified');
      expect(() => buildAuditDevice(storage, 'x', { type: 'syslog' }, random)).toThrow('unknown backend type: "syslog"');
      expect(() => buildAuditDevice(storage, 'x', {}, random)).toThrow('unknown backend type: ""');
      expect(() => buildAuditDevice(storage, 'x', { type: 'file' }, random)).toThrow('"file_path" is required: invalid configuration');
      expect(() => buildAuditDevice(storage, 'x', { type: 'file', options: { file_path: 'a' }, local: 'maybe' }, random)).toThrow(/local/);
      expect(readAuditTable(storage)).toEqual({});
    });
  });

  it('disables a device and forgets its salt; a missing one is no error, an empty path is', async () => {
    await withStorage((storage) => {
      enable(storage, 'file', { type: 'file', options: { file_path: 'a.log' } });
      const device = readAuditTable(storage)['file/']!;
      expect(disableAuditDevice(storage, 'file/')).toBe(true);
      expect(readAuditTable(storage)).toEqual({});
      expect(storage.get(auditTableKey)).toBeUndefined();
      expect(storage.get(auditSaltKey(device.uuid))).toBeUndefined();
      expect(disableAuditDevice(storage, 'file')).toBe(false);
      expect(() => disableAuditDevice(storage, '/')).toThrow('audit device path must be specified');
    });
  });

  it('gives a device enabled again at the same path a new identity and a new salt', async () => {
    await withStorage((storage) => {
      enable(storage, 'file', { type: 'file', options: { file_path: 'a.log' } });
      const first = readAuditTable(storage)['file/']!;
      const firstSalt = readAuditSalt(storage, first);
      disableAuditDevice(storage, 'file');
      enable(storage, 'file', { type: 'file', options: { file_path: 'a.log' } });
      const second = readAuditTable(storage)['file/']!;
      expect(second.uuid).not.toBe(first.uuid);
      expect(readAuditSalt(storage, second)).not.toBe(firstSalt);
    });
  });
});
