import { createHash } from 'node:crypto';
import { buildKvTarget, kvApiPath, readKvMount, uiMountsPath, type KvMount } from '../client/kv-mount.js';
import { isSecretrunError } from '../errors.js';
import { createVaultHttpClient, tlsOptionsFromEnv, type VaultHttpClient, type VaultResponse } from '../client/vault-http-client.js';
import type { JsonObject } from '../json.js';
import { createTokenKeeper, type TokenSourceOptions } from './remote-token.js';
import { requestKey, type SecretRead, type SecretRequest, type SecretSource } from './source.js';

// The runner's source when VAULT_ADDR (or `source.address`) is set: any Vault-compatible
// server. One GET per distinct path, all in parallel over keep-alive; the KV version of each
// mount is asked once (sys/internal/ui/mounts, as the vault CLI does) and cached. Watching
// polls the cheap `metadata` endpoint at an interval with jitter and backs off on errors.

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

// What a poll compares: `v2:<version>`, `v1:<sha256 of data>`, or `missing`.
type Signature = string;

function errorsText(response: VaultResponse): string {
  const errors = response.json?.['errors'];
  return Array.isArray(errors) && errors.length > 0 ? `: ${errors.map(String).join('; ').replace(/\s+/g, ' ').trim()}` : '';
}

function failureRead(response: VaultResponse, what: string): SecretRead {
  const reason = `${what} returned ${response.status}${errorsText(response)}`;
  if (response.status === 404) return { status: 'missing' };
  if (response.status === 403) return { status: 'forbidden', reason };
  return { status: 'unavailable', reason };
}

function unavailable(error: unknown): SecretRead {
  if (isSecretrunError(error) || error instanceof Error) return { status: 'unavailable', reason: error.message };
  return { status: 'unavailable', reason: String(error) };
}

function hashData(data: unknown): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('hex');
}

