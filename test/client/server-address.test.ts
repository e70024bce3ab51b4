import { describe, expect, it } from 'vitest';
import { checkTransport, chooseRunAddress } from '../../src/client/server-address.js';
import { isSecretrunError } from '../../src/errors.js';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return isSecretrunError(error) ? error.code : 'not ours';
  }
}

describe('chooseRunAddress', () => {
  it('is the local store when nothing names a server', () => {
    expect(chooseRunAddress({}, undefined, 'secretrun.yaml')).toBeUndefined();
    expect(chooseRunAddress({ VAULT_ADDR: '' }, undefined, 'secretrun.yaml')).toBeUndefined();
  });

  it('takes VAULT_ADDR over the manifest, setting aside only a different origin', () => {
    expect(chooseRunAddress({ VAULT_ADDR: 'https://a.example:8200' }, undefined, 'm')).toEqual({ address: 'https://a.example:8200', setAside: undefined });
    expect(chooseRunAddress({ VAULT_ADDR: 'https://a.example:8200' }, 'https://A.example:8200/', 'm')).toEqual({ address: 'https://a.example:8200', setAside: undefined });
    expect(chooseRunAddress({ VAULT_ADDR: 'https://a.example' }, 'https://a.example:443', 'm')?.setAside).toBeUndefined();
    expect(chooseRunAddress({ VAULT_ADDR: 'https://a.example:8200' }, 'https://b.example:8200', 'm')?.setAside).toBe('https://b.example:8200');
    expect(chooseRunAddress({ VAULT_ADDR: 'https://a.example:8200' }, 'http://a.example:8200', 'm')?.setAside).toBe('http://a.example:8200');
  });

  it('takes the manifest address only when its origin is allowed', () => {
    const env = { SECRETRUN_ALLOWED_ADDRESSES: 'https://vault.example.com:8200,  http://127.0.0.1:8200' };
    expect(chooseRunAddress(env, 'https://vault.example.com:8200/', 'm')?.address).toBe('https://vault.example.com:8200/');
    expect(chooseRunAddress(env, 'http://127.0.0.1:8200', 'm')?.address).toBe('http://127.0.0.1:8200');
    expect(codeOf(() => chooseRunAddress(env, 'https://vault.example.com:8201', 'm'))).toBe('address_refused');
    expect(codeOf(() => chooseRunAddress(env, 'http://vault.example.com:8200', 'm'))).toBe('address_refused');
    expect(codeOf(() => chooseRunAddress(env, 'https://vault.example.com.evil.example:8200', 'm'))).toBe('address_refused');
    expect(codeOf(() => chooseRunAddress({}, 'http://127.0.0.1:8200', 'm'))).toBe('address_refused');
    expect(codeOf(() => chooseRunAddress(env, 'not a url', 'm'))).toBe('address_refused');
  });

  it('refuses an allow list entry that is not an http(s) URL', () => {
    expect(codeOf(() => chooseRunAddress({ SECRETRUN_ALLOWED_ADDRESSES: 'vault:8200' }, 'https://vault:8200', 'm'))).toBe('usage');
    expect(codeOf(() => chooseRunAddress({ SECRETRUN_ALLOWED_ADDRESSES: 'ftp://vault' }, 'https://vault:8200', 'm'))).toBe('usage');
  });
});

describe('checkTransport', () => {
  const refused = (address: string, allow = false) => codeOf(() => checkTransport(new URL(address), allow));

  it('allows https anywhere and http to loopback', () => {
    for (const address of ['https://vault.example.com', 'http://127.0.0.1:8200', 'http://127.8.9.10', 'http://localhost:8200', 'http://[::1]:8200']) {
      expect(refused(address)).toBeUndefined();
    }
  });

  it('refuses http elsewhere unless allowed', () => {
    for (const address of ['http://vault.example.com', 'http://10.0.0.5:8200', 'http://0.0.0.0:8200', 'http://[::ffff:7f00:1]', 'http://127.0.0.1.example.com', 'http://localhost.example.com']) {
      expect(refused(address)).toBe('address_refused');
      expect(refused(address, true)).toBeUndefined();
    }
  });
});
