// bench/server: throughput of `secretrun server` for GET secret/data/<key> over keep-alive,
// beside a bare node:http server answering a body of the same size (the floor any Node server
// pays); PUT throughput and latency on stores of 10, 1,000 and 10,000 secrets, beside the floor
// of a durable write (appending one record of the same size to a file and fdatasync-ing it, in
// a loop, in this run) and, with --before, beside the same figures of another build.
// Last, resolving 100 variables from the server: `secretrun run --once -- true` with a manifest
// of 100 references beside the seed guide's load-secrets.sh (one `secretrun kv get -field`
// process per variable, in sequence), both with VAULT_TOKEN set.
// Usage: npm run build && node bench/server.mjs [seconds per run, default 5] [connections, default 16]
//          [--before=<git revision, or a directory holding a built secretrun>] [--no-hundred] [--policy] [--audit]
// --before builds that revision in a temporary git worktree (node_modules linked from here),
// so "before" and "after" are measured in the same run, alternating, on the same machine.
// With --audit, GET throughput with one file audit device (a synchronous append of two lines
// per request, no fsync) beside the same server without one, root token in both. With
// --policy, the subject's GETs use a non-root token under a 10-rule ACL policy. Flags that
// change the subject server (each one a step in subjectSteps) combine in that comparison:
// `--policy --audit` is issue 11's figure (bench/server-acl.mjs sets 10 rules beside 1,000).
// Both servers run as child processes; the load generator (below) runs here, with one
// keep-alive connection per concurrent loop (autocannon/wrk are not assumed to be installed),
// after a 1.5 s warm-up so the JIT has settled. On a shared 2-core machine the load generator
// competes with the server for CPU, so compare ratios from the same run, not absolute figures.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fdatasyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadAlternating, send, summarize } from './dev-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const option = (name) => process.argv.slice(2).find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const seconds = Number(positional[0] ?? 5);
const connections = Number(positional[1] ?? 16);
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-server-'));
const env = { PATH: process.env.PATH, HOME: work, XDG_CONFIG_HOME: join(work, 'cfg'), XDG_CACHE_HOME: join(work, 'cache'), SECRETRUN_KEY: randomBytes(32).toString('base64') };
const children = [];
const cleanups = [];

// A built secretrun: its CLI and its library entry.
const buildAt = (dir) => ({ dir, cli: join(dir, 'bin', 'secretrun.cjs'), library: pathToFileURL(join(dir, 'dist', 'index.mjs')).href });
const ours = buildAt(root);

// The build to compare with: a directory holding a build, or a git revision built here.
function prepareBefore(spec) {
  if (spec === undefined) return undefined;
  if (existsSync(join(resolve(spec), 'bin', 'secretrun.cjs'))) return { ...buildAt(resolve(spec)), label: `before (${spec})` };
  const git = (...args) => spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  const revision = git('rev-parse', '--short', spec).stdout.trim();
  if (revision === '') throw new Error(`--before=${spec}: neither a built secretrun directory nor a git revision`);
  const tree = join(work, `before-${revision}`);
  const added = git('worktree', 'add', '--detach', tree, revision);
  if (added.status !== 0) throw new Error(`git worktree add failed: ${added.stderr}`);
  cleanups.push(() => git('worktree', 'remove', '--force', tree));
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'));
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: tree, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building ${revision} failed: ${built.stderr}`);
  return { ...buildAt(tree), label: `before (${revision})` };
}

// Starts a child process and resolves with the URL it prints as `listening on <url>`. Each
// build gets its own code cache (two builds sharing one would keep invalidating it).
function startChild(args) {
  const cache = args[0] === ours.cli ? join(work, 'cache') : join(work, `cache-${String(args[0]).length}`);
  const child = spawn(process.execPath, args, { env: { ...env, XDG_CACHE_HOME: cache }, cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\S+)\n/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

// Stops every child started so far and waits for them to exit (a store server checkpoints).
async function stopChildren() {
  await Promise.all(children.splice(0).map((child) => child.exitCode !== null ? undefined : new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')))));
}

// A bare node:http server answering every request with `body` as application/json.
function startBare(body) {
  const script = `const body = ${JSON.stringify(body)};
require('node:http').createServer({ keepAliveTimeout: 60000 }, (req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) }); res.end(body); }); })
  .listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;
  return startChild(['-e', script]);
}

