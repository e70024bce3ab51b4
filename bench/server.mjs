// bench/server: throughput of `secretrun server` for GET secret/data/<key> over keep-alive,
// beside a bare node:http server answering a body of the same size (the floor any Node server
// pays), and PUT throughput/latency, in dev (memory) and store (encrypted file) mode.
// Last, resolving 100 variables from the server: `secretrun run --once -- true` with a manifest
// of 100 references beside the seed guide's load-secrets.sh (one `secretrun kv get -field`
// process per variable, in sequence), both with VAULT_TOKEN set.
// Usage: npm run build && node bench/server.mjs [seconds per run, default 5] [connections, default 16] [--policy] [--audit]
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
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'secretrun.cjs');
const flags = new Set(process.argv.slice(2).filter((arg) => arg.startsWith('--')));
const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const seconds = Number(positional[0] ?? 5);
const connections = Number(positional[1] ?? 16);
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-server-'));
const token = 'bench-root';
const env = { PATH: process.env.PATH, HOME: work, XDG_CONFIG_HOME: join(work, 'cfg'), SECRETRUN_KEY: randomBytes(32).toString('base64') };
const children = [];
let currentToken = token;

// Starts a child process and resolves with the URL it prints as `listening on <url>`.
function startChild(args) {
  const child = spawn(process.execPath, args, { env, cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
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

// A bare node:http server answering every request with `body` as application/json.
function startBare(body) {
  const script = `const body = ${JSON.stringify(body)};
require('node:http').createServer({ keepAliveTimeout: 60000 }, (req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) }); res.end(body); }); })
  .listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;
  return startChild(['-e', script]);
}

function send(agent, url, method, path, body, token = currentToken) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { 'X-Vault-Token': token, ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}) };
    const outgoing = request(`${url}${path}`, { method, agent, headers }, (incoming) => {
      const chunks = [];
      incoming.on('data', (chunk) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

// Runs `connections` loops against each target in turn, in one-second slices alternating
// between the targets for `seconds` each (after a warm-up), so both see the same machine: this
// VM's speed drifts. Requests/s and latency percentiles per target.
async function loadAlternating(targets) {
  const states = targets.map((target) => ({ ...target, agent: new Agent({ keepAlive: true, maxSockets: connections }), latencies: [], busy: 0, counter: 0 }));
  const slice = async (state, ms, record) => {
    const until = performance.now() + ms;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) {
          const n = state.counter++;
          const start = performance.now();
          const response = await send(state.agent, state.url, state.method, state.pathOf(n), state.bodyOf?.(n), state.token);
          if (response.status !== 200) throw new Error(`${state.method} ${state.pathOf(n)} answered ${response.status}: ${response.body}`);
          if (record) state.latencies.push(performance.now() - start);
        }
      }),
    );
    if (record) state.busy += performance.now() - started;
  };
  for (const state of states) await slice(state, 1500, false);
  for (let second = 0; second < seconds; second++) for (const state of states) await slice(state, 1000, true);
  return states.map((state) => {
    state.agent.destroy();
    state.latencies.sort((a, b) => a - b);
    const at = (p) => state.latencies[Math.min(state.latencies.length - 1, Math.floor(state.latencies.length * p))].toFixed(2);
    return { rps: state.latencies.length / (state.busy / 1000), p50: at(0.5), p99: at(0.99) };
  });
}

// One target alone (PUT throughput has no floor to compare with).
async function load(url, method, pathOf, bodyOf) {
  const [result] = await loadAlternating([{ url, method, pathOf, bodyOf }]);
  return result;
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

// 100 variables over 25 paths x 4 fields: the runner (one GET per path, in parallel, over
// keep-alive) beside load-secrets.sh (100 CLI processes, each a preflight and a GET).
async function resolveHundred(url) {
  const agent = new Agent({ keepAlive: true });
  const refs = [];
  for (let p = 0; p < 25; p++) {
    const data = {};
    for (let f = 0; f < 4; f++) {
      data[`field_${f}`] = `value-${p}-${f}-${randomBytes(6).toString('hex')}`;
      refs.push({ name: `VAR_${p}_${f}`, path: `secret/app/part-${p}`, field: `field_${f}`, value: data[`field_${f}`] });
    }
    const put = await send(agent, url, 'PUT', `/v1/secret/data/app/part-${p}`, { data });
    if (put.status !== 200) throw new Error(`PUT part-${p} answered ${put.status}`);
  }
  agent.destroy();
  const dir = join(work, 'hundred');
  const binDir = join(dir, 'bin');
  mkdirSync(binDir, { recursive: true });
  symlinkSync(cli, join(binDir, 'secretrun'));
  writeFileSync(
    join(dir, 'secretrun.yaml'),
    `source: { address: ${url} }\nmask: false\nenv:\n${refs.map((r) => `  ${r.name}: ${r.path}#${r.field}\n`).join('')}`,
  );
  // The guide's script, with `secretrun` for `vault` and `env` (to check the values once) or
  // `true` for ./start-application.sh.
  const script = `#!/bin/sh\nset -e\n${refs.map((r) => `export ${r.name}=$(secretrun kv get -field=${r.field} ${r.path})\n`).join('')}exec "$@"\n`;
  writeFileSync(join(dir, 'load-secrets.sh'), script, { mode: 0o755 });
  const clientEnv = { ...env, PATH: `${binDir}:${env.PATH}`, VAULT_ADDR: url, VAULT_TOKEN: currentToken };
  const expectAll = (stdout) => {
    const lines = new Set(stdout.split('\n'));
    const wrong = refs.filter((r) => !lines.has(`${r.name}=${r.value}`));
    if (wrong.length > 0) throw new Error(`${wrong.length} of 100 variables not resolved: ${wrong.map((r) => r.name).join(' ')}`);
  };
  // The runner is told the manifest (source.address), that its address is allowed, and VAULT_TOKEN.
  const runnerEnv = { ...env, VAULT_TOKEN: currentToken, SECRETRUN_ALLOWED_ADDRESSES: url };
  const runner = (tail) => [[cli, 'run', '--once', '--', ...tail], { env: runnerEnv, cwd: dir }];
  timeRuns(0, process.execPath, ...runner(['env']), expectAll);
  timeRuns(0, join(dir, 'load-secrets.sh'), ['env'], { env: clientEnv, cwd: dir }, expectAll);
  const ours = timeRuns(11, process.execPath, ...runner(['true']), () => {});
  const guide = timeRuns(3, join(dir, 'load-secrets.sh'), ['true'], { env: clientEnv, cwd: dir }, () => {});
  console.log('resolving 100 variables (25 paths x 4 fields) from the server, median wall time');
  console.log(`  secretrun run --once -- true          ${ours.toFixed(1).padStart(8)} ms   (11 runs)`);
  console.log(`  load-secrets.sh (100 x kv get -field) ${guide.toFixed(1).padStart(8)} ms   (3 runs)`);
  console.log(`  ratio                                 ${(guide / ours).toFixed(1)}x faster (target >= 20x)`);
}

// What makes the subject server of the GET comparison differ from the reference (root token,
// no audit device); each flag adds one step, run on the subject before the load with the root
// token, given the token the load would use and returning the one it then uses.
const subjectSteps = [];
if (flags.has('--policy')) {
  subjectSteps.push({
    name: 'a token under a 10-rule policy',
    async apply(url, token) {
      const rules = ['path "secret/data/bench/*" { capabilities = ["read"] }'];
      for (let i = 1; rules.length < 10; i++) {
        rules.push(i % 3 === 0 ? `path "secret/data/team-${i}/config" { capabilities = ["read", "list"] }` : i % 3 === 1 ? `path "secret/data/team-${i}/*" { capabilities = ["create", "update"] }` : `path "secret/+/team-${i}/+/keys" { capabilities = ["read"] }`);
      }
      const written = await send(new Agent(), url, 'PUT', '/v1/sys/policies/acl/bench-10', { policy: rules.join('\n') }, token);
      if (written.status !== 204) throw new Error(`writing the policy answered ${written.status}: ${written.body}`);
      const created = await send(new Agent(), url, 'POST', '/v1/auth/token/create', { policies: ['bench-10'] }, token);
      if (created.status !== 200) throw new Error(`creating the token answered ${created.status}: ${created.body}`);
      return JSON.parse(created.body).auth.client_token;
    },
  });
}
if (flags.has('--audit')) {
  subjectSteps.push({
    name: 'one file audit device',
    async apply(url, token, loadToken) {
      const enabled = await send(new Agent(), url, 'PUT', '/v1/sys/audit/file', { type: 'file', options: { file_path: join(work, 'audit.log') } }, token);
      if (enabled.status !== 204) throw new Error(`enabling the audit device answered ${enabled.status}: ${enabled.body}`);
      return loadToken;
    },
  });
}

// GET secret/data/<key> on a subject server (the steps above) beside a reference server (root
// token, no audit device), both `server -dev`, in alternating slices.
async function compareSubject(secret) {
  const start = () => startChild([cli, 'server', '-dev', '-dev-listen-address=127.0.0.1:0', `-dev-root-token-id=${token}`]);
  const [reference, subject] = [await start(), await start()];
  for (const url of [reference, subject]) {
    const put = await send(new Agent(), url, 'PUT', '/v1/secret/data/bench/app', secret, token);
    if (put.status !== 200) throw new Error(`PUT answered ${put.status}`);
  }
  let subjectToken = token;
  for (const step of subjectSteps) subjectToken = await step.apply(subject, token, subjectToken);
  const [ref, sub] = await loadAlternating([
    { url: reference, method: 'GET', pathOf: () => '/v1/secret/data/bench/app', token },
    { url: subject, method: 'GET', pathOf: () => '/v1/secret/data/bench/app', token: subjectToken },
  ]);
  console.log(`GET secret/data/<key>, dev (memory): ${subjectSteps.map((step) => step.name).join(' + ')} beside root without audit`);
  console.log(`  root, no audit     ${fmt(ref)}`);
  console.log(`  subject            ${fmt(sub)}`);
  console.log(`  ratio              ${(sub.rps / ref.rps).toFixed(2)}x (target >= 0.60x)`);
  if (flags.has('--audit')) {
    const lines = readFileSync(join(work, 'audit.log'), 'utf8').split('\n').length - 1;
    console.log(`  audit log          ${lines} lines\n`);
  }
  for (const child of children.splice(0)) child.kill('SIGTERM');
}

const fmt = (r) => `${Math.round(r.rps).toString().padStart(6)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms`;

try {
  const secret = { data: { api_key: 'sk-bench-0123456789abcdef', user: 'bench-user', host: 'db.example.com', port: '5432' } };
  const modes = [
    ['dev (memory)', ['server', '-dev', '-dev-listen-address=127.0.0.1:0', `-dev-root-token-id=${token}`]],
    ['store (file)', ['server', `-store=${join(work, 'store.json')}`, '-listen-address=127.0.0.1:0', `-root-token-file=${join(work, 'token')}`]],
  ];
  console.log(`secretrun server bench: ${seconds} s per run, ${connections} keep-alive connections, node ${process.version}\n`);
  if (subjectSteps.length > 0) await compareSubject(secret);
  for (const [name, args] of modes) {
    const url = await startChild([cli, ...args]);
    const agent = new Agent({ keepAlive: true });
    // A store's first root token is random; the server wrote it to the -root-token-file.
    currentToken = name.startsWith('store') ? readFileSync(join(work, 'token'), 'utf8').trim() : token;
    await send(agent, url, 'PUT', '/v1/secret/data/bench/app', secret);
    const body = (await send(agent, url, 'GET', '/v1/secret/data/bench/app')).body;
    agent.destroy();
    const bare = await startBare(body);
    const [ours, floor] = await loadAlternating([
      { url, method: 'GET', pathOf: () => '/v1/secret/data/bench/app' },
      { url: bare, method: 'GET', pathOf: () => '/' },
    ]);
    console.log(`${name}: GET secret/data/<key> (${Buffer.byteLength(body)} B body)`);
    console.log(`  secretrun server   ${fmt(ours)}`);
    console.log(`  bare node:http     ${fmt(floor)}`);
    console.log(`  ratio              ${(ours.rps / floor.rps).toFixed(2)}x (target >= 0.70x)`);
    const puts = await load(url, 'PUT', (n) => `/v1/secret/data/bench/put-${n % 100}`, (n) => ({ data: { n: String(n) } }));
    console.log(`${name}: PUT secret/data/<key> (100 keys)`);
    console.log(`  secretrun server   ${fmt(puts)}\n`);
    for (const child of children.splice(0)) child.kill('SIGTERM');
  }
  currentToken = token;
  await resolveHundred(await startChild([cli, ...modes[0][1]]));
} finally {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}
