// bench/server-acl: what ACL policies cost `secretrun server` on its hot path. GET
// secret/data/<key> over keep-alive with the root token (no ACL), beside the same GET with a
// non-root token whose policies hold 10 rules, and 1,000 rules (a policy lookup must not scan
// every rule: the ACL is compiled once per policy set and revision, then a decision is a few
// map lookups). Target: the 10-rule figure >= 0.6x the root figure.
// Usage: npm run build && node bench/server-acl.mjs [seconds per run, default 5] [connections, default 16]
// Setup steps are a list (setUp below): a request-path feature measured on top (an audit
// device, say) is one more step enabled by one more flag, measured beside the same targets.
// The server runs as a child process; the load generator runs here, one keep-alive connection
// per concurrent loop, alternating one-second slices between the targets after a warm-up, so
// every target sees the same machine. On a shared 2-core machine compare ratios from the same
// run, not absolute figures.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'secretrun.cjs');
const seconds = Number(process.argv[2] ?? 5);
const connections = Number(process.argv[3] ?? 16);
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-acl-'));
const rootToken = 'bench-acl-root';
const env = { PATH: process.env.PATH, HOME: work, XDG_CONFIG_HOME: join(work, 'cfg'), SECRETRUN_KEY: randomBytes(32).toString('base64') };
const children = [];

function startServer() {
  const child = spawn(process.execPath, [cli, 'server', '-dev', '-dev-listen-address=127.0.0.1:0', `-dev-root-token-id=${rootToken}`], { env, cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\S+)\n/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

function send(agent, url, token, method, path, body) {
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

// `connections` loops against each target in turn, in one-second slices alternating between
// the targets for `seconds` each, after a 1.5 s warm-up each. Requests/s and latency percentiles.
async function loadAlternating(url, targets) {
  const states = targets.map((target) => ({ ...target, agent: new Agent({ keepAlive: true, maxSockets: connections }), latencies: [], busy: 0 }));
  const slice = async (state, ms, record) => {
    const until = performance.now() + ms;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) {
          const start = performance.now();
          const response = await send(state.agent, url, state.token, 'GET', state.path);
          if (response.status !== 200) throw new Error(`${state.name}: GET ${state.path} answered ${response.status}: ${response.body}`);
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
    return { name: state.name, rps: state.latencies.length / (state.busy / 1000), p50: at(0.5), p99: at(0.99) };
  });
}

// A policy of `count` rules of every kind (exact, `*`, `+`), one of which grants the benched read.
function policyText(count) {
  const rules = ['path "secret/data/bench/*" { capabilities = ["read"] }'];
  for (let i = 1; rules.length < count; i++) {
    const kind = i % 3;
    if (kind === 0) rules.push(`path "secret/data/team-${i}/config" { capabilities = ["read", "list"] }`);
    else if (kind === 1) rules.push(`path "secret/data/team-${i}/*" { capabilities = ["create", "update"] }`);
    else rules.push(`path "secret/+/team-${i}/+/keys" { capabilities = ["read"] }`);
  }
  return rules.join('\n');
}

const fmt = (r) => `${Math.round(r.rps).toString().padStart(6)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms`;

try {
  console.log(`secretrun server ACL bench: ${seconds} s per target, ${connections} keep-alive connections, node ${process.version}\n`);
  const url = await startServer();
  const agent = new Agent({ keepAlive: true });
  const call = async (method, path, body, token = rootToken) => {
    const response = await send(agent, url, token, method, path, body);
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${response.body}`);
    return response.body === '' ? {} : JSON.parse(response.body);
  };
  const tokenWith = async (policy) => (await call('POST', '/v1/auth/token/create', { policies: [policy] })).auth.client_token;
  const setUp = [
    () => call('PUT', '/v1/secret/data/bench/app', { data: { api_key: 'sk-bench-0123456789abcdef', user: 'bench-user', host: 'db.example.com', port: '5432' } }),
    () => call('PUT', '/v1/sys/policies/acl/bench-10', { policy: policyText(10) }),
    () => call('PUT', '/v1/sys/policies/acl/bench-1000', { policy: policyText(1000) }),
  ];
  for (const step of setUp) await step();
  const path = '/v1/secret/data/bench/app';
  const targets = [
    { name: 'root token (no ACL)', token: rootToken, path },
    { name: 'token, 10-rule policy', token: await tokenWith('bench-10'), path },
    { name: 'token, 1,000-rule policy', token: await tokenWith('bench-1000'), path },
  ];
  agent.destroy();
  const [rootFigure, ten, thousand] = await loadAlternating(url, targets);
  console.log('GET secret/data/<key>');
  for (const figure of [rootFigure, ten, thousand]) console.log(`  ${figure.name.padEnd(26)} ${fmt(figure)}`);
  console.log(`  ratio 10 rules / root       ${(ten.rps / rootFigure.rps).toFixed(2)}x (target >= 0.60x)`);
  console.log(`  ratio 1,000 / 10 rules      ${(thousand.rps / ten.rps).toFixed(2)}x (no scan of the rules: ~1.0x)`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
