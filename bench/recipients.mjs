// bench/recipients: what opening a recipient store will add to a command (issue 14): reading
// the identities directory, parsing the private key (one X25519 to derive its public key),
// choosing the stanza by fingerprint and unwrapping it (one X25519, HKDF, one AES-256-GCM open).
// Measured in fresh processes, as a command pays it: each first warms what opening a store
// already uses (HKDF, HMAC-SHA-256, AES-256-GCM), then times one resolution. Printed beside the
// same resolution repeated in one warm process. The modules are bundled from src/ for the run.
// Usage: node bench/recipients.mjs [processes]   (median of `processes` runs, default 30)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './timing.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const processes = Number(process.argv[2] ?? 30);
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-recipients-'));
const bundle = join(work, 'recipients.mjs');
const entry = ['identity', 'identity-file', 'recipient-entry', 'identity-choice', 'stanza', 'identity-dir'].map((name) => `export * from './src/store/recipients/${name}.js';`).join('\n');
const built = await build({ stdin: { contents: entry, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'warning' });
writeFileSync(bundle, built.outputFiles[0].text);
const m = await import(pathToFileURL(bundle).href);

// This machine's key, and a store of ten recipients of which it is the last.
const env = { XDG_CONFIG_HOME: join(work, 'config') };
const me = m.createIdentity(randomBytes);
await m.writeNewIdentityFile(m.identityFilePath(env, 'default'), m.renderIdentityFile(me, new Date()));
const storeId = 'bench-store-0001';
const rootKey = randomBytes(32);
const others = Array.from({ length: 9 }, (_, i) => ({ name: `r${i}`, publicKey: m.createIdentity(randomBytes).publicKey }));
const recipients = [...others, { name: 'me', publicKey: me.publicKey }].map((r) => m.buildRecipientEntry({ ...r, addedBy: 'x', now: 0 }, rootKey, storeId, randomBytes));
writeFileSync(join(work, 'recipients.json'), JSON.stringify(recipients));

const child = join(work, 'resolve.mjs');
writeFileSync(
  child,
  `import { createCipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
const m = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const recipients = JSON.parse(readFileSync(${JSON.stringify(join(work, 'recipients.json'))}, 'utf8'));
// What opening any store already does before its key is used.
const key = hkdfSync('sha256', randomBytes(32), Buffer.alloc(0), 'warm', 32);
createHmac('sha256', Buffer.from(key)).update('x').digest();
createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.alloc(12)).final();
const start = process.hrtime.bigint();
const [file] = m.readIdentityFiles({ XDG_CONFIG_HOME: ${JSON.stringify(env.XDG_CONFIG_HOME)} });
const match = m.chooseIdentity(recipients, [{ source: file.name, entry: file.parsed.entries[0] }]);
const opened = m.unwrapRootKey(match.recipient.stanza, match.candidate.entry.identity, ${JSON.stringify(storeId)});
const us = Number(process.hrtime.bigint() - start) / 1e3;
if (opened?.toString('hex') !== ${JSON.stringify(rootKey.toString('hex'))}) process.exit(1);
process.stdout.write(String(us));
`,
);

const cold = [];
for (let i = 0; i < processes; i++) {
  const result = spawnSync(process.execPath, [child], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the resolution failed: ${result.stderr}`);
  cold.push(Number(result.stdout));
}

const resolve = () => {
  const [file] = m.readIdentityFiles(env);
  const match = m.chooseIdentity(recipients, [{ source: file.name, entry: file.parsed.entries[0] }]);
  return m.unwrapRootKey(match.recipient.stanza, match.candidate.entry.identity, storeId);
};
for (let i = 0; i < 100; i++) resolve();
const start = process.hrtime.bigint();
for (let i = 0; i < 1000; i++) resolve();
const warm = Number(process.hrtime.bigint() - start) / 1e3 / 1000;

console.log(`key resolution of a recipient store (10 recipients), first in a fresh process: ${median(cold).toFixed(0)} µs (median of ${processes})`);
console.log(`the same, repeated in a warm process:                                        ${warm.toFixed(0)} µs`);
rmSync(work, { recursive: true, force: true });
