// bench/database-server: `read database/creds/<role>` through `secretrun server` (latency one at
// a time, throughput with concurrent clients) beside the database's own CREATE USER + GRANT
// round trip through its driver on an open connection, in the same run, for PostgreSQL and
// MariaDB (real servers started here, as the tests start them). Issue 12's target: the read
// within 2x of the database's own round trip. The server runs on a memory store (-dev) and on
// an encrypted file store: every read records its lease in the store.
// Usage: npm run build && node bench/database-server.mjs [iterations, default 300] [only…]
// where each `only` (postgresql, mariadb, memory, file) keeps the phases it names. With
// BASE=<another checkout, built>, each phase also runs that build's server beside this one's and
// times both in the same rotation, printing their ratio: a change of a few percent shows there,
// where separate runs differ by more than that on a shared VM.
// 300 iterations: on the shared 2-core VM five runs of 100 gave MariaDB on a file store
// 1.68x-2.01x, five of 300 1.64x-1.76x (same build, alternating).
// The databases, the server and this process share the machine's two cores: compare the ratios
// of one run. Latency samples rotate direct and server reads after a warm-up. The server's
// reads are timed through two clients: the leanest HTTP a client can speak (the server's own
// latency, as curl or the vault CLI would see it nearly) and Node's node:http (as a Node
// program sees it: about 0.2 ms of the client's own JavaScript more per request here).
import { spawn } from 'node:child_process';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDatabases, loadBenchModules, renderRow, time } from './database-setup.mjs';
import { openRawConnection } from './dev-server.mjs';
import { median } from './timing.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const base = process.env.BASE;
const builds = [{ label: 'this build', cli: join(root, 'bin', 'secretrun.cjs') }, ...(base ? [{ label: 'BASE', cli: join(base, 'bin', 'secretrun.cjs') }] : [])];
const iterations = Number(process.argv[2] ?? 300);
const only = process.argv.slice(3).map((word) => word.toLowerCase());
const wanted = (names) => {
  const named = only.filter((word) => names.includes(word));
  return (name) => named.length === 0 || named.includes(name);
};
const wantedDatabase = wanted(benchDatabases.map((database) => database.title.toLowerCase()));
const wantedStore = wanted(['memory', 'file']);
const warmup = 15;
const concurrency = 8;

// `secretrun server` on a free port: memory (-dev) or a new file store.
async function startSecretrun(kind, work, cli) {
  const token = `bench-${randomBytes(8).toString('hex')}`;
  const env = { ...process.env, SECRETRUN_KEY: randomBytes(32).toString('base64'), XDG_CONFIG_HOME: join(work, 'cfg') };
  delete env.VAULT_ADDR;
  const args =
    kind === 'memory'
      ? ['server', '-dev', '-dev-listen-address=127.0.0.1:0', `-dev-root-token-id=${token}`]
      : ['server', '-listen-address=127.0.0.1:0', `-store=${join(work, `store-${randomBytes(4).toString('hex')}.json`)}`];
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const url = await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /listening on (\S+)\n/.exec(out);
      if (match) {
        clearInterval(timer);
        resolve(match[1]);
      }
    }, 10);
    child.on('exit', () => reject(new Error(`server exited: ${out}`)));
  });
  const rootToken = kind === 'memory' ? token : /Root Token: (\S+)/.exec(out)?.[1];
  // Keep-alive connections, as a Vault client keeps them.
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const call = (method, path, body) =>
    new Promise((resolve, reject) => {
      const request = http.request(`${url}/v1/${path}`, { method, agent, headers: { 'x-vault-token': rootToken, 'content-type': 'application/json' } }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => (response.statusCode >= 400 ? reject(new Error(`${method} ${path}: ${response.statusCode} ${text}`)) : resolve(text === '' ? undefined : JSON.parse(text))));
      });
      request.on('error', reject);
      request.end(body === undefined ? undefined : JSON.stringify(body));
    });
  // The same read over the leanest HTTP client (bench/dev-server.mjs): the server's own latency.
  const raw = await openRawConnection(url);
  const rawRead = async (path) => {
    const { status, body } = await raw.request('GET', `/v1/${path}`, rootToken);
    if (status >= 400) throw new Error(`GET ${path}: ${status} ${body}`);
    return JSON.parse(body);
  };
  const stop = () => {
    raw.close();
    agent.destroy();
    return new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.on('exit', resolve), child.kill('SIGTERM'))));
  };
  return { call, rawRead, stop };
}

const row = (label, values) => renderRow(label, values, base ? 56 : 42);

