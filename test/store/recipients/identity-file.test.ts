import { describe, expect, it } from 'vitest';
import { createIdentity, identityFromSecret, renderPublicKey, renderSecretKey } from '../../../src/store/recipients/identity.js';
import {
  openProtectedIdentity,
  parseIdentityFile,
  publicKeyOf,
  renderIdentityFile,
  renderProtectedIdentityFile,
} from '../../../src/store/recipients/identity-file.js';
import type { IdentityEntry } from '../../../src/store/recipients/identity-file.js';
import { seededRandom } from './seeded-random.js';

const created = new Date('2024-05-01T10:00:00.123Z');
const passphrase = 'correct horse battery staple';

function entriesOf(text: string): IdentityEntry[] {
  const parsed = parseIdentityFile(text);
  if (!parsed.ok) throw new Error(`${parsed.line}: ${parsed.problem}`);
  return parsed.entries;
}

describe('private key files', () => {
  it('are written as age writes them, and read back', () => {
    const identity = createIdentity(seededRandom('alice'));
    const text = renderIdentityFile(identity, created);
    expect(text.split('\n')).toEqual([
      '# secretrun private key: keep it private, and keep a backup (see docs/keys.md)',
      '# created: 2024-05-01T10:00:00Z',
      `# public key: ${renderPublicKey(identity.publicKey)}`,
      renderSecretKey(identity.secret),
      '',
    ]);
    expect(entriesOf(text)).toEqual([{ kind: 'plain', identity }]);
  });

  it("read age-keygen's output, several keys, blank lines and CRLF", () => {
    const a = identityFromSecret(Buffer.alloc(32, 0x42));
    const b = createIdentity(seededRandom('b'));
    const text = `# created: 2021-01-02T15:30:45+01:00\r\n# public key: ${renderPublicKey(a.publicKey)}\r\n${renderSecretKey(a.secret)}\r\n\r\n${renderSecretKey(b.secret)}\r\n`;
    expect(entriesOf(text)).toEqual([
      { kind: 'plain', identity: a },
      { kind: 'plain', identity: b },
    ]);
  });

  it('say which line is wrong and why, without quoting it', () => {
    const identity = createIdentity(seededRandom('c'));
    const key = renderSecretKey(identity.secret);
    const typo = `${key.slice(0, 30)}${key[30] === 'Q' ? 'P' : 'Q'}${key.slice(31)}`;
    expect(parseIdentityFile(`# comment\n${typo}\n`)).toEqual({ ok: false, line: 2, problem: expect.stringContaining('checksum') });
    expect(parseIdentityFile('# only comments\n\n')).toEqual({ ok: false, line: 3, problem: 'it holds no private key' });
    const garbage = parseIdentityFile(`${key}\nhello world\n`);
    expect(garbage).toEqual({ ok: false, line: 2, problem: 'it is not a private key (AGE-SECRET-KEY-1…) or a comment' });
    expect(JSON.stringify(garbage)).not.toContain('hello');
  });

  it('can be protected by a passphrase: the public key stays readable, the private key does not', () => {
    const identity = createIdentity(seededRandom('d'));
    const text = renderProtectedIdentityFile(identity, created, passphrase, seededRandom('salt'));
    expect(text).not.toContain(renderSecretKey(identity.secret));
    expect(text).not.toContain(identity.secret.toString('base64'));
    expect(text).toContain(`# public key: ${renderPublicKey(identity.publicKey)}`);
    const [entry] = entriesOf(text);
    if (entry?.kind !== 'protected') throw new Error('expected a protected key');
    expect(publicKeyOf(entry).equals(identity.publicKey)).toBe(true);
    expect(openProtectedIdentity(entry, passphrase)).toEqual(identity);
    expect(openProtectedIdentity(entry, 'wrong passphrase')).toBeUndefined();
    // The same passphrase in another Unicode normalisation opens it too (NFC, as stores do).
    const composed = createIdentity(seededRandom('e'));
    const [accented] = entriesOf(renderProtectedIdentityFile(composed, created, 'caf\u00e9 au lait', seededRandom('s2')));
    if (accented?.kind !== 'protected') throw new Error('expected a protected key');
    expect(openProtectedIdentity(accented, 'cafe\u0301 au lait')).toEqual(composed);
  });

  it('refuse a protected key whose public key was swapped, or whose fields were edited', () => {
    const identity = createIdentity(seededRandom('f'));
    const other = createIdentity(seededRandom('g'));
    const text = renderProtectedIdentityFile(identity, created, passphrase, seededRandom('salt'));
    const swapped = text.replace(` ${renderPublicKey(identity.publicKey)} `, ` ${renderPublicKey(other.publicKey)} `);
    const [entry] = entriesOf(swapped);
    if (entry?.kind !== 'protected') throw new Error('expected a protected key');
    expect(openProtectedIdentity(entry, passphrase)).toBeUndefined();

    const line = text.trim().split('\n').at(-1) as string;
    const fields = line.split(' ');
    const edit = (index: number, value: string): string => text.replace(line, fields.map((f, i) => (i === index ? value : f)).join(' '));
    expect(parseIdentityFile(edit(3, '14'))).toMatchObject({ ok: false, problem: expect.stringContaining('outside') });
    expect(parseIdentityFile(edit(3, '30'))).toMatchObject({ ok: false, problem: expect.stringContaining('outside') });
    expect(parseIdentityFile(edit(2, 'argon2'))).toMatchObject({ ok: false });
    expect(parseIdentityFile(edit(5, 'AAAA'))).toMatchObject({ ok: false, problem: 'its protected key is cut short' });
    expect(parseIdentityFile(text.replace(line, `${line} extra`))).toMatchObject({ ok: false });
    const body = Buffer.from(fields[5] as string, 'base64');
    body[3] = (body[3] ?? 0) ^ 0x80;
    const [flipped] = entriesOf(edit(5, body.toString('base64')));
    if (flipped?.kind !== 'protected') throw new Error('expected a protected key');
    expect(openProtectedIdentity(flipped, passphrase)).toBeUndefined();
  });
});
