import { SecretrunError } from '../../errors.js';
import { buildKeyCheck, derivePassphraseKey } from '../key-derivation.js';
import { readKeyFile, resolveRootKey } from '../root-key.js';
import { protectedKeyHint } from './recipient-key.js';
import type { KeyOptions, RootKey } from '../root-key.js';
import type { StoreHeader } from '../store-format.js';
import { resolveKeyFilePath } from '../store-paths.js';
import { buildFingerprint } from './identity.js';
import { chooseIdentity, noIdentityError } from './identity-choice.js';
import type { IdentityCandidate, IdentityMatch } from './identity-choice.js';
import { readIdentityFiles, readIdentityText } from './identity-dir.js';
import { openProtectedIdentity, publicKeyOf } from './identity-file.js';
import type { Identity } from './identity.js';
import { parseKeyMaterial } from './key-material.js';
import { walkLineage } from './lineage.js';
import { readKnownStores, rememberStoreChecks } from './known-stores.js';
import { unwrapRootKey } from './stanza.js';

// Opening a recipient store: finding its root key, loaded only when a store has recipients
// (recipient-key.ts decides), so single-key stores pay nothing for it. The root key comes, in
// order, from: a key passed in;
// SECRETRUN_KEY, then SECRETRUN_KEY_FILE (a shared root key, or private keys that are then
// the only candidates); a passphrase while the store still has its shared passphrase key; one
// of this machine's private keys whose public key is listed (one stanza unwrapped: one X25519
// operation); the store's default key file while the shared key still opens it. A root key
// that came from a stanza must continue the root key this machine saw before (lineage.ts).

function open(match: IdentityMatch, options: KeyOptions, header: StoreHeader, path: string): RootKey {
  const { candidate, recipient } = match;
  const { entry } = candidate;
  let identity: Identity | undefined;
  if (entry.kind === 'plain') identity = entry.identity;
  else {
    const passphrase = options.identityPassphrase ?? options.env['SECRETRUN_IDENTITY_PASSPHRASE'] ?? options.passphrase;
    if (passphrase === undefined || passphrase === '') {
      throw new SecretrunError('store_key', `cannot open ${path}: the private key of ${recipient.name} (${candidate.source}) is protected by a passphrase`, { hint: protectedKeyHint });
    }
    identity = openProtectedIdentity(entry, passphrase);
    if (identity === undefined) {
      throw new SecretrunError('store_key', `cannot open ${path}: wrong passphrase for the private key of ${recipient.name} (${candidate.source})`, { hint: protectedKeyHint });
    }
  }
  const key = unwrapRootKey(recipient.stanza, identity, header.id);
  if (key === undefined || buildKeyCheck(key) !== header.check) {
    throw new SecretrunError(
      'store_integrity',
      `store ${path} failed its integrity check: the entry of recipient ${recipient.name} does not open with its key (restore it from version control or a backup; it was edited or forged)`,
    );
  }
  const fingerprint = buildFingerprint(publicKeyOf(entry));
  return { key, source: `identity ${candidate.source} (fingerprint ${fingerprint})`, recipient: recipient.name };
}

// The private keys and root key a source holds.
function readSource(text: string, source: string, path: string): { root?: Buffer; candidates: IdentityCandidate[] } {
  const material = parseKeyMaterial(text, `${source} for ${path}`);
  if (material.kind === 'root') return { root: material.key, candidates: [] };
  return { candidates: material.entries.map((entry) => ({ source, entry })) };
}

// A shared root key given for a recipient store: it opens the store only while the shared key
// was not removed, and the error says so rather than "wrong key".
function sharedRootKey(key: Buffer, source: string, header: StoreHeader, path: string): RootKey {
  if (header.sharedKey !== true && buildKeyCheck(key) !== header.check) {
    throw new SecretrunError('store_key', `cannot open ${path} with the shared root key from ${source}: the store opens only with its recipients' private keys since the shared key was removed`, {
      hint: 'set SECRETRUN_KEY (or SECRETRUN_KEY_FILE) to your private key (`secretrun key new` makes one; someone who can open the store adds it with `secretrun recipients add`)',
    });
  }
  return { key, source };
}

