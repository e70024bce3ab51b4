// bench/server-acl: what ACL policies cost `secretrun server` on its hot path. GET
// secret/data/<key> over keep-alive with the root token (no ACL), beside the same GET with a
// non-root token whose policies hold 10 rules, and 1,000 rules (a policy lookup must not scan
// every rule: the ACL is compiled once per policy set and revision, then a decision is a few
// map lookups). Target: the 10-rule figure >= 0.6x the root figure.
// Usage: npm run build && node bench/server-acl.mjs [seconds per run, default 5] [connections, default 16]
// Setup steps are a list (setUp below): a request-path feature measured on top (an audit
// device, say) is one more step enabled by one more flag, measured beside the same targets.
// The server and the load generator are bench/dev-server.mjs's.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAlternating, send, startDevServer } from './dev-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'secretrun.cjs');
const seconds = Number(process.argv[2] ?? 5);
const connections = Number(process.argv[3] ?? 16);
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-acl-'));
const rootToken = 'bench-acl-root';
const env = { PATH: process.env.PATH, HOME: work, XDG_CONFIG_HOME: join(work, 'cfg'), SECRETRUN_KEY: randomBytes(32).toString('base64') };

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

const server = await startDevServer({ cli, env, cwd: work, rootToken });
try {
  console.log(`secretrun server ACL bench: ${seconds} s per target, ${connections} keep-alive connections, node ${process.version}\n`);
  const { url } = server;
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
  const [rootFigure, ten, thousand] = await loadAlternating(targets.map((target) => ({ ...target, url })), { seconds, connections });
  console.log('GET secret/data/<key>');
  for (const figure of [rootFigure, ten, thousand]) console.log(`  ${figure.name.padEnd(26)} ${fmt(figure)}`);
  console.log(`  ratio 10 rules / root       ${(ten.rps / rootFigure.rps).toFixed(2)}x (target >= 0.60x)`);
  console.log(`  ratio 1,000 / 10 rules      ${(thousand.rps / ten.rps).toFixed(2)}x (no scan of the rules: ~1.0x)`);
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
