// bench/runner-dynamic: (a) the runner's resolve time with one dynamic reference (a
// `database/creds/<role>` read on a real MariaDB: a new user, its lease, and its revocation at
// exit) and twenty static ones, beside the twenty static ones alone, with the local store;
// (b) with BASE=<a checkout of the code before the lease keeper, built>, the start-up of
// `secretrun run --once -- true` with ten static references, that checkout beside this one, in
// one round-robin: a manifest without a dynamic reference must not pay for the lease code.
// Usage: npm run build && node bench/runner-dynamic.mjs [runs, default 21] [resolve|startup ...]
// Figures are medians of round-robin runs; the database shares the machine's two cores.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { localStoreEnv } from './bench-env.mjs';
import { pairedRatios, printRows, timeRoundRobin } from './timing.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 21);
const sections = process.argv.length > 3 ? new Set(process.argv.slice(3)) : new Set(['resolve', 'startup']);
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-dynamic-'));
const env = localStoreEnv(work);

function secretrun(cli, ...args) {
  const result = spawnSync(process.execPath, [cli, ...args], { env, cwd: work, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`secretrun ${args[0]} ${args[1] ?? ''} failed: ${result.stderr.split('\n')[0]}`);
}

// The MariaDB helper is TypeScript: bundled once into a module to import (as bench/database.mjs).
async function loadMariadbHelper() {
  const outfile = join(work, 'mariadb-helper.mjs');
  await build({
    stdin: { contents: `export { startMariadbServer } from ${JSON.stringify(join(root, 'test/helpers/mariadb-server.ts'))};`, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return import(pathToFileURL(outfile).href);
}

const cli = join(root, 'bin', 'secretrun.cjs');
const statics = Array.from({ length: 20 }, (_, i) => [`VAR_${i}`, `value-${i}-${randomBytes(8).toString('hex')}`]);
for (const [name, value] of statics) secretrun(cli, 'kv', 'put', `secret/bench/${name.toLowerCase()}`, `value=${value}`);
const staticLines = statics.map(([name]) => `  ${name}: secret/bench/${name.toLowerCase()}#value\n`).join('');

try {
  if (sections.has('resolve')) {
    const { startMariadbServer } = await loadMariadbHelper();
    const db = await startMariadbServer();
    try {
      secretrun(cli, 'secrets', 'enable', 'database');
      secretrun(cli, 'write', 'database/config/my-database', 'plugin_name=mysql-database-plugin', `connection_url={{username}}:{{password}}@tcp(127.0.0.1:${db.port})/`, `username=${db.admin.username}`, `password=${db.admin.password}`, 'allowed_roles=*');
      secretrun(cli, 'write', 'database/roles/my-role', 'db_name=my-database', "creation_statements=CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON *.* TO '{{name}}'@'%';", 'default_ttl=1h', 'max_ttl=2h');
      writeFileSync(join(work, 'static.yaml'), `env:\n${staticLines}`);
      writeFileSync(join(work, 'dynamic.yaml'), `env:\n${staticLines}  DB_USER: database/creds/my-role#username\n  DB_PASS: database/creds/my-role#password\n`);
      const run = (label, manifest) => ({ label, command: process.execPath, args: [cli, 'run', '--once', '--manifest', manifest, '--', 'true'], options: { env, cwd: work } });
      const rows = timeRoundRobin([run('run --once -- true, 20 static refs', 'static.yaml'), run('run --once -- true, 20 static + 1 dynamic (2 vars)', 'dynamic.yaml')], runs);
      console.log(`\n(a) resolve time with the local store, median of ${runs} round-robin runs (ms); ratio = time / 20 static`);
      printRows(rows, rows[0].ms);
      console.log(`dynamic - static: ${(rows[1].ms - rows[0].ms).toFixed(1)} ms (median per-round ratio ${pairedRatios(rows, rows[0])[1].toFixed(2)}x): the user created, its lease written, the lease revoked and the user dropped at exit`);
      const left = await db.query("SELECT user FROM mysql.user WHERE user LIKE 'v-%'");
      console.log(`database users left behind: ${left.length}`);
    } finally {
      await db.stop();
    }
  }

  if (sections.has('startup')) {
    const base = process.env.BASE;
    writeFileSync(join(work, 'ten.yaml'), `env:\n${statics.slice(0, 10).map(([name]) => `  ${name}: secret/bench/${name.toLowerCase()}#value\n`).join('')}`);
    // Each build keeps its own code caches: with one directory, each run would find the other
    // build's caches, reject them and compile everything.
    const run = (label, entry, cache) => ({ label, command: process.execPath, args: [entry, 'run', '--once', '--manifest', 'ten.yaml', '--', 'true'], options: { env: { ...env, XDG_CACHE_HOME: join(work, cache) }, cwd: work } });
    const entries = [{ label: 'node -e 0', command: process.execPath, args: ['-e', '0'], options: { env, cwd: work } }, run('this build: run --once -- true (10 refs)', cli, 'cache-this')];
    if (base) entries.push(run('BASE build: run --once -- true (10 refs)', join(base, 'bin', 'secretrun.cjs'), 'cache-base'));
    else console.log('\n(b) BASE is not set: measuring this build alone');
    const rows = timeRoundRobin(entries, runs);
    console.log(`\n(b) start-up without a dynamic reference, median of ${runs} round-robin runs (ms); ratio = time / node -e 0`);
    printRows(rows, rows[0].ms);
    const paired = pairedRatios(rows, rows[0]);
    console.log(`median per-round ratios to node -e 0: ${rows.slice(1).map((row, i) => `${row.label.split(':')[0]} ${paired[i + 1].toFixed(2)}x`).join(', ')}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
