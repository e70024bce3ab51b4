import { readTokenFile, tokenHelperPath } from '../client/token-helper.js';
import { SecretrunError } from '../errors.js';
import type { VaultHttpClient } from '../client/vault-http-client.js';

// Where the remote source's token comes from, and keeping it alive: VAULT_TOKEN, a token file
// (~/.vault-token by default), or an AppRole login. Renewable tokens are renewed with
// `auth/token/renew-self` at two thirds of their lease; an AppRole token that cannot be
// renewed any more is replaced by logging in again.

// How to get a token.
export type TokenSourceOptions =
  | { kind: 'token'; token: string }
  | { kind: 'file'; path?: string | undefined }
  | { kind: 'approle'; roleId: string; secretId: string; mount?: string | undefined };

// The current token, and an optional keep-alive loop for long-running watchers.
export interface TokenKeeper {
  /** The token to send now (logs in first for AppRole). */
  token(): Promise<string | undefined>;
  /** Starts renewing before expiry; failures are reported, never thrown. Returns a stop function. */
  keepAlive(onError: (reason: string) => void): () => void;
}

interface Lease {
  token: string;
  /** Seconds; 0 = does not expire. */
  ttl: number;
  renewable: boolean;
}

function leaseOf(auth: unknown): Lease | undefined {
  if (typeof auth !== 'object' || auth === null) return undefined;
  const fields = auth as Record<string, unknown>;
  if (typeof fields['client_token'] !== 'string') return undefined;
  return { token: fields['client_token'], ttl: Number(fields['lease_duration'] ?? 0) || 0, renewable: fields['renewable'] === true };
}

function errorsOf(json: Record<string, unknown> | undefined): string {
  const errors = json?.['errors'];
  return Array.isArray(errors) && errors.length > 0 ? errors.map(String).join('; ') : '';
}

// Creates the token keeper for `options` over `http`.
export function createTokenKeeper(http: VaultHttpClient, options: TokenSourceOptions, env: Readonly<Record<string, string | undefined>>): TokenKeeper {
  let lease: Lease | undefined;
  let pending: Promise<Lease | undefined> | undefined;

  const login = async (): Promise<Lease | undefined> => {
    if (options.kind === 'token') return { token: options.token, ttl: 0, renewable: false };
    if (options.kind === 'file') {
      const token = await readTokenFile(options.path ?? tokenHelperPath(env));
      return token === undefined ? undefined : { token, ttl: 0, renewable: false };
    }
    const mount = (options.mount ?? 'approle').replace(/^\/+|\/+$/g, '');
    const response = await http.request({ method: 'POST', path: `auth/${mount}/login`, body: { role_id: options.roleId, secret_id: options.secretId } });
    const fresh = leaseOf(response.json?.['auth']);
    if (response.status !== 200 || fresh === undefined) {
      throw new SecretrunError('remote', `AppRole login at auth/${mount}/login failed with status ${response.status}${errorsOf(response.json) ? `: ${errorsOf(response.json)}` : ''}`);
    }
    return fresh;
  };

  const current = async (): Promise<Lease | undefined> => {
    if (lease !== undefined) return lease;
    pending ??= login().finally(() => (pending = undefined));
    lease = await pending;
    return lease;
  };

  // A static token's own lease, learnt once when keep-alive starts (not on the runner's hot path).
  const lookupSelf = async (token: string): Promise<void> => {
    const response = await http.request({ method: 'GET', path: 'auth/token/lookup-self', token });
    const data = response.json?.['data'] as Record<string, unknown> | undefined;
    if (response.status === 200 && data !== undefined && lease?.token === token) {
      lease = { token, ttl: Number(data['ttl'] ?? 0) || 0, renewable: data['renewable'] === true };
    }
  };

  const renew = async (): Promise<void> => {
    const held = lease;
    if (held === undefined) return;
    if (held.renewable) {
      const response = await http.request({ method: 'POST', path: 'auth/token/renew-self', token: held.token, body: {} });
      const renewed = leaseOf(response.json?.['auth']);
      // A renewal capped at the token's max TTL can grant 0 s: an AppRole client logs in again
      // then, rather than keep a token nobody renews any more.
      if (response.status === 200 && renewed !== undefined && (renewed.ttl > 0 || options.kind !== 'approle')) {
        lease = renewed;
        return;
      }
      if (options.kind !== 'approle') throw new SecretrunError('remote', `token renewal failed with status ${response.status}${errorsOf(response.json) ? `: ${errorsOf(response.json)}` : ''}`);
    }
    if (options.kind === 'approle') {
      lease = undefined;
      await current();
    }
  };

  return {
    async token() {
      return (await current())?.token;
    },
    keepAlive(onError) {
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      let failures = 0;
      const schedule = (): void => {
        if (stopped) return;
        const held = lease;
        // Renew at two thirds of the lease; retry failures sooner, but never busy-loop.
        if (held === undefined || held.ttl <= 0 || (!held.renewable && options.kind !== 'approle')) return;
        const delay = failures > 0 ? Math.min(held.ttl * 1000, 1000 * 2 ** failures) / 3 : (held.ttl * 1000 * 2) / 3;
        timer = setTimeout(() => {
          renew().then(
            () => {
              failures = 0;
              schedule();
            },
            (error: unknown) => {
              failures += 1;
              onError(error instanceof Error ? error.message : String(error));
              schedule();
            },
          );
        }, Math.max(50, delay));
      };
      void (async () => {
        try {
          const held = await current();
          if (held !== undefined && options.kind !== 'approle') await lookupSelf(held.token);
        } catch (error) {
          onError(error instanceof Error ? error.message : String(error));
        }
        schedule();
      })();
      return () => {
        stopped = true;
        if (timer !== undefined) clearTimeout(timer);
      };
    },
  };
}
