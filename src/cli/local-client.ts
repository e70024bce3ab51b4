import { createAuditBroker } from '../audit/audit-broker.js';
import { localIdentity } from '../audit/local-identity.js';
import { SecretrunError, isSecretrunError } from '../errors.js';
import { nanosToSeconds, parseGoDuration } from '../go/duration.js';
import { createDynamicLoader } from '../http/dynamic-loader.js';
import { createApiHandler } from '../http/handler.js';
import { readNextDue } from '../sys/lease-schedule.js';
import { openFileStore } from '../store/file-store.js';
import type { StoreCreation } from '../store/init-store.js';
import { resolveProjectStorePath } from '../store/project-discovery.js';
import { parseJsonObject } from '../json.js';
import type { ApiClient } from './api-client.js';
import type { CliIo } from './io.js';
import { withPassphrasePrompt } from './store-passphrase.js';

// Where a new store's key went, for stderr: the user must know to keep and share it.
export function renderStoreCreated(creation: StoreCreation): string {
  const where =
    creation.key.kind === 'file'
      ? `its root key was written to ${creation.key.path} (keep it out of the repository; share it out of band)`
      : creation.key.kind === 'env'
        ? 'it is encrypted with the key in SECRETRUN_KEY'
        : creation.key.kind === 'passphrase'
          ? 'it is encrypted with a key derived from your passphrase'
          : 'it is encrypted with the key passed in';
  return `secretrun: created store ${creation.path}; ${where}\n`;
}

// The Vault API served in-process over the local encrypted store. Store failures keep their
// own codes (a wrong key exits 3, a tampered file 4) instead of becoming HTTP 500s.
export async function createLocalClient(options: { storeFlag: string | undefined; io: CliIo }): Promise<ApiClient> {
  const { io } = options;
  const path = resolveProjectStorePath(io.cwd, io.env, options.storeFlag);
  const store = await withPassphrasePrompt(io, path, (passphrase) =>
    openFileStore({
      path,
      env: io.env,
      create: true,
      ...(passphrase === undefined ? {} : { passphrase }),
      ...lockTimeout(io.env['SECRETRUN_LOCK_TIMEOUT']),
      onCreated: (creation) => io.stderr.write(renderStoreCreated(creation)),
    }),
  );
  // The store's audit devices record this process's requests too; a device writing to stdout
  // writes to stderr here, where it cannot mix with the command's output.
  const audit = createAuditBroker({ stdout: (text) => io.stderr.write(text), report: (line) => io.stderr.write(`secretrun: ${line}\n`), local: localIdentity(io.env) });
  const dynamic = createDynamicLoader({ report: (line) => io.stderr.write(`secretrun: ${line}\n`) });
  const handler = createApiHandler({ store, audit, dynamic, rethrow: (error) => isSecretrunError(error) && error.code.startsWith('store_') });
  // No server may be running to revoke what expired: every command that opens the store does
  // it first, so no database user outlives its lease by more than one command. One small read
  // when nothing is due; the engine is loaded only when something is.
  const now = Date.now();
  const nextDue = store.id === undefined ? undefined : await store.read(readNextDue);
  if (nextDue !== undefined && nextDue <= now) {
    await (await dynamic.load()).sweep({ now, read: (fn) => store.read(fn), update: (fn) => store.update(fn) });
  }
  return {
    mode: 'local',
    async request(method, apiPath, request = {}) {
      // Reading a store that is not there finds nothing: say so, rather than "no value found".
      // (The mount table has defaults, so the kv preflight still answers before a first write.)
      if (store.id === undefined && (method === 'GET' || method === 'LIST') && !apiPath.startsWith('sys/')) {
        throw new SecretrunError('store_missing', `no store at ${path}`, { hint: 'Run "secretrun init" to create it (the first write creates it too), or pass -store or set SECRETRUN_STORE to use another one.' });
      }
      const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(request.body));
      const response = await handler({
        method,
        path: `/v1/${apiPath.split('/').map(encodeURIComponent).join('/')}`,
        query: new URLSearchParams(request.query),
        headers: { 'content-type': request.contentType ?? 'application/json' },
        body,
        remoteAddress: '',
        remotePort: 0,
      });
      return { status: response.status, body: response.body, json: parseJsonObject(response.body) };
    },
    describe(method, apiPath) {
      return `${method} ${path}:${apiPath}`;
    },
    close: async () => {
      await dynamic.close();
      audit.close();
      return store.close();
    },
  };
}

// SECRETRUN_LOCK_TIMEOUT (a duration such as 500ms or 30s) bounds how long a write waits for
// another process's lock; the store's default applies when it is unset.
function lockTimeout(text: string | undefined): { lockTimeoutMs?: number } {
  if (text === undefined || text === '') return {};
  const parsed = parseGoDuration(text);
  if (parsed.ok) return { lockTimeoutMs: Math.round(nanosToSeconds(parsed.value) * 1000) };
  throw new SecretrunError('usage', `invalid SECRETRUN_LOCK_TIMEOUT "${text}": use a duration such as 500ms or 30s`);
}
