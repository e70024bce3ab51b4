import { randomBytes } from 'node:crypto';
import { createAuditBroker } from '../audit/audit-broker.js';
import { createAuthorizer } from '../auth/authorize.js';
import { createTokenAuthenticator } from '../auth/token-auth.js';
import { isUnauthenticatedPath } from '../auth/unauthenticated-paths.js';
import { buildToken } from '../auth/token-id.js';
import { createRootToken, hasRootToken } from '../auth/token-store.js';
import { openFileStore } from '../store/file-store.js';
import type { StoreCreation } from '../store/init-store.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/storage.js';
import { createApiHandler } from './handler.js';
import { createVaultServer, type VaultServerAddress } from './server.js';
import { startTokenTidy } from './token-tidy-timer.js';
import { createDynamicLoader } from './dynamic-loader.js';
import { startLeaseExpiry, type LeaseExpiryTimer } from './lease-expiry-timer.js';

// `secretrun server` assembled: the store (a file, or memory for -dev), its root token, the API
// handler with token checks, and the listener. The CLI command only turns flags, environment
// and config file into ServerSettings and reports what this returns.

// Everything needed to run a server, after flags, environment and config file are combined.
export interface ServerSettings {
  dev: boolean;
  /** A dev server's root token; random when undefined. */
  devRootToken?: string | undefined;
  /** The store file; undefined for memory. */
  storePath: string | undefined;
  host: string;
  port: number;
  tls?: { cert: string | Buffer; key: string | Buffer } | undefined;
  maxRequestBytes?: number | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** Told where a store created by the server put its key. */
  onStoreCreated?: (creation: StoreCreation) => void;
  /** Told when a background checkpoint of the store's journal failed (its writes stay in the journal). */
  onCheckpointError?: (error: unknown) => void;
  now?: () => number;
  /** The server's stdout, where audit devices with `file_path=-` write; process.stdout by default. */
  stdout?: (text: string) => void;
}

// A started server: where it listens, the root token it created (undefined when the store
// already had one), and its graceful stop.
export interface RunningServer {
  address: VaultServerAddress;
  rootToken: string | undefined;
  /** Reopens the audit devices' files (SIGHUP, after log rotation). */
  reopenAudit(): void;
  close(): Promise<void>;
}

// Shows or saves a new root token. Called once the server listens and before the token's hash
// is committed, so a token that could not be delivered never becomes the store's only root
// token; throwing aborts the start.
export type RootTokenDelivery = (token: string, address: VaultServerAddress) => Promise<void>;

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

// Starts `secretrun server`: opens the store, listens, and, when the store has no root token
// (or with -dev), creates one: delivered first, committed after. Any failure closes what was
// opened and leaves the store as it was.
export async function startServer(settings: ServerSettings, deliverRootToken?: RootTokenDelivery): Promise<RunningServer> {
  const now = settings.now ?? Date.now;
  let store: Store;
  if (settings.storePath === undefined) store = createMemoryStore();
  else {
    store = await openFileStore({
      path: settings.storePath,
      env: settings.env,
      create: true,
      // A long-lived writer: writes append to the journal, checkpointed in the background and on close.
      journal: true,
      ...(settings.onStoreCreated === undefined ? {} : { onCreated: settings.onStoreCreated }),
      ...(settings.onCheckpointError === undefined ? {} : { onCheckpointError: settings.onCheckpointError }),
    });
  }
  // A failed request's line (with its request id, never values) goes to stderr like the transport's.
  const logError = (line: string): void => void process.stderr.write(`${line}\n`);
  const audit = createAuditBroker({
    stdout: settings.stdout ?? ((text) => void process.stdout.write(text)),
    report: (line) => void process.stderr.write(`secretrun server: ${line}\n`),
    now,
  });
  const authenticate = createTokenAuthenticator({ unauthenticated: (request, storage) => isUnauthenticatedPath(storage, request.path) });
  // Leases: the timer is re-armed whenever the engine changes the schedule.
  let expiry: LeaseExpiryTimer | undefined;
  const dynamic = createDynamicLoader({ report: (line) => logError(`secretrun server: ${line}`), onSchedule: () => expiry?.reschedule() });
  const handler = createApiHandler({ store, now, authenticate, authorize: createAuthorizer({ now }), audit, logError, dynamic, preloadRoutes: true });
  const server = createVaultServer({
    handler,
    host: settings.host,
    port: settings.port,
    ...(settings.tls === undefined ? {} : { tls: settings.tls }),
    ...(settings.maxRequestBytes === undefined ? {} : { maxRequestBytes: settings.maxRequestBytes }),
  });
  try {
    const needsRoot = settings.dev || !(await store.read((storage) => hasRootToken(storage, now())));
    const address = await server.listen();
    const rootToken = needsRoot ? (settings.dev ? settings.devRootToken : undefined) ?? buildToken(random) : undefined;
    if (rootToken !== undefined) {
      await deliverRootToken?.(rootToken, address);
      await store.update((storage) => createRootToken(storage, { now: now(), random }, rootToken));
    }
    const tidy = startTokenTidy({ store, now, logError });
    expiry = startLeaseExpiry({ store, dynamic, now, logError });
    const leaseTimer = expiry;
    return {
      address,
      rootToken,
      reopenAudit: () => audit.reopen(),
      async close() {
        await tidy.stop();
        await leaseTimer.stop();
        await server.close();
        await dynamic.close();
        audit.close();
        await store.close();
      },
    };
  } catch (error) {
    await expiry?.stop();
    await server.close();
    await dynamic.close();
    audit.close();
    await store.close();
    throw error;
  }
}
