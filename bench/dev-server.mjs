// What the server benches share: `secretrun server -dev` on a free port as a child process, one
// request over a keep-alive agent, and a load generator that alternates one-second slices
// between targets (after a warm-up each), so that every target sees the same machine. On a
// shared 2-core machine compare ratios from one run, not absolute figures.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';

// Starts `secretrun server -dev` with `rootToken`; resolves to its URL and a stop().
export function startDevServer({ cli, env, cwd, rootToken }) {
  const child = spawn(process.execPath, [cli, 'server', '-dev', '-dev-listen-address=127.0.0.1:0', `-dev-root-token-id=${rootToken}`], { env, cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\S+)\n/.exec(out);
      if (match) resolve({ url: match[1], stop });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

// One request with `token`; resolves to its status and body text.
export function send(agent, url, token, method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { 'X-Vault-Token': token ?? '', ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}) };
    const outgoing = request(`${url}${path}`, { method, agent, headers }, (incoming) => {
      const chunks = [];
      incoming.on('data', (chunk) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

// One keep-alive connection speaking the least HTTP/1.1 a client can: a request line, a token,
// and a response read by its Content-Length. Node's own client (node:http) spends about
// 0.2 ms of JavaScript per request on this VM (a `kv get` round trip: 0.31 ms through it,
// 0.08 ms through this), which hides the server's own time in a latency measured in tenths of
// a millisecond; clients such as curl or the vault CLI (Go) cost far less than node:http.
// request(method, path, token, body) resolves to { status, body } (body as text); one request
// at a time.
export async function openRawConnection(url) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.setNoDelay(true);
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let pending;
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    const end = buffer.indexOf('\r\n\r\n');
    if (end === -1 || pending === undefined) return;
    const head = buffer.toString('latin1', 0, end);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (buffer.length < end + 4 + length) return;
    const status = Number(head.slice(9, 12));
    const body = buffer.toString('utf8', end + 4, end + 4 + length);
    buffer = buffer.subarray(end + 4 + length);
    const done = pending;
    pending = undefined;
    done.resolve({ status, body });
  });
  socket.on('error', (error) => pending?.reject(error));
  socket.on('close', () => pending?.reject(new Error('the server closed the connection')));
  return {
    request(method, path, token, body) {
      const payload = body === undefined ? '' : JSON.stringify(body);
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        socket.write(`${method} ${path} HTTP/1.1\r\nHost: ${hostname}\r\nX-Vault-Token: ${token}\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`);
      });
    },
    close: () => socket.destroy(),
  };
}

// Requests to each target from `connections` loops, in one-second slices alternating between
// the targets for `seconds` each, after a 1.5 s warm-up each: requests/s and latency
// percentiles (ms) per target. A target is { url, token, method (GET), path or pathOf(n,
// client), bodyOf(n) }, with any other fields (a name) kept in its figures.
export async function loadAlternating(targets, { seconds, connections }) {
  const states = targets.map((target) => ({ ...target, agent: new Agent({ keepAlive: true, maxSockets: connections }), latencies: [], busy: 0, counter: 0 }));
  const slice = async (state, ms, record) => {
    const until = performance.now() + ms;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async (_, client) => {
        while (performance.now() < until) {
          const n = state.counter++;
          const path = state.pathOf ? state.pathOf(n, client) : state.path;
          const start = performance.now();
          const response = await send(state.agent, state.url, state.token, state.method ?? 'GET', path, state.bodyOf?.(n));
          if (response.status !== 200 && response.status !== 204) throw new Error(`${state.method ?? 'GET'} ${path} answered ${response.status}: ${response.body}`);
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
    return { name: state.name, ...summarize(state.latencies, state.busy) };
  });
}

// Operations per second and latency percentiles (ms) of a run.
export function summarize(latencies, busyMs) {
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(2);
  return { rps: latencies.length / (busyMs / 1000), p50: at(0.5), p99: at(0.99) };
}
