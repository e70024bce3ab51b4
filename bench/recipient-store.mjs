// bench/recipient-store: what opening a recipient store costs on the hot paths, beside the same
// store opened with its shared root key: `secretrun kv get -field` and the runner's start-up
// (`run --once -- true` with 10 references), on stores of 10 and 10,000 secrets. A recipient
// store is opened with the private key in the identities directory (a developer's machine) and
// in SECRETRUN_KEY (CI). All rows of one store size run in one round-robin; the paired ratio is
// the median over rounds of (recipient store / single-key store) in the same round.
// Usage: npm run build && node bench/recipient-store.mjs [runs]   (default 21)
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, printRows, timeRoundRobin } from './timing.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'secretrun.cjs');
const library = pathToFileURL(join(root, 'dist', 'index.mjs')).href;
const runs = Number(process.argv[2] ?? 21);
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-recipients-'));
const rootKey = randomBytes(32).toString('base64');
const base = { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), XDG_CACHE_HOME: join(work, 'cache') };
for (const name of ['VAULT_ADDR', 'SECRETRUN_STORE', 'SECRETRUN_KEY', 'SECRETRUN_KEY_FILE', 'SECRETRUN_PASSPHRASE']) delete base[name];

function secretrun(env, ...args) {
  const result = spawnSync(process.execPath, [cli, ...args], { env, cwd: work, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`secretrun ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

// The developer's key pair (identities/default.key), and a CI key given in SECRETRUN_KEY.
const developerKey = secretrun(base, 'key', 'new').trim();
const ciFile = join(work, 'ci.key');
const ciKey = secretrun(base, 'key', 'new', `-output=${ciFile}`).trim();
const ciSecret = readFileSync(ciFile, 'utf8');

// A single-key store of `count` secrets, and a copy of it converted to recipients (developer and
// CI), the shared key removed: the same entries, so only opening differs.
async function makeStores(count) {
  const { openSecretStore } = await import(library);
  const single = join(work, `single-${count}`, 'store.json');
  const recipients = join(work, `recipients-${count}`, 'store.json');
  mkdirSync(join(work, `single-${count}`));
  mkdirSync(join(work, `recipients-${count}`));
  const store = await openSecretStore({ path: single, env: { ...base, SECRETRUN_KEY: rootKey } });
  const entries = Array.from({ length: count }, (_, i) => [`secret/bench/app-${String(i).padStart(5, '0')}`, { api_key: `value-${i}`, user: `user-${i}` }]);
  await store.writeAll(entries);
  await store.close();
  copyFileSync(single, recipients);
  const convert = { ...base, SECRETRUN_KEY: rootKey, SECRETRUN_STORE: recipients };
  secretrun(convert, 'recipients', 'add', 'developer', developerKey);
  secretrun(convert, 'recipients', 'add', 'ci', ciKey);
  secretrun(convert, 'recipients', 'remove', '-shared-key');
  for (const dir of [`single-${count}`, `recipients-${count}`]) {
    writeFileSync(join(work, dir, 'secretrun.yaml'), `env:\n${Array.from({ length: 10 }, (_, i) => `  VAR_${i}: secret/bench/app-${String(i).padStart(5, '0')}#api_key\n`).join('')}`);
  }
  return { single, recipients };
}

for (const count of [10, 10000]) {
  const { single, recipients } = await makeStores(count);
  const at = (store, env) => ({ env: { ...env, SECRETRUN_STORE: store }, cwd: join(store, '..') });
  const shared = at(single, { ...base, SECRETRUN_KEY: rootKey });
  const developer = at(recipients, base);
  const ci = at(recipients, { ...base, SECRETRUN_KEY: ciSecret });
  const get = [cli, 'kv', 'get', '-field=api_key', 'secret/bench/app-00005'];
  const run = [cli, 'run', '--once', '--', 'true'];
  const row = (label, args, options) => ({ label, command: process.execPath, args, options });
  const rows = timeRoundRobin(
    [
      row('node -e 0', ['-e', '0'], shared),
      row(`kv get, single key (${count})`, get, shared),
      row(`kv get, recipients, identities dir (${count})`, get, developer),
      row(`kv get, recipients, SECRETRUN_KEY (${count})`, get, ci),
      row(`run --once, single key (${count})`, run, shared),
      row(`run --once, recipients, identities dir (${count})`, run, developer),
      row(`run --once, recipients, SECRETRUN_KEY (${count})`, run, ci),
    ],
    runs,
  );
  console.log(`\n${count} secrets (median of ${runs} round-robin runs; ratio = time / node -e 0)`);
  printRows(rows, rows[0].ms);
  const paired = (row, against) => median(row.samples.map((ms, round) => ms / against.samples[round]));
  console.log(
    `paired, recipient store / single-key store: kv get ${paired(rows[2], rows[1]).toFixed(3)}x (identities dir), ${paired(rows[3], rows[1]).toFixed(3)}x (SECRETRUN_KEY); ` +
      `run start-up ${paired(rows[5], rows[4]).toFixed(3)}x (identities dir), ${paired(rows[6], rows[4]).toFixed(3)}x (SECRETRUN_KEY); target <= 1.05x`,
  );
}
rmSync(work, { recursive: true, force: true });
