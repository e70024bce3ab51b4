import { createAuditBroker } from '../audit/audit-broker.js';
import { localIdentity } from '../audit/local-identity.js';
import { createDynamicLoader } from '../http/dynamic-loader.js';
import { createApiHandler } from '../http/handler.js';
import { parseJsonObject } from '../json.js';
import type { FileStore } from '../store/file-store.js';
import { readNextDue } from '../sys/lease-schedule.js';
import type { DynamicApi } from '../source/source.js';

// The Vault API in-process over the runner's local store, as the CLI serves it
// (cli/local-client.ts): the runner's dynamic secrets come from the same engine, leases and
// audit devices as `secretrun read database/creds/…`. Here in library/, beside the entry
// points that compose the runner (the CLI's and a Node program's), because source/ may not
// import http/; dynamic-source-link.ts hands it to a local source. A lazy bundle (a chunk of the
// library), loaded only when a manifest references a database mount.

// The API over `store`, and what closes the engine's connections.
export function createLocalApi(store: FileStore, options: { env: Readonly<Record<string, string | undefined>>; report: (line: string) => void }): DynamicApi {
  const audit = createAuditBroker({ stdout: (text) => options.report(text.replace(/\n$/, '')), report: options.report, local: localIdentity(options.env) });
  const dynamic = createDynamicLoader({ report: options.report });
  const handler = createApiHandler({ store, audit, dynamic });
  return {
    async call(method, path, body) {
      // No server runs to revoke what expired or rotate what is due: as every command that
      // opens the store does, the runner does it before each of its requests (one small read
      // when nothing is due), so a static role it follows rotates on time.
      const now = Date.now();
      const nextDue = await store.read(readNextDue);
      if (nextDue !== undefined && nextDue <= now) {
        await (await dynamic.load()).sweep({ now, read: (fn) => store.read(fn), update: (fn) => store.update(fn) });
      }
      const response = await handler({
        method,
        path: `/v1/${path.split('/').map(encodeURIComponent).join('/')}`,
        query: new URLSearchParams(),
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body)),
        remoteAddress: '',
        remotePort: 0,
      });
      return { status: response.status, json: parseJsonObject(response.body) };
    },
    async close() {
      await dynamic.close();
      audit.close();
    },
  };
}