// the other, for `seconds` seconds, on the same file system as the stores.
function measureAppendFloor(bytes) {
  const file = join(work, 'floor.log');
  const fd = openSync(file, 'a');
  const record = Buffer.alloc(bytes, 'x');
  record[bytes - 1] = 0x0a;
  const latencies = [];
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < until) {
    const start = performance.now();
    writeSync(fd, record);
    fdatasyncSync(fd);
    latencies.push(performance.now() - start);
  }
  const busy = performance.now() - started;
  closeSync(fd);
  rmSync(file);
  return summarize(latencies, busy);
}

// Median wall time (ms) of `runs` runs of a command, after one warm-up run (which also fills
// the CLI's code cache); `check` sees the warm-up's stdout.
function timeRuns(runs, command, args, options, check) {
  const samples = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    const result = spawnSync(command, args, { cwd: work, encoding: 'utf8', ...options });
    const ms = performance.now() - start;
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    if (i === 0) check(result.stdout);
    else samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

// A store of `count` secrets (two fields each) written by `build`'s library in one transaction.
async function makeStore(build, count, name) {
  const { openSecretStore } = await import(build.library);
  const path = join(work, name, 'store.json');
  const store = await openSecretStore({ path, env });
  const entries = Array.from({ length: count }, (_, i) => [`secret/bench/app-${String(i).padStart(5, '0')}`, { api_key: `value-${i}`, user: `user-${i}` }]);
  await store.writeAll(entries);
  await store.close();
  return path;
}

// Starts `build`'s server over the store at `path`; resolves with its URL and root token.
async function startStoreServer(build, path) {
  const tokenFile = `${path}.token`;
  rmSync(tokenFile, { force: true });
  const url = await startChild([build.cli, 'server', `-store=${path}`, '-listen-address=127.0.0.1:0', `-root-token-file=${tokenFile}`]);
  return { url, token: readFileSync(tokenFile, 'utf8').trim() };
}

// 100 variables over 25 paths x 4 fields: the runner (one GET per path, in parallel, over
// keep-alive) beside load-secrets.sh (100 CLI processes, each a preflight and a GET).
async function resolveHundred(url, token) {
  const agent = new Agent({ keepAlive: true });
  const refs = [];
  for (let p = 0; p < 25; p++) {
    const data = {};
    for (let f = 0; f < 4; f++) {
      data[`field_${f}`] = `value-${p}-${f}-${randomBytes(6).toString('hex')}`;
      refs.push({ name: `VAR_${p}_${f}`, path: `secret/app/part-${p}`, field: `field_${f}`, value: data[`field_${f}`] });
    }
    const put = await send(agent, url, token, 'PUT', `/v1/secret/data/app/part-${p}`, { data });
    if (put.status !== 200) throw new Error(`PUT part-${p} answered ${put.status}`);
  }
  agent.destroy();
  const dir = join(work, 'hundred');
  const binDir = join(dir, 'bin');
  mkdirSync(binDir, { recursive: true });
  symlinkSync(ours.cli, join(binDir, 'secretrun'));
  writeFileSync(
    join(dir, 'secretrun.yaml'),
    `source: { address: ${url} }\nmask: false\nenv:\n${refs.map((r) => `  ${r.name}: ${r.path}#${r.field}\n`).join('')}`,
  );
  // The guide's script, with `secretrun` for `vault` and `env` (to check the values once) or
  // `true` for ./start-application.sh.
  const script = `#!/bin/sh\nset -e\n${refs.map((r) => `export ${r.name}=$(secretrun kv get -field=${r.field} ${r.path})\n`).join('')}exec "$@"\n`;
  writeFileSync(join(dir, 'load-secrets.sh'), script, { mode: 0o755 });
  const clientEnv = { ...env, PATH: `${binDir}:${env.PATH}`, VAULT_ADDR: url, VAULT_TOKEN: token };
  const expectAll = (stdout) => {
    const lines = new Set(stdout.split('\n'));
    const wrong = refs.filter((r) => !lines.has(`${r.name}=${r.value}`));
    if (wrong.length > 0) throw new Error(`${wrong.length} of 100 variables not resolved: ${wrong.map((r) => r.name).join(' ')}`);
  };
  // The runner is told the manifest (source.address), that its address is allowed, and VAULT_TOKEN.
  const runnerEnv = { ...env, VAULT_TOKEN: token, SECRETRUN_ALLOWED_ADDRESSES: url };
  const runner = (tail) => [[ours.cli, 'run', '--once', '--', ...tail], { env: runnerEnv, cwd: dir }];
  timeRuns(0, process.execPath, ...runner(['env']), expectAll);
  timeRuns(0, join(dir, 'load-secrets.sh'), ['env'], { env: clientEnv, cwd: dir }, expectAll);
  const runs = timeRuns(11, process.execPath, ...runner(['true']), () => {});
  const guide = timeRuns(3, join(dir, 'load-secrets.sh'), ['true'], { env: clientEnv, cwd: dir }, () => {});
  console.log('resolving 100 variables (25 paths x 4 fields) from the server, median wall time');
  console.log(`  secretrun run --once -- true          ${runs.toFixed(1).padStart(8)} ms   (11 runs)`);
  console.log(`  load-secrets.sh (100 x kv get -field) ${guide.toFixed(1).padStart(8)} ms   (3 runs)`);
  console.log(`  ratio                                 ${(guide / runs).toFixed(1)}x faster (target >= 20x)`);
}

// What makes the subject server of the GET comparison differ from the reference (root token,
// no audit device); each flag adds one step, run on the subject before the load with the root
// token, given the token the load would use and returning the one it then uses.
const subjectSteps = [];
if (process.argv.includes('--policy')) {
  subjectSteps.push({
    name: 'a token under a 10-rule policy',
    async apply(url, token) {
      const rules = ['path "secret/data/bench/*" { capabilities = ["read"] }'];
      for (let i = 1; rules.length < 10; i++) {
        rules.push(i % 3 === 0 ? `path "secret/data/team-${i}/config" { capabilities = ["read", "list"] }` : i % 3 === 1 ? `path "secret/data/team-${i}/*" { capabilities = ["create", "update"] }` : `path "secret/+/team-${i}/+/keys" { capabilities = ["read"] }`);
      }
      const written = await send(new Agent(), url, token, 'PUT', '/v1/sys/policies/acl/bench-10', { policy: rules.join('\n') });
      if (written.status !== 204) throw new Error(`writing the policy answered ${written.status}: ${written.body}`);
      const created = await send(new Agent(), url, token, 'POST', '/v1/auth/token/create', { policies: ['bench-10'] });
      if (created.status !== 200) throw new Error(`creating the token answered ${created.status}: ${created.body}`);
      return JSON.parse(created.body).auth.client_token;
    },
  });
}
if (process.argv.includes('--audit')) {
  subjectSteps.push({
    name: 'one file audit device',
    async apply(url, token, loadToken) {
      const enabled = await send(new Agent(), url, token, 'PUT', '/v1/sys/audit/file', { type: 'file', options: { file_path: join(work, 'audit.log') } });
      if (enabled.status !== 204) throw new Error(`enabling the audit device answered ${enabled.status}: ${enabled.body}`);
      return loadToken;
    },
  });
}

// GET secret/data/<key> on a subject server (the steps above) beside a reference server (root
// token, no audit device), both `server -dev`, in alternating slices.
async function compareSubject(secret) {
  const devToken = 'bench-root';
  const start = () => startChild([ours.cli, 'server', '-dev', '-dev-listen-address=127.0.0.1:0', `-dev-root-token-id=${devToken}`]);
  const [reference, subject] = [await start(), await start()];
  for (const url of [reference, subject]) {
    const put = await send(new Agent(), url, devToken, 'PUT', '/v1/secret/data/bench/app', secret);
    if (put.status !== 200) throw new Error(`PUT answered ${put.status}`);
  }
  let subjectToken = devToken;
  for (const step of subjectSteps) subjectToken = await step.apply(subject, devToken, subjectToken);
  const [ref, sub] = await loadAlternating([
    { url: reference, method: 'GET', pathOf: () => '/v1/secret/data/bench/app', token: devToken },
    { url: subject, method: 'GET', pathOf: () => '/v1/secret/data/bench/app', token: subjectToken },
  ], { seconds, connections });
  console.log(`GET secret/data/<key>, dev (memory): ${subjectSteps.map((step) => step.name).join(' + ')} beside root without audit`);
  console.log(`  root, no audit     ${fmt(ref)}`);
  console.log(`  subject            ${fmt(sub)}`);
  console.log(`  ratio              ${(sub.rps / ref.rps).toFixed(2)}x (target >= 0.60x)`);
  if (process.argv.includes('--audit')) {
    const lines = readFileSync(join(work, 'audit.log'), 'utf8').split('\n').length - 1;
    console.log(`  audit log          ${lines} lines\n`);
  }
  await stopChildren();
}

const fmt = (r) => `${Math.round(r.rps).toString().padStart(6)} req/s   p50 ${r.p50.padStart(6)} ms   p99 ${r.p99.padStart(6)} ms`;
const secret = { data: { api_key: 'sk-bench-0123456789abcdef', user: 'bench-user', host: 'db.example.com', port: '5432' } };

// GET of one secret from each server (dev, then store: ours and the build before) beside a
// bare node:http server answering the same body, alternating.
async function benchGets(before) {
  const devToken = 'bench-root';
  const devUrl = await startChild([ours.cli, 'server', '-dev', '-dev-listen-address=127.0.0.1:0', `-dev-root-token-id=${devToken}`]);
  const builds = [ours, ...(before ? [before] : [])];
  const servers = [];
  for (const build of builds) servers.push({ label: build === ours ? 'secretrun server' : `${build.label}`, ...(await startStoreServer(build, await makeStore(build, 10, `get-${servers.length}`))) });
  for (const [name, targets] of [
    ['dev (memory)', [{ label: 'secretrun server', url: devUrl, token: devToken }]],
    ['store (file)', servers],
  ]) {
    const agent = new Agent({ keepAlive: true });
    for (const target of targets) await send(agent, target.url, target.token, 'PUT', '/v1/secret/data/bench/app', secret);
    const body = (await send(agent, targets[0].url, targets[0].token, 'GET', '/v1/secret/data/bench/app', undefined)).body;
    agent.destroy();
    const bare = await startBare(body);
    const results = await loadAlternating([...targets, { label: 'bare node:http', url: bare }].map((t) => ({ ...t, method: 'GET', pathOf: () => (t.token ? '/v1/secret/data/bench/app' : '/') })), { seconds, connections });
    console.log(`${name}: GET secret/data/<key> (${Buffer.byteLength(body)} B body)`);
    const rows = [...targets.map((t) => t.label), 'bare node:http'];
    results.forEach((result, i) => console.log(`  ${rows[i].padEnd(24)} ${fmt(result)}`));
    console.log(`  ratio                    ${(results[0].rps / results.at(-1).rps).toFixed(2)}x of bare (target >= 0.70x)\n`);
  }
  await stopChildren();
}

// PUT secret/data/bench/app-<n> (an existing secret, so the store keeps its size: KV v2 keeps
// 10 versions) from `connections` clients on stores of 10, 1,000 and 10,000 secrets, each
// build's server over its own copy, alternating; then the floor for a record of the size one
// PUT adds to the store.
async function benchPuts(before) {
  const builds = [ours, ...(before ? [before] : [])];
  const rows = [];
  let recordBytes = 0;
  for (const count of [10, 1000, 10000]) {
    const template = await makeStore(ours, count, `put-${count}`);
    if (recordBytes === 0) {
      // The journal record one PUT of a new version appends (its data entry and its metadata).
      const agent = new Agent({ keepAlive: true });
      const copy = join(work, 'record-size', 'store.json');
      mkdirSync(join(work, 'record-size'));
      copyFileSync(template, copy);
      const sizer = await startStoreServer(ours, copy);
      await send(agent, sizer.url, sizer.token, 'PUT', '/v1/secret/data/bench/app-00000', { data: { n: '0' } });
      await send(agent, sizer.url, sizer.token, 'PUT', '/v1/secret/data/bench/app-00000', { data: { n: '1' } });
      agent.destroy();
      const journal = readFileSync(join(work, 'record-size', '.secretrun-state', 'store.json.journal'), 'utf8').trimEnd().split('\n');
      recordBytes = Buffer.byteLength(journal.at(-1)) + 1;
      await stopChildren();
    }
    const targets = [];
    for (const [i, build] of builds.entries()) {
      const path = join(work, `put-${count}-${i}`, 'store.json');
      mkdirSync(join(work, `put-${count}-${i}`));
      copyFileSync(template, path);
      targets.push({ label: build === ours ? 'secretrun server' : build.label, ...(await startStoreServer(build, path)), path });
    }
    const results = await loadAlternating(
      targets.map((t) => ({ ...t, method: 'PUT', pathOf: (n) => `/v1/secret/data/bench/app-${String(n % count).padStart(5, '0')}`, bodyOf: (n) => ({ data: { n: String(n) } }) })),
      { seconds, connections },
    );
    await stopChildren();
    const bytes = statSync(targets[0].path).size;
    rows.push({ count, results, bytes });
  }
  const floor = measureAppendFloor(recordBytes);
  console.log(`PUT secret/data/<existing key>, ${connections} clients, every write durable before its answer`);
  for (const { count, results, bytes } of rows) {
    console.log(`  ${count} secrets (${(bytes / 1024 / 1024).toFixed(1)} MiB after the run)`);
    results.forEach((result, i) => console.log(`    ${(i === 0 ? 'secretrun server' : builds[i].label).padEnd(22)} ${fmt(result)}`));
  }
  console.log(`  floor: append ${recordBytes} B + fdatasync, one at a time   ${fmt(floor)}`);
  const big = rows.at(-1).results[0];
  const small = rows[0].results[0];
  console.log(`  10,000 vs 10 secrets: ${(small.rps / big.rps).toFixed(2)}x slower (target <= 1.5x); 10,000: ${Math.round(big.rps)} PUT/s (target >= 2,000), p99 ${big.p99} ms (target <= 25)`);
  if (before) console.log(`  10,000 secrets vs ${before.label}: ${(big.rps / rows.at(-1).results[1].rps).toFixed(1)}x the throughput\n`);
  else console.log('');
}

try {
  const before = prepareBefore(option('before'));
  console.log(`secretrun server bench: ${seconds} s per run, ${connections} keep-alive connections, node ${process.version}${before ? `, beside ${before.label}` : ''}\n`);
  if (subjectSteps.length > 0) await compareSubject(secret);
  await benchGets(before);
  await benchPuts(before);
  if (!process.argv.includes('--no-hundred')) {
    const devToken = 'bench-root';
    await resolveHundred(await startChild([ours.cli, 'server', '-dev', '-dev-listen-address=127.0.0.1:0', `-dev-root-token-id=${devToken}`]), devToken);
  }
} finally {
  for (const child of children) child.kill('SIGKILL');
  for (const cleanup of cleanups) cleanup();
  rmSync(work, { recursive: true, force: true });
}
