// bench/tokens: what token checks cost `secretrun server` per request. GET secret/data/<key>
// over keep-alive with the root token (no parent), a token three generations below it (each
// request walks the chain of parents: a child is alive only while they are), and, apart, a
// use-limited token (each request spends a use, so each is a durable transaction).
// Usage: npm run build && node bench/tokens.mjs [seconds per run, default 5] [connections, default 16]
// The server (dev mode, memory store) and the load generator are bench/dev-server.mjs's.
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
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-tokens-'));
const env = { PATH: process.env.PATH, HOME: work, XDG_CONFIG_HOME: join(work, 'cfg'), SECRETRUN_KEY: randomBytes(32).toString('base64') };
const path = '/v1/secret/data/bench/app';

const { url, stop } = await startDevServer({ cli, env, cwd: work, rootToken: 'bench-root' });
try {
  const agent = new Agent({ keepAlive: true });
  await send(agent, url, 'bench-root', 'PUT', path, { data: { api_key: 'sk-bench-0123456789abcdef', user: 'bench-user' } });
  let parent = 'bench-root';
  for (let generation = 0; generation < 3; generation++) {
    const created = await send(agent, url, parent, 'POST', '/v1/auth/token/create', { policies: ['root'], ttl: '1h' });
    parent = JSON.parse(created.body).auth.client_token;
  }
  const limited = JSON.parse((await send(agent, url, 'bench-root', 'POST', '/v1/auth/token/create', { policies: ['root'], ttl: '1h', num_uses: 10_000_000 })).body).auth.client_token;
  agent.destroy();
  console.log(`secretrun server token bench: ${seconds} s per run, ${connections} keep-alive connections, node ${process.version}\n`);
  const options = { seconds, connections };
  const [rootRun, deep] = await loadAlternating([
    { name: 'root', url, token: 'bench-root', path },
    { name: 'great-grandchild', url, token: parent, path },
  ], options);
  const [spent] = await loadAlternating([{ name: 'use-limited', url, token: limited, path }], options);
  const line = (label, run) => `  ${label.padEnd(40)} ${Math.round(run.rps).toString().padStart(6)} req/s   ${(run.rps / rootRun.rps).toFixed(2)}x root`;
  console.log('GET secret/data/<key>');
  console.log(line('root token (no parent)', rootRun));
  console.log(line('token 3 generations below root', deep));
  console.log(line('use-limited token (a transaction each)', spent));
} finally {
  await stop();
  rmSync(work, { recursive: true, force: true });
}