async function resolveRecipientKey(options: KeyOptions, header: StoreHeader, path: string): Promise<RootKey> {
  const { env } = options;
  const recipients = header.recipients ?? [];
  if (options.key !== undefined) return resolveRootKey(options, header.id, header.kdf, path, header.check);
  let explicit: IdentityCandidate[] | undefined;
  const envKey = env['SECRETRUN_KEY'];
  const keyFile = env['SECRETRUN_KEY_FILE'];
  if (envKey !== undefined && envKey !== '') {
    const found = readSource(envKey, 'SECRETRUN_KEY', path);
    if (found.root !== undefined) return sharedRootKey(found.root, 'SECRETRUN_KEY', header, path);
    explicit = found.candidates;
  } else if (keyFile !== undefined && keyFile !== '') {
    let text: string;
    try {
      text = readIdentityText(keyFile).text;
    } catch (error) {
      if (error instanceof SecretrunError) throw error;
      throw new SecretrunError('store_key', `cannot read key file ${keyFile} for ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { cause: error });
    }
    const found = readSource(text, `key file ${keyFile}`, path);
    if (found.root !== undefined) return sharedRootKey(found.root, `key file ${keyFile}`, header, path);
    explicit = found.candidates;
  }
  const passphrase = options.passphrase ?? env['SECRETRUN_PASSPHRASE'];
  if (explicit === undefined && header.kdf !== null && header.sharedKey === true && passphrase !== undefined && passphrase !== '') {
    const key = derivePassphraseKey(passphrase, header.kdf);
    // The passphrase may have been the answer to a prompt for a protected private key.
    if (buildKeyCheck(key) === header.check || env['SECRETRUN_PASSPHRASE'] === passphrase) return { key, source: 'the passphrase' };
  }
  const candidates = explicit ?? readIdentityFiles(env).flatMap((file) => (file.parsed.ok ? file.parsed.entries.map((entry) => ({ source: `identities/${file.name}.key`, entry })) : []));
  const match = chooseIdentity(recipients, candidates);
  if (match !== undefined) return open(match, options, header, path);
  if (explicit === undefined && header.sharedKey === true) {
    const file = resolveKeyFilePath(env, header.id);
    const key = await readKeyFile(file, path, true);
    if (key !== undefined) return { key, source: `key file ${file}`, file };
  }
  throw noIdentityError(path, recipients, candidates);
}

// The error for a root key that changed without proof from the one this machine knew.
function continuityError(path: string, id: string): SecretrunError {
  return new SecretrunError('store_integrity', `the root key of ${path} changed without proof from the previous key (a store written by someone who does not hold its key; restore it from version control)`, {
    hint: `if the whole team knowingly replaced this store, delete the line of store ${id} from $XDG_CONFIG_HOME/secretrun/known-stores`,
  });
}

// Resolves the root key of the store whose header is given.
// The root key of the recipient store whose header is given, checked for continuity.
export async function openRecipientStore(options: KeyOptions, header: StoreHeader, path: string): Promise<RootKey> {
  const { env } = options;
  const rootKey = await resolveRecipientKey(options, header, path);
  if (options.checkContinuity === false || buildKeyCheck(rootKey.key) !== header.check) return rootKey;
  const knownStores = readKnownStores(env);
  const known = knownStores.get(header.id) ?? [];
  if (known[0] === header.check) return rootKey;
  const reached = walkLineage(header.lineage ?? [], rootKey.key, header.id);
  // A shared key or passphrase proves itself (only its holders can make the MAC); a stanza
  // proves nothing, since anyone can wrap a key for a public key.
  if (rootKey.recipient !== undefined && known.length > 0 && !reached.some((check) => known.includes(check))) throw continuityError(path, header.id);
  await rememberStoreChecks(env, header.id, reached, knownStores);
  return rootKey;
}
