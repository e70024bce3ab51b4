import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServerConfig, readServerConfig } from '../../src/http/server-config.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('parseServerConfig', () => {
  it('reads the flat YAML form', () => {
    const config = parseServerConfig(
      ['ui: true', 'storage:', '  path: ./data/store.json', 'listener:', '  address: 0.0.0.0:8201', '  tls_cert_file: c.pem', '  tls_key_file: k.pem', '  max_request_size: 1024'].join('\n'),
      'server.yaml',
    );
    expect(config).toEqual({
      storage: { kind: 'file', path: './data/store.json' },
      listener: { host: '0.0.0.0', port: 8201, tls: { certFile: 'c.pem', keyFile: 'k.pem' }, maxRequestBytes: 1024 },
    });
  });

  it("reads Vault's JSON form, with tls_disable as Vault accepts it", () => {
    for (const disable of ['true', '"1"', '1', '"true"']) {
      const config = parseServerConfig(
        `{"storage": {"file": {"path": "/var/secretrun/store.json"}}, "listener": [{"tcp": {"address": "[::1]:0", "tls_disable": ${disable}}}], "disable_mlock": true}`,
        'server.json',
      );
      expect(config).toEqual({
        storage: { kind: 'file', path: '/var/secretrun/store.json' },
        listener: { host: '::1', port: 0, tls: undefined, maxRequestBytes: undefined },
      });
    }
    expect(parseServerConfig('{"storage": {"inmem": {}}, "listener": {"tcp": {"tls_disable": "true"}}}', 'f').storage).toEqual({ kind: 'memory' });
  });

  it('defaults the address to 127.0.0.1:8200', () => {
    expect(parseServerConfig('listener: {tls_disable: true}', 'f').listener).toMatchObject({ host: '127.0.0.1', port: 8200 });
  });

  const invalid: [string, string][] = [
    ['listener: {address: "127.0.0.1"}', 'invalid server config cfg.yaml: listener.address must be "host:port"'],
    ['listener: {address: "127.0.0.1:99999", tls_disable: true}', 'listener.address must be "host:port" with a port from 0 to 65535, got "127.0.0.1:99999"'],
    ['listener: {address: 8200}', 'listener.address must be a string "host:port", got 8200 (number)'],
    ['listener: {}', 'listener.tls_cert_file must be set (a PEM file path) unless listener.tls_disable is true, got nothing'],
    ['listener: {tls_cert_file: c.pem}', 'listener.tls_key_file must be set'],
    ['listener: {tls_disable: maybe}', 'listener.tls_disable must be a boolean, got "maybe" (string)'],
    ['listener: {tls_disable: true, tls_cert: c.pem}', 'listener.tls_cert is not a known setting'],
    ['listener: {tcp: {tls_disable: true, max_request_size: -1}}', 'listener.tcp.max_request_size must be a positive number of bytes, got -1 (number)'],
    ['listener: [{tls_disable: true}, {tls_disable: true}]', 'listener must be one listener (secretrun serves one address), got 2'],
    ['storage: {path: ""}', 'storage.path must be a non-empty string, got "" (string)'],
    ['storage: {file: {path: 3}}', 'storage.file.path must be a non-empty string, got 3 (number)'],
    ['storage: {raft: {path: x}}', 'storage.raft is not a known setting'],
    ['storge: {path: x}', 'invalid server config cfg.yaml: storge is not a known setting'],
    ['- a\n- b', '(top level) must be a mapping, got a list'],
    ['listener: {address: [', 'invalid server config cfg.yaml: not YAML or JSON:'],
  ];
  for (const [text, message] of invalid) {
    it(`rejects ${JSON.stringify(text)} with one line naming the file and key`, () => {
      let error: unknown;
      try {
        parseServerConfig(text, 'cfg.yaml');
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ name: 'SecretrunError', code: 'input' });
      const text1 = (error as Error).message;
      expect(text1).toContain(message);
      expect(text1).toContain('cfg.yaml');
      expect(text1).not.toContain('\n');
    });
  }
});

describe('readServerConfig', () => {
  it('reads a file and names it in errors', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'server.yaml');
    writeFileSync(file, 'storage: {path: s.json}\nlistener: {address: "127.0.0.1:0", tls_disable: true}\n');
    await expect(readServerConfig(file)).resolves.toMatchObject({ storage: { path: 's.json' }, listener: { port: 0 } });
    await expect(readServerConfig(join(dir, 'missing.yaml'))).rejects.toThrow(`cannot read server config ${join(dir, 'missing.yaml')}: ENOENT`);
  });
});