// Latency (alternating, one at a time) and throughput (concurrent server reads; the database's
// own statements one after another on its connection) for one database and store kind, for
// each build's server (`servers`: label → server).
async function measure(title, direct, dropDirect, servers) {
  // Each side creates a user and returns how to drop it: every user is dropped after the
  // round it was made in, untimed, so that the database keeps a handful of users throughout.
  // MariaDB's CREATE USER + GRANT slows as users pile up (0.7 ms with a few, 1.8 ms with 2,000
  // here), which hid the server's overhead more the longer a run went on.
  const sides = {
    direct: async () => {
      const name = await direct();
      return () => dropDirect(name);
    },
  };
  for (const [label, server] of servers) {
    const revoke = (answer) => () => server.call('PUT', 'sys/leases/revoke', { lease_id: answer.lease_id });
    sides[`${label}, node:http`] = async () => revoke(await server.call('GET', 'database/creds/bench'));
    sides[`${label}, lean client`] = async () => revoke(await server.rawRead('database/creds/bench'));
  }
  const names = Object.keys(sides);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < warmup + iterations; i += 1) {
    // Each side takes each place in the order in turn.
    const order = names.map((_, k) => names[(i + k) % names.length]);
    const cleanups = [];
    for (const side of order) {
      const ms = await time(async () => cleanups.push(await sides[side]()));
      if (i >= warmup) samples[side].push(ms);
    }
    for (const cleanup of cleanups) await cleanup();
  }
  const paired = (side, over = 'direct') => median(samples[side].map((ms, i) => ms / samples[over][i]));
  const count = iterations;
  const directMs = await time(async () => {
    for (let i = 0; i < count; i += 1) await direct();
  });
  const throughput = [];
  for (const [label, server] of servers) {
    let next = 0;
    const ms = await time(() =>
      Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) {
            next += 1;
            await server.call('GET', 'database/creds/bench');
          }
        }),
      ),
    );
    throughput.push(`${servers.size > 1 ? `${label} ` : ''}${((count / ms) * 1000).toFixed(0)}/s`);
  }
  console.log(title);
  console.log(row('database CREATE USER + GRANT (driver)', samples.direct));
  for (const [label] of servers) {
    const prefix = servers.size > 1 ? `${label}: ` : '';
    console.log(row(`${prefix}read database/creds/bench (node:http)`, samples[`${label}, node:http`]));
    console.log(row(`${prefix}read database/creds/bench (lean client)`, samples[`${label}, lean client`]));
    console.log(`  ${prefix}latency ratio (median of paired ratios)  ${paired(`${label}, lean client`).toFixed(2)}x with a lean HTTP client, ${paired(`${label}, node:http`).toFixed(2)}x through node:http`);
  }
  if (servers.size > 1) {
    const [mine, other] = [...servers.keys()];
    console.log(`  ${mine} over ${other} (median of paired ratios): ${paired(`${mine}, lean client`, `${other}, lean client`).toFixed(3)} with a lean HTTP client, ${paired(`${mine}, node:http`, `${other}, node:http`).toFixed(3)} through node:http`);
  }
  console.log(`  throughput: database ${((count / directMs) * 1000).toFixed(0)}/s one after another; server ${throughput.join(', ')} with ${concurrency} concurrent clients`);
}

async function configure(server, plugin, url, admin, creation) {
  await server.call('POST', 'sys/mounts/database', { type: 'database' });
  await server.call('POST', 'database/config/db', { plugin_name: plugin, connection_url: url, username: admin.username, password: admin.password, allowed_roles: '*' });
  await server.call('POST', 'database/roles/bench', { db_name: 'db', creation_statements: creation, default_ttl: '1h' });
}

const modules = await loadBenchModules();
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-dbs-'));
console.log(`bench/database-server: ${iterations} iterations after ${warmup} warm-up, Node ${process.version}${base ? `; BASE ${base}` : ''}`);
try {
  for (const database of benchDatabases.filter((database) => wantedDatabase(database.title.toLowerCase()))) {
    const db = await database.start(modules);
    try {
      let n = 0;
      const created = new Set();
      const direct = async () => {
        const name = `direct-${(n += 1)}`;
        created.add(name);
        await db.createDirect(name);
        return name;
      };
      const dropDirect = async (name) => {
        created.delete(name);
        await db.dropDirect(name);
      };
      for (const kind of ['memory', 'file'].filter(wantedStore)) {
        const servers = new Map();
        try {
          for (const build of builds) {
            const server = await startSecretrun(kind, work, build.cli);
            servers.set(build.label, server);
            await configure(server, database.plugin, db.url, db.server.admin, database.creation);
          }
          await measure(`${database.title}, server on a ${kind} store`, direct, dropDirect, servers);
          // What the throughput runs created is dropped too: each phase meets the same database.
          for (const server of servers.values()) await server.call('PUT', 'sys/leases/revoke-prefix/database/creds/bench');
          for (const name of [...created]) await dropDirect(name);
        } finally {
          for (const server of servers.values()) await server.stop();
        }
      }
    } finally {
      await db.stop();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
