// bench/store: wall time of `secretrun kv get -field` and `kv put` through the CLI and through
// the library, on stores of 10, 1,000 and 10,000 secrets, each beside `node -e 0`.
// Usage: npm run build && node bench/store.mjs [runs]   (median of `runs` runs, default 15)
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'secretrun.cjs');
const library = pathToFileURL(join(root, 'dist', 'index.mjs')).href;
const runs = Number(process.argv[2] ?? 15);
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-'));
const env = { ...process.env, SECRETRUN_KEY: randomBytes(32).toString('base64'), XDG_CONFIG_HOME: join(work, 'cfg') };
delete env.VAULT_ADDR;
delete env.SECRETRUN_STORE;

// Median wall time (ms) of a node command, after one warm-up run.
function time(args, extraEnv = {}) {
  const samples = [];
  for (let i = 0; i <= runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], cwd: work });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
    if (i > 0) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

// A store of `count` secrets (two fields each), written in one transaction.
async function makeStore(count) {
  const { openSecretStore } = await import(library);
  const path = join(work, `store-${count}.json`);
  const store = await openSecretStore({ path, env });
  const entries = Array.from({ length: count }, (_, i) => [`secret/bench/app-${String(i).padStart(5, '0')}`, { api_key: `value-${i}`, user: `user-${i}` }]);
  await store.writeAll(entries);
  await store.close();
  return path;
}

// A script doing one library call in a fresh process, like the CLI does one command.
function libraryScript(name, body) {
  const file = join(work, `${name}.mjs`);
  writeFileSync(file, `import { openSecretStore } from ${JSON.stringify(library)};\nconst store = await openSecretStore({ path: process.env.SECRETRUN_STORE });\n${body}\nawait store.close();\n`);
  return file;
}

const getScript = libraryScript('lib-get', "const r = await store.read('secret/bench/app-00005'); if (r.status !== 'found') process.exit(1); process.stdout.write(String(r.secret.data.api_key));");
const putScript = libraryScript('lib-put', "await store.write('secret/bench/app-00005', { api_key: 'v' + Date.now() });");

const baseline = time(['-e', '0']);
const rows = [['node -e 0', baseline]];
for (const count of [10, 1000, 10000]) {
  const store = await makeStore(count);
  const storeEnv = { SECRETRUN_STORE: store };
  rows.push([`cli kv get -field (${count})`, time([cli, 'kv', 'get', '-field=api_key', 'secret/bench/app-00005'], storeEnv)]);
  rows.push([`cli kv put (${count})`, time([cli, 'kv', 'put', 'secret/bench/app-00005', `api_key=new`], storeEnv)]);
  rows.push([`lib read (${count})`, time([getScript], storeEnv)]);
  rows.push([`lib write (${count})`, time([putScript], storeEnv)]);
}
rmSync(work, { recursive: true, force: true });

const get = (name) => rows.find(([label]) => label === name)?.[1] ?? NaN;
console.log(`median of ${runs} runs each (ms); ratio = time / node -e 0`);
for (const [label, ms] of rows) console.log(`${label.padEnd(28)} ${ms.toFixed(1).padStart(8)} ms   ${(ms / baseline).toFixed(2)}x`);
const bigVsSmall = get('cli kv get -field (10000)') / get('cli kv get -field (10)');
const smallVsNode = get('cli kv get -field (10)') / baseline;
console.log(`\nkv get, 10,000-secret store vs 10-secret store: ${bigVsSmall.toFixed(2)}x (target <= 1.5x)`);
console.log(`kv get, 10-secret store vs node -e 0:         ${smallVsNode.toFixed(2)}x (target <= 1.5x)`);