// Creates a remote source; nothing is sent until the first read.
export function createRemoteSource(options: RemoteSourceOptions): SecretSource {
  const { env } = options;
  const http: VaultHttpClient = createVaultHttpClient({ address: options.address, namespace: env['VAULT_NAMESPACE'] || undefined, ...tlsOptionsFromEnv(env) });
  const auth: TokenSourceOptions = options.auth ?? (env['VAULT_TOKEN'] ? { kind: 'token', token: env['VAULT_TOKEN'] } : { kind: 'file' });
  const tokens = createTokenKeeper(http, auth, env);
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const mounts: KvMount[] = [];
  const mountLookups = new Map<string, Promise<KvMount | SecretRead>>();
  // Unpinned paths read so far, with what the last read saw.
  const seen = new Map<string, Signature>();
  // Paths whose metadata the token may not read: polled through `data` instead.
  const dataPolled = new Set<string>();

  const send = async (method: string, path: string, query?: Record<string, string>): Promise<VaultResponse> =>
    http.request({ method, path, query, token: await tokens.token() });

  const cachedMount = (path: string): KvMount | undefined =>
    mounts.filter((mount) => mount.path !== '' && `${path}/`.startsWith(mount.path)).sort((a, b) => b.path.length - a.path.length)[0];

  const lookupMount = async (path: string): Promise<KvMount | SecretRead> => {
    const response = await send('GET', uiMountsPath(path));
    const mount = readKvMount(response.status, response.json);
    if (mount === undefined) return failureRead(response, `mount lookup for ${path}`);
    if (mount.path !== '') mounts.push(mount);
    return mount;
  };

  // The mount of `path`: cached, or asked once per first segment even when many reads start together.
  const mountOf = async (path: string): Promise<KvMount | SecretRead> => {
    const cached = cachedMount(path);
    if (cached !== undefined) return cached;
    const segment = path.split('/')[0] ?? path;
    const inFlight = mountLookups.get(segment);
    if (inFlight !== undefined) {
      await inFlight.catch(() => undefined);
      const resolved = cachedMount(path);
      if (resolved !== undefined) return resolved;
    }
    const lookup = lookupMount(path);
    mountLookups.set(segment, lookup);
    try {
      return await lookup;
    } finally {
      if (mountLookups.get(segment) === lookup) mountLookups.delete(segment);
    }
  };

  const readOne = async (request: SecretRequest): Promise<{ read: SecretRead; signature: Signature }> => {
    const mount = await mountOf(request.path);
    if ('status' in mount) return { read: mount, signature: 'missing' };
    const query: Record<string, string> = request.version === undefined ? {} : { version: String(request.version) };
    const response = await send('GET', kvApiPath(buildKvTarget(mount, request.path), 'data'), query);
    if (response.status !== 200) return { read: failureRead(response, `GET ${request.path}`), signature: 'missing' };
    const body = response.json?.['data'] as JsonObject | undefined;
    if (mount.version === 1) return { read: { status: 'found', secret: { data: body ?? {}, version: 0 } }, signature: `v1:${hashData(body)}` };
    const metadata = body?.['metadata'] as JsonObject | undefined;
    const version = Number(metadata?.['version'] ?? 0);
    return { read: { status: 'found', secret: { data: (body?.['data'] as JsonObject | null) ?? {}, version } }, signature: `v2:${version}` };
  };

  // What the server holds now for an unpinned path, as cheaply as it lets us ask.
  const pollOne = async (path: string): Promise<Signature> => {
    const mount = await mountOf(path);
    if ('status' in mount) {
      if (mount.status === 'missing') return 'missing';
      throw new Error(mount.status === 'found' ? 'unexpected' : mount.reason);
    }
    if (mount.version === 2 && !dataPolled.has(path)) {
      const response = await send('GET', kvApiPath(buildKvTarget(mount, path), 'metadata'));
      if (response.status === 200) {
        const data = response.json?.['data'] as JsonObject | undefined;
        const current = Number(data?.['current_version'] ?? 0);
        const entry = (data?.['versions'] as JsonObject | undefined)?.[String(current)] as JsonObject | undefined;
        const deletion = String(entry?.['deletion_time'] ?? '');
        const gone = current === 0 || entry?.['destroyed'] === true || (deletion !== '' && Date.parse(deletion) <= now());
        return gone ? 'missing' : `v2:${current}`;
      }
      if (response.status === 404) return 'missing';
      if (response.status !== 403) throw new Error(`GET metadata of ${path} returned ${response.status}${errorsText(response)}`);
      dataPolled.add(path);
    }
    const { read, signature } = await readOne({ path });
    if (read.status === 'forbidden' || read.status === 'unavailable') throw new Error(read.reason);
    return signature;
  };

  return {
    async readSecrets(requests) {
      const distinct = new Map<string, SecretRequest>();
      for (const request of requests) distinct.set(requestKey(request), request);
      const results = await Promise.all(
        [...distinct].map(async ([key, request]) => {
          try {
            const { read, signature } = await readOne(request);
            if (request.version === undefined && read.status !== 'forbidden' && read.status !== 'unavailable') seen.set(request.path, signature);
            return [key, read] as const;
          } catch (error) {
            return [key, unavailable(error)] as const;
          }
        }),
      );
      return new Map(results);
    },

    async watch(onChange, onError) {
      const interval = options.pollIntervalMs ?? defaultPollIntervalMs;
      const jitter = options.jitter ?? 0.1;
      const maxBackoff = options.maxBackoffMs ?? 5 * 60_000;
      const stopTokens = tokens.keepAlive((reason) => onError(`token renewal: ${reason}`));
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      let failures = 0;
      const schedule = (): void => {
        if (stopped) return;
        const base = failures === 0 ? interval : Math.min(maxBackoff, Math.min(interval, 1000) * 2 ** (failures - 1));
        const delay = base * (1 + jitter * (2 * random() - 1));
        timer = setTimeout(() => void poll(), Math.max(10, delay));
      };
      const poll = async (): Promise<void> => {
        try {
          const paths = [...seen.keys()];
          const current = await Promise.all(paths.map(async (path) => [path, await pollOne(path)] as const));
          if (stopped) return;
          const recovered = failures > 0;
          failures = 0;
          let changed = recovered;
          for (const [path, signature] of current) {
            if (seen.get(path) !== signature) changed = true;
            seen.set(path, signature);
          }
          if (recovered) options.onRecovered?.();
          if (changed) onChange();
        } catch (error) {
          if (stopped) return;
          failures += 1;
          onError(`polling ${http.root} failed (attempt ${failures}): ${error instanceof Error ? error.message : String(error)}`);
        }
        schedule();
      };
      schedule();
      return async () => {
        stopped = true;
        if (timer !== undefined) clearTimeout(timer);
        stopTokens();
      };
    },

    async close() {
      http.close();
    },
  };
}
