// bench/tokens: what token checks cost `secretrun server` per request. GET secret/data/<key>
// over keep-alive with the root token (no parent), a token three generations below it (each
// request walks the chain of parents: a child is alive only while they are), and, apart, a
// use-limited token (each request spends a use, so each is a durable transaction).
// Usage: npm run build && node bench/tokens.mjs [seconds per run, default 5] [connections, default 16]
// The server runs as a child process (dev mode, memory store); the load generator runs here, in
// one-second slices alternating between the tokens so they see the same machine. On a shared
// 2-core machine compare ratios from the same run, not absolute figures.
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
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-tokens-'));
const env = { PATH: process.env.PATH, HOME: work, XDG_CONFIG_HOME: join(work, 'cfg'), SECRETRUN_KEY: randomBytes(32).toString('base64') };

function startServer() {
  const child = spawn(process.execPath, [cli, 'server', '-dev', '-dev-listen-address=127.0.0.1:0', '-dev-root-token-id=bench-root'], { env, cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\S+)\n/.exec(out);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

function send(agent, url, method, path, token, body) {
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

// Requests/s of GET with each token, alternating one-second slices after a warm-up.
async function loadAlternating(url, tokens) {
  const states = tokens.map((token) => ({ ...token, agent: new Agent({ keepAlive: true, maxSockets: connections }), count: 0, busy: 0 }));
  const slice = async (state, ms, record) => {
    const until = performance.now() + ms;
    const started = performance.now();
    let done = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) {
          const response = await send(state.agent, url, 'GET', '/v1/secret/data/bench/app', state.token);
          if (response.status !== 200) throw new Error(`GET with the ${state.name} token answered ${response.status}: ${response.body}`);
          done += 1;
        }
      }),
    );
    if (record) {
      state.count += done;
      state.busy += performance.now() - started;
    }
  };
  for (const state of states) await slice(state, 1500, false);
  for (let second = 0; second < seconds; second++) for (const state of states) await slice(state, 1000, true);
  return states.map((state) => {
    state.agent.destroy();
    return { name: state.name, rps: state.count / (state.busy / 1000) };
  });
}

const { child, url } = await startServer();
try {
  const agent = new Agent({ keepAlive: true });
  await send(agent, url, 'PUT', '/v1/secret/data/bench/app', 'bench-root', { data: { api_key: 'sk-bench-0123456789abcdef', user: 'bench-user' } });
  let parent = 'bench-root';
  for (let generation = 0; generation < 3; generation++) {
    const created = await send(agent, url, 'POST', '/v1/auth/token/create', parent, { policies: ['root'], ttl: '1h' });
    parent = JSON.parse(created.body).auth.client_token;
  }
  const limited = JSON.parse((await send(agent, url, 'POST', '/v1/auth/token/create', 'bench-root', { policies: ['root'], ttl: '1h', num_uses: 10_000_000 })).body).auth.client_token;
  agent.destroy();
  console.log(`secretrun server token bench: ${seconds} s per run, ${connections} keep-alive connections, node ${process.version}\n`);
  const [rootRun, deep] = await loadAlternating(url, [
    { name: 'root', token: 'bench-root' },
    { name: 'great-grandchild', token: parent },
  ]);
  const [spent] = await loadAlternating(url, [{ name: 'use-limited', token: limited }]);
  const line = (label, run) => `  ${label.padEnd(40)} ${Math.round(run.rps).toString().padStart(6)} req/s   ${(run.rps / rootRun.rps).toFixed(2)}x root`;
  console.log('GET secret/data/<key>');
  console.log(line('root token (no parent)', rootRun));
  console.log(line('token 3 generations below root', deep));
  console.log(line('use-limited token (a transaction each)', spent));
} finally {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  rmSync(work, { recursive: true, force: true });
}
