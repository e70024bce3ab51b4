// transportOptionsFromEnv: the CA trust and verification switches the vault CLI reads from its
// environment, over real files (certificates made by openssl).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { transportOptionsFromEnv } from '../../src/client/vault-http-client.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// A fresh self-signed certificate in PEM, written to `file` (its key goes elsewhere, so that
// a CA directory holds certificates only).
function makeCert(file: string, name: string): string {
  const key = join(makeTempDir(), 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', file, '-days', '1', '-subj', `/CN=${name}`], {
    stdio: 'ignore',
  });
  return readFileSync(file, 'utf8');
}

function caText(env: Record<string, string>): string {
  return transportOptionsFromEnv(env).ca?.toString('utf8') ?? '';
}

describe('transportOptionsFromEnv', () => {
  it('trusts the VAULT_CACERT file', () => {
    const dir = makeTempDir();
    const cert = makeCert(join(dir, 'ca.pem'), 'one');
    expect(caText({ VAULT_CACERT: join(dir, 'ca.pem') })).toBe(cert);
  });

  it('trusts every certificate file under VAULT_CAPATH, subdirectories included', () => {
    const dir = makeTempDir();
    mkdirSync(join(dir, 'cas', 'more'), { recursive: true });
    const one = makeCert(join(dir, 'cas', 'one.pem'), 'one');
    const two = makeCert(join(dir, 'cas', 'more', 'two.crt'), 'two');
    const bundle = caText({ VAULT_CAPATH: join(dir, 'cas') });
    expect(bundle).toContain(one.trim());
    expect(bundle).toContain(two.trim());
  });

  it('prefers VAULT_CACERT when both are set, as the vault CLI does', () => {
    const dir = makeTempDir();
    const file = makeCert(join(dir, 'ca.pem'), 'file');
    mkdirSync(join(dir, 'cas'));
    const other = makeCert(join(dir, 'cas', 'other.pem'), 'other');
    const bundle = caText({ VAULT_CACERT: join(dir, 'ca.pem'), VAULT_CAPATH: join(dir, 'cas') });
    expect(bundle).toBe(file);
    expect(bundle).not.toContain(other.trim());
  });

  it('ignores empty variables and trusts the system store then', () => {
    expect(transportOptionsFromEnv({ VAULT_CACERT: '', VAULT_CAPATH: '' }).ca).toBeUndefined();
    expect(transportOptionsFromEnv({}).ca).toBeUndefined();
  });

  it('refuses a VAULT_CAPATH holding a file that is not a PEM certificate, naming the file', () => {
    const dir = makeTempDir();
    makeCert(join(dir, 'ca.pem'), 'one');
    writeFileSync(join(dir, 'notes.txt'), 'not a certificate\n');
    expect(() => transportOptionsFromEnv({ VAULT_CAPATH: dir })).toThrow(SecretrunError);
    expect(() => transportOptionsFromEnv({ VAULT_CAPATH: dir })).toThrow(`no PEM certificate in ${join(dir, 'notes.txt')}`);
  });

  it('refuses a missing or empty VAULT_CAPATH with a usage error', () => {
    const dir = makeTempDir();
    const missing = join(dir, 'missing');
    expect(() => transportOptionsFromEnv({ VAULT_CAPATH: missing })).toThrow(`cannot read VAULT_CAPATH ${missing}: ENOENT`);
    mkdirSync(join(dir, 'empty'));
    let caught: unknown;
    try {
      transportOptionsFromEnv({ VAULT_CAPATH: join(dir, 'empty') });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SecretrunError);
    expect((caught as SecretrunError).code).toBe('usage');
    expect((caught as SecretrunError).message).toMatch(/no certificate files/);
  });

  it('reads VAULT_SKIP_VERIFY as Go parses a boolean', () => {
    for (const yes of ['1', 't', 'true', 'TRUE']) expect(transportOptionsFromEnv({ VAULT_SKIP_VERIFY: yes }).skipVerify).toBe(true);
    for (const no of ['', '0', 'false', 'no']) expect(transportOptionsFromEnv({ VAULT_SKIP_VERIFY: no }).skipVerify).toBe(false);
  });
});
