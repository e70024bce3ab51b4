// bench/store: wall time of `secretrun kv get -field` and `kv put` through the CLI and through
// the library, on stores of 10, 1,000 and 10,000 secrets, each beside `node -e 0` and, with
// --before, beside the CLI of another build in the same rounds.
// Usage: npm run build && node bench/store.mjs [runs] [--before=<directory holding a built secretrun>]
//        (median of `runs` runs, default 15)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, printRows, timeRoundRobin } from './timing.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'secretrun.cjs');
const library = pathToFileURL(join(root, 'dist', 'index.mjs')).href;
const runs = Number(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 15);
const beforeDir = process.argv.slice(2).find((arg) => arg.startsWith('--before='))?.slice('--before='.length);
const beforeCli = beforeDir === undefined ? undefined : join(beforeDir, 'bin', 'secretrun.cjs');
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-'));
// Each command of each build gets its own code cache (bin/secretrun.cjs keeps one per command
// group, holding what the run that wrote it compiled): two builds sharing one would each find
// the other's stale, and `kv get` would run on a cache `kv put` wrote, or not, as the shuffled
// order of the first round fell.
const env = { ...process.env, SECRETRUN_KEY: randomBytes(32).toString('base64'), XDG_CONFIG_HOME: join(work, 'cfg') };
const cacheOf = (label) => join(work, `cache-${label.replace(/[^a-z0-9]+/gi, '-')}`);
delete env.VAULT_ADDR;
delete env.SECRETRUN_STORE;

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

// Each store size is timed in its own round-robin with `node -e 0`, so every ratio compares
// runs made at the same time.
const rows = [];
const stores = new Map();
for (const count of [10, 1000, 10000]) {
  const store = await makeStore(count);
  stores.set(count, store);
  const options = { env: { ...env, SECRETRUN_STORE: store }, cwd: work };
  const node = (label, args) => ({ label, command: process.execPath, args, options: { ...options, env: { ...options.env, XDG_CACHE_HOME: cacheOf(label) } } });
  const [base, ...timed] = timeRoundRobin(
    [
      node('node -e 0', ['-e', '0']),
      node(`cli kv get -field (${count})`, [cli, 'kv', 'get', '-field=api_key', 'secret/bench/app-00005']),
      node(`cli kv put (${count})`, [cli, 'kv', 'put', 'secret/bench/app-00005', 'api_key=new']),
      node(`lib read (${count})`, [getScript]),
      node(`lib write (${count})`, [putScript]),
      ...(beforeCli === undefined
        ? []
        : [
            node(`before: cli kv get -field (${count})`, [beforeCli, 'kv', 'get', '-field=api_key', 'secret/bench/app-00005']),
            node(`before: cli kv put (${count})`, [beforeCli, 'kv', 'put', 'secret/bench/app-00005', 'api_key=new']),
          ]),
    ],
    runs,
  );
  console.log(`\n${count} secrets (median of ${runs} runs each; ratio = time / node -e 0 in the same rounds)`);
  printRows([base, ...timed], base.ms);
  rows.push({ count, base: base.ms, get: timed[0].ms });
}
const small = rows.find((row) => row.count === 10);
const big = rows.find((row) => row.count === 10000);
// Compare relative to node -e 0 of each round, so drift between the rounds cancels out.
const bigVsSmall = big.get / big.base / (small.get / small.base);
console.log(`\nkv get, 10,000-secret store vs 10-secret store: ${bigVsSmall.toFixed(2)}x (target <= 1.5x)`);
console.log(`kv get, 10-secret store vs node -e 0:         ${(small.get / small.base).toFixed(2)}x (target <= 1.5x)`);

// The 10,000 vs 10 ratios once more, both stores in the same rounds, each round's ratio taken
// on its own and the median of those given: on a shared machine whose speed drifts, this
// compares like with like where the tables above compare medians of different rounds.
const command = (label, cliPath, count, args) => ({
  label,
  command: process.execPath,
  args: [cliPath, ...args],
  options: { env: { ...env, SECRETRUN_STORE: stores.get(count), XDG_CACHE_HOME: cacheOf(`paired ${label}`) }, cwd: work },
});
const builds = [['', cli], ...(beforeCli === undefined ? [] : [['before: ', beforeCli]])];
const paired = timeRoundRobin(
  builds.flatMap(([prefix, cliPath]) =>
    [10, 10000].flatMap((count) => [
      command(`${prefix}kv get (${count})`, cliPath, count, ['kv', 'get', '-field=api_key', 'secret/bench/app-00005']),
      command(`${prefix}kv put (${count})`, cliPath, count, ['kv', 'put', 'secret/bench/app-00005', 'api_key=new']),
    ]),
  ),
  runs,
);
rmSync(work, { recursive: true, force: true });
const perRound = (big, small) => median(big.samples.map((ms, round) => ms / small.samples[round]));
for (let b = 0; b < builds.length; b++) {
  const [getSmall, putSmall, getBig, putBig] = paired.slice(b * 4, b * 4 + 4);
  console.log(
    `${builds[b][0] || 'this build: '}10,000 vs 10 secrets, paired by round: kv get ${perRound(getBig, getSmall).toFixed(2)}x (target <= 1.5x), kv put ${perRound(putBig, putSmall).toFixed(2)}x (target <= 1.3x); medians: kv put ${putSmall.ms.toFixed(1)} / ${putBig.ms.toFixed(1)} ms`,
  );
}
