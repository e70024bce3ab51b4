import { readdirSync, readFileSync, statSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { SecretrunError } from '../errors.js';
import type { JsonObject } from '../json.js';
import { parseJsonObject } from '../json.js';
import { checkTransport, plainHttpAllowed } from './server-address.js';

// The client side of Vault's wire protocol, shared by the CLI's remote mode and the runner's
// remote source. Built on node:http(s) with a keep-alive agent rather than fetch, because
// fetch in Node 20 cannot take a CA bundle or skip verification without importing undici.

// Where and how to connect (VAULT_ADDR, VAULT_CACERT/VAULT_CAPATH, VAULT_SKIP_VERIFY, VAULT_NAMESPACE).
export interface VaultClientOptions {
  address: string;
  namespace?: string | undefined;
  /** PEM CA bundle trusted for https (VAULT_CACERT's contents, or VAULT_CAPATH's files). */
  ca?: string | Buffer | undefined;
  /** Do not verify the server's certificate (VAULT_SKIP_VERIFY). */
  skipVerify?: boolean | undefined;
  /** Allow plain http beyond loopback (SECRETRUN_ALLOW_HTTP); refused otherwise. */
  allowPlainHttp?: boolean | undefined;
  /** Per-request timeout; default 60 s like the Go client. */
  timeoutMs?: number | undefined;
}

// One request; `path` is the logical path without /v1/.
export interface VaultRequest {
  method: string;
  path: string;
  query?: Readonly<Record<string, string>> | undefined;
  body?: unknown;
  contentType?: string | undefined;
  token?: string | undefined;
}

// A response before anyone interprets it.
export interface VaultResponse {
  status: number;
  body: string;
  /** The body parsed as a JSON object, when it is one. */
  json: JsonObject | undefined;
}

// A keep-alive connection pool to one server.
export interface VaultHttpClient {
  /** The server's base URL without a trailing slash. */
  readonly root: string;
  request(request: VaultRequest): Promise<VaultResponse>;
  /** The full URL of a logical path, for error messages. */
  urlOf(path: string, query?: Readonly<Record<string, string>>): string;
  close(): void;
}

// Reads every file under `dir` (recursively, in name order) as PEM CA certificates, as the vault
// CLI reads VAULT_CAPATH: a file without a certificate is an error, not silently ignored, so a
// mistyped directory does not quietly fall back to trusting nothing.
function readCaPath(dir: string): Buffer {
  const bundles: Buffer[] = [];
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const file = join(current, name);
      if (statSync(file).isDirectory()) {
        walk(file);
        continue;
      }
      const pem = readFileSync(file);
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
        throw new SecretrunError('usage', `cannot load VAULT_CAPATH ${dir}: no PEM certificate in ${file}`);
      }
      bundles.push(pem, Buffer.from('\n'));
    }
  };
  try {
    walk(dir);
  } catch (error) {
    if (error instanceof SecretrunError) throw error;
    throw new SecretrunError('usage', `cannot read VAULT_CAPATH ${dir}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  if (bundles.length === 0) throw new SecretrunError('usage', `cannot load VAULT_CAPATH ${dir}: no certificate files in it`);
  return Buffer.concat(bundles);
}

// The TLS options the vault CLI reads from its environment; VAULT_CACERT wins over VAULT_CAPATH.
export function transportOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): Pick<VaultClientOptions, 'ca' | 'skipVerify' | 'allowPlainHttp'> {
  const caFile = env['VAULT_CACERT'];
  const caPath = env['VAULT_CAPATH'];
  let ca: Buffer | undefined;
  if (caFile !== undefined && caFile !== '') {
    try {
      ca = readFileSync(caFile);
    } catch (error) {
      throw new SecretrunError('usage', `cannot read VAULT_CACERT ${caFile}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
  } else if (caPath !== undefined && caPath !== '') {
    ca = readCaPath(caPath);
  }
  const skip = env['VAULT_SKIP_VERIFY'] ?? '';
  return { ca, skipVerify: ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(skip), allowPlainHttp: plainHttpAllowed(env) };
}

// Creates a client for `options.address`; throws usage for an address that is not a URL.
export function createVaultHttpClient(options: VaultClientOptions): VaultHttpClient {
  let base: URL;
  try {
    base = new URL(options.address);
  } catch {
    base = new URL('invalid:');
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new SecretrunError('usage', `invalid Vault address "${options.address}": expected a URL such as https://127.0.0.1:8200`);
  }
  checkTransport(base, options.allowPlainHttp === true);
  const secure = base.protocol === 'https:';
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, ...(options.ca === undefined ? {} : { ca: options.ca }), rejectUnauthorized: options.skipVerify !== true })
    : new HttpAgent({ keepAlive: true });
  const root = base.href.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 60_000;
  const urlOf = (path: string, query?: Readonly<Record<string, string>>): string => {
    const search = query && Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
    return `${root}/v1/${path.split('/').map(encodeURIComponent).join('/')}${search}`;
  };
  return {
    root,
    urlOf,
    request(request) {
      const headers: Record<string, string> = { 'X-Vault-Request': 'true' };
      if (request.token) headers['X-Vault-Token'] = request.token;
      if (options.namespace) headers['X-Vault-Namespace'] = options.namespace;
      const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
      if (payload !== undefined) {
        headers['Content-Type'] = request.contentType ?? 'application/json';
        headers['Content-Length'] = String(payload.length);
      }
      const send = secure ? httpsRequest : httpRequest;
      return new Promise<VaultResponse>((resolve, reject) => {
        const fail = (error: Error | string): void =>
          reject(
            new SecretrunError('remote', `Error making API request to ${root}: ${typeof error === 'string' ? error : error.message}`, {
              hint: 'Check VAULT_ADDR (or -address) and that the server is running.',
              cause: error,
            }),
          );
        const outgoing = send(urlOf(request.path, request.query), { method: request.method, headers, agent, timeout: timeoutMs }, (incoming: IncomingMessage) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', fail);
          incoming.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            resolve({ status: incoming.statusCode ?? 0, body, json: parseJsonObject(body) });
          });
        });
        outgoing.on('timeout', () => {
          fail(`no answer within ${timeoutMs} ms`);
          outgoing.destroy();
        });
        outgoing.on('error', fail);
        outgoing.end(payload);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
