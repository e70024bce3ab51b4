import type { LeaseKeeper } from './lease-keeper.js';
import { isLeasedPath, type DynamicApi, type DynamicControl, type SecretRead } from './source.js';

// The dynamic side of a source (local or remote): reads of paths on non-KV mounts go to a
// lease keeper (source/lease-keeper.ts), loaded with the API it calls the first time a
// manifest has such a reference, so that a run without one loads and does nothing more.

// A request for a path on a non-KV mount: the path, and what follows the mount.
export interface DynamicRequest {
  readonly path: string;
  readonly rest: string;
}

// The dynamic reads of one source.
export interface DynamicReads {
  readonly control: DynamicControl;
  /** Reads each request (once per path), answering by path. */
  read(requests: readonly DynamicRequest[]): Promise<Map<string, SecretRead>>;
  /** Connects the keeper's changes and problems to the runner's (now, or once it exists). */
  watch(onChange: () => void, onError: (reason: string) => void): void;
  close(): Promise<void>;
}

// Dynamic reads over the API `openApi` makes on first use.
export function createDynamicReads(openApi: () => Promise<DynamicApi>, now: () => number): DynamicReads {
  let loading: Promise<{ api: DynamicApi; keeper: LeaseKeeper }> | undefined;
  let watcher: { onChange: () => void; onError: (reason: string) => void } | undefined;
  const control: DynamicControl = {
    read: true,
    keep: false,
    report: () => undefined,
    leases: () => [],
  };
  const load = (): Promise<{ api: DynamicApi; keeper: LeaseKeeper }> =>
    (loading ??= (async () => {
      const [{ createLeaseKeeper }, api] = await Promise.all([import('./lease-keeper.js'), openApi()]);
      const keeper = createLeaseKeeper({ call: api.call, keep: () => control.keep, now });
      control.leases = () => keeper.leases();
      keeper.watch(() => watcher?.onChange(), (reason) => (watcher ? watcher.onError(reason) : control.report(reason)));
      return { api, keeper };
    })());
  return {
    control,
    async read(requests) {
      const reads = new Map<string, SecretRead>();
      const wanted = requests.filter((request) => control.read || !isLeasedPath(request.rest));
      for (const request of requests) if (!wanted.includes(request)) reads.set(request.path, { status: 'dynamic' });
      if (wanted.length === 0) return reads;
      let keeper: LeaseKeeper;
      try {
        ({ keeper } = await load());
      } catch (error) {
        loading = undefined;
        for (const request of wanted) reads.set(request.path, { status: 'unavailable', reason: (error as Error).message });
        return reads;
      }
      const paths = [...new Set(wanted.map((request) => request.path))];
      const answers = await Promise.all(paths.map(async (path) => [path, await keeper.read(path)] as const));
      for (const [path, read] of answers) reads.set(path, read);
      return reads;
    },
    watch(onChange, onError) {
      watcher = { onChange, onError };
    },
    async close() {
      if (loading === undefined) return;
      const loaded = await loading.catch(() => undefined);
      if (loaded === undefined) return;
      await loaded.keeper.close();
      await loaded.api.close();
    },
  };
}
