import { createVaultHttpClient, transportOptionsFromEnv } from '../client/vault-http-client.js';
import { startPollLoop, type PollOutcome } from './poll-schedule.js';
import { unavailableRead } from './remote-answers.js';
import { createDynamicReads, type DynamicRequest } from './dynamic-reads.js';
import { createMountCache, type SendRequest } from './remote-mounts.js';
import { createPathPoller } from './remote-poll.js';
import { readRemoteSecret, type Signature } from './remote-read.js';
import { createTokenKeeper, type TokenSourceOptions } from './remote-token.js';
import { requestKey, type SecretRead, type SecretRequest, type SecretSource } from './source.js';

// The runner's source when VAULT_ADDR (or `source.address`) is set: any Vault-compatible
// server. One GET per distinct path, all in parallel over keep-alive; the KV version of each
// mount is asked once and cached (remote-mounts.ts). Watching polls the cheap `metadata`
// endpoint (remote-poll.ts) at an interval with jitter and backs off on errors
// (poll-schedule.ts).

// Default poll interval: 30 s, ±10 % jitter so many runners do not poll in step.
export const defaultPollIntervalMs = 30_000;

export interface RemoteSourceOptions {
  address: string;
  /** VAULT_TOKEN, HOME (for ~/.vault-token), VAULT_NAMESPACE, VAULT_CACERT, VAULT_CAPATH, VAULT_SKIP_VERIFY. */
  env: Readonly<Record<string, string | undefined>>;
  /** Default: VAULT_TOKEN when set, else the token file ~/.vault-token. */
  auth?: TokenSourceOptions;
  pollIntervalMs?: number;
  /** Fraction of the interval added or removed at random; default 0.1. */
  jitter?: number;
  /** Longest wait between polls after repeated errors; default 5 min. */
  maxBackoffMs?: number;
  /** Told when polling works again after errors (the runner also gets an onChange). */
  onRecovered?: () => void;
  random?: () => number;
  now?: () => number;
}

// Creates a remote source; nothing is sent until the first read.
export function createRemoteSource(options: RemoteSourceOptions): SecretSource {
  const { env } = options;
  const http = createVaultHttpClient({ address: options.address, namespace: env['VAULT_NAMESPACE'] || undefined, ...transportOptionsFromEnv(env) });
  const auth: TokenSourceOptions = options.auth ?? (env['VAULT_TOKEN'] ? { kind: 'token', token: env['VAULT_TOKEN'] } : { kind: 'file' });
  const tokens = createTokenKeeper(http, auth, env);
  const send: SendRequest = async (method, path, query) => http.request({ method, path, query, token: await tokens.token() });
  const mounts = createMountCache(send);
  const pollPath = createPathPoller(send, mounts, options.now ?? Date.now);
  // Unpinned paths read so far, with what the last read saw.
  const seen = new Map<string, Signature>();
  // Paths on mounts other than KV (database/creds/…): read with their leases, kept fresh.
  const dynamic = createDynamicReads(
    async () => ({
      call: async (method, path, body) => {
        const response = await http.request({ method, path, token: await tokens.token(), ...(body === undefined ? {} : { body }) });
        return { status: response.status, json: response.json };
      },
      close: async () => undefined,
    }),
    options.now ?? Date.now,
  );

  return {
    dynamic: dynamic.control,
    async readSecrets(requests) {
      const distinct = new Map<string, SecretRequest>();
      for (const request of requests) distinct.set(requestKey(request), request);
      const onOtherEngines = new Map<string, SecretRequest & DynamicRequest>();
      const results = await Promise.all(
        [...distinct].map(async ([key, request]) => {
          try {
            const mount = await mounts.mountOf(request.path);
            if (!('status' in mount) && mount.type !== undefined && mount.type !== 'kv' && mount.path !== '') {
              onOtherEngines.set(key, { ...request, rest: request.path.slice(mount.path.length) });
              return [key, { status: 'missing' }] as const;
            }
            const { read, signature } = await readRemoteSecret(send, mounts, request, mount);
            if (request.version === undefined && read.status !== 'forbidden' && read.status !== 'unavailable') seen.set(request.path, signature);
            return [key, read] as const;
          } catch (error) {
            return [key, unavailableRead(error)] as const;
          }
        }),
      );
      const reads = new Map<string, SecretRead>(results);
      if (onOtherEngines.size > 0) {
        const answers = await dynamic.read([...onOtherEngines.values()]);
        for (const [key, request] of onOtherEngines) reads.set(key, answers.get(request.path) ?? { status: 'missing' });
      }
      return reads;
    },

    async watch(onChange, onError) {
      dynamic.watch(onChange, onError);
      const stopTokens = tokens.keepAlive((reason) => onError(`token renewal: ${reason}`));
      const schedule = {
        intervalMs: options.pollIntervalMs ?? defaultPollIntervalMs,
        jitter: options.jitter ?? 0.1,
        maxBackoffMs: options.maxBackoffMs ?? 5 * 60_000,
        random: options.random ?? Math.random,
      };
      // What the server holds now for every path read so far, or the first reason it could not say.
      const poll = async (): Promise<PollOutcome<Array<readonly [string, Signature]>>> => {
        const answers = await Promise.all([...seen.keys()].map(async (path) => [path, await pollPath(path)] as const));
        const current: Array<readonly [string, Signature]> = [];
        for (const [path, answer] of answers) {
          if (typeof answer !== 'string') return answer;
          current.push([path, answer]);
        }
        return { value: current };
      };
      const stopPolling = startPollLoop(schedule, poll, {
        succeeded(current, recovered) {
          let changed = recovered;
          for (const [path, signature] of current) {
            if (seen.get(path) !== signature) changed = true;
            seen.set(path, signature);
          }
          if (recovered) options.onRecovered?.();
          if (changed) onChange();
        },
        failed(reason, attempt) {
          onError(`polling ${http.root} failed (attempt ${attempt}): ${reason}`);
        },
      });
      return async () => {
        stopPolling();
        stopTokens();
      };
    },

    async close() {
      await dynamic.close();
      http.close();
    },
  };
}
