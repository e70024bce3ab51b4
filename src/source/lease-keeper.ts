import { isJsonObject, type JsonObject } from '../json.js';
import type { ApiCall, HeldLeaseInfo, SecretRead } from './source.js';

// Keeps the runner's dynamic secrets fresh (issue 12): one read, and so one lease, per path;
// renewals at about two thirds of the TTL with the lease's own duration as increment; new
// credentials (and a change for the runner to apply) once a renewal is granted less than
// asked, before the old ones expire; static-creds re-read when their rotation is due; and the
// leases revoked when the run ends unless the manifest keeps them. Loaded (a lazy bundle) only
// when a manifest references a path on a non-KV mount: start-up without one never pays for it.

export interface LeaseKeeperOptions {
  call: ApiCall;
  /** Whether to leave the leases to expire on their own at the end instead of revoking them. */
  keep: () => boolean;
  now?: () => number;
  /** Fraction of the TTL after which a lease is renewed; 2/3 by default. */
  renewAt?: number;
  /** Shortest wait before retrying a failed renewal or re-read; 1 s by default. */
  retryMs?: number;
}

// The keeper's handle: reads, the held leases, watching, closing.
export interface LeaseKeeper {
  /** The secret at `path`: the current lease's data, read once (a static-creds path: its last read). */
  read(path: string): Promise<SecretRead>;
  leases(): HeldLeaseInfo[];
  /** Starts telling `onChange` when credentials were replaced; `onError` when keeping them failed. */
  watch(onChange: () => void, onError: (reason: string) => void): void;
  /** Stops the timers and revokes the leases (unless kept). */
  close(): Promise<void>;
}

interface Held {
  path: string;
  data: JsonObject;
  /** Absent for a secret without a lease (static-creds). */
  leaseId?: string;
  /** The lease's first duration: what each renewal asks for (seconds). */
  increment: number;
  renewable: boolean;
  /** When it ends unless renewed; for static-creds, when the next rotation is due. */
  expiresAt: number;
  /** A static-creds answer with a ttl: looked at again when it rotates. */
  rotates: boolean;
  timer?: NodeJS.Timeout;
  failures: number;
}

// The data of an API answer, or why there is none (one line, no value).
function answerRead(status: number, json: JsonObject | undefined, what: string): SecretRead | undefined {
  if (status === 200) return undefined;
  const errors = Array.isArray(json?.['errors']) ? (json['errors'] as unknown[]).map(String).join('; ').replace(/\s+/g, ' ') : '';
  const reason = `${what} returned ${status}${errors ? `: ${errors}` : ''}`;
  if (status === 404) return { status: 'missing', reason };
  if (status === 403) return { status: 'forbidden', reason };
  return { status: 'unavailable', reason };
}

// A lease keeper over `options.call`.
export function createLeaseKeeper(options: LeaseKeeperOptions): LeaseKeeper {
  const now = options.now ?? Date.now;
  const renewAt = options.renewAt ?? 2 / 3;
  const retryMs = options.retryMs ?? 1000;
  const held = new Map<string, Held>();
  /** Leases replaced by newer ones: still valid for a command being restarted, revoked at the end. */
  const retired: Held[] = [];
  let notify: (() => void) | undefined;
  let report: ((reason: string) => void) | undefined;
  let closed = false;

  async function fetchSecret(path: string): Promise<Held | SecretRead> {
    let answer: { status: number; json: JsonObject | undefined };
    try {
      answer = await options.call('GET', path);
    } catch (error) {
      return { status: 'unavailable', reason: (error as Error).message };
    }
    const failure = answerRead(answer.status, answer.json, `GET ${path}`);
    if (failure !== undefined) return failure;
    const body = answer.json ?? {};
    const data = isJsonObject(body['data']) ? body['data'] : {};
    const leaseId = typeof body['lease_id'] === 'string' && body['lease_id'] !== '' ? body['lease_id'] : undefined;
    const duration = Number(body['lease_duration'] ?? 0);
    // static-creds answer `ttl`: seconds until the next rotation.
    const ttl = leaseId !== undefined ? duration : Number(data['ttl'] ?? 0);
    const rotates = leaseId === undefined && typeof data['ttl'] === 'number';
    return { path, data, ...(leaseId === undefined ? {} : { leaseId }), increment: duration, renewable: body['renewable'] === true, expiresAt: now() + ttl * 1000, rotates, failures: 0 };
  }

  function schedule(entry: Held): void {
    if (closed) return;
    clearTimeout(entry.timer);
    const remaining = Math.max(0, entry.expiresAt - now());
    // A secret with neither a lease nor a rotation has no schedule to follow.
    if (entry.leaseId === undefined && !entry.rotates) return;
    let delay: number;
    // After a failure: back off, but try again well before the lease ends.
    if (entry.failures > 0) delay = Math.min(retryMs * 2 ** (entry.failures - 1), Math.max(retryMs, remaining / 3));
    // static-creds: just after the rotation is due; again soon while it is overdue.
    else if (entry.leaseId === undefined) delay = remaining > 0 ? remaining + 500 : retryMs;
    // A lease: renewed (or, when not renewable, replaced) at two thirds of what is left.
    else delay = remaining * renewAt;
    entry.timer = setTimeout(() => void tick(entry), delay);
    entry.timer.unref();
  }

  // Swaps in new credentials for `entry`'s path and tells the runner.
  async function replace(entry: Held, why: string): Promise<void> {
    const next = await fetchSecret(entry.path);
    if (closed) return;
    if (!('data' in next)) {
      entry.failures += 1;
      report?.(`cannot read new credentials for ${entry.path} (${why}): ${'reason' in next ? next.reason : 'not found'}`);
      return schedule(entry);
    }
    if (entry.leaseId !== undefined) retire(entry);
    else clearTimeout(entry.timer);
    const changed = JSON.stringify(next.data) !== JSON.stringify(entry.data);
    held.set(entry.path, next);
    schedule(next);
    if (changed) notify?.();
  }

  async function tick(entry: Held): Promise<void> {
    if (closed || held.get(entry.path) !== entry) return;
    if (entry.leaseId === undefined) return replace(entry, 'rotation due');
    if (!entry.renewable || entry.expiresAt <= now()) return replace(entry, entry.renewable ? 'lease expired' : 'lease not renewable');
    let answer: { status: number; json: JsonObject | undefined };
    try {
      answer = await options.call('PUT', 'sys/leases/renew', { lease_id: entry.leaseId, increment: entry.increment });
    } catch (error) {
      answer = { status: 503, json: { errors: [(error as Error).message] } };
    }
    if (closed) return;
    if (answer.status === 200) {
      const granted = Number(answer.json?.['lease_duration'] ?? 0);
      entry.expiresAt = now() + granted * 1000;
      entry.failures = 0;
      // Granted less than asked: the max TTL is near. New credentials now, while the old still work.
      if (granted < entry.increment) return replace(entry, 'max TTL reached');
      return schedule(entry);
    }
    const failure = answerRead(answer.status, answer.json, 'renewing the lease');
    // The lease is gone or at its max: only new credentials help.
    if (answer.status === 400 || answer.status === 404) return replace(entry, 'the lease cannot be renewed');
    entry.failures += 1;
    report?.(`cannot renew the lease of ${entry.path} (attempt ${entry.failures}): ${failure && 'reason' in failure ? failure.reason : answer.status}`);
    schedule(entry);
  }

  // Keeps a replaced lease for the command still running on it, and revokes it when it
  // expires (locally no server would), or at the end, whichever comes first.
  function retire(entry: Held): void {
    clearTimeout(entry.timer);
    retired.push(entry);
    entry.timer = setTimeout(() => {
      const at = retired.indexOf(entry);
      if (at === -1 || closed) return;
      retired.splice(at, 1);
      void revoke(entry);
    }, Math.max(0, entry.expiresAt - now()));
    entry.timer.unref();
  }

  async function revoke(entry: Held): Promise<void> {
    clearTimeout(entry.timer);
    if (entry.leaseId === undefined || options.keep()) return;
    try {
      const answer = await options.call('PUT', 'sys/leases/revoke', { lease_id: entry.leaseId });
      if (answer.status >= 300) report?.(`cannot revoke the lease of ${entry.path}: ${answerRead(answer.status, answer.json, 'revoke')?.status ?? answer.status}`);
    } catch (error) {
      report?.(`cannot revoke the lease of ${entry.path}: ${(error as Error).message}`);
    }
  }

  return {
    async read(path) {
      const known = held.get(path);
      if (known !== undefined) return { status: 'found', secret: { data: known.data, version: 0 } };
      const fetched = await fetchSecret(path);
      if (!('data' in fetched)) return fetched;
      // Two reads of one path at once keep the first lease and give the second back.
      const raced = held.get(path);
      if (raced !== undefined) {
        retire(fetched);
        return { status: 'found', secret: { data: raced.data, version: 0 } };
      }
      held.set(path, fetched);
      schedule(fetched);
      return { status: 'found', secret: { data: fetched.data, version: 0 } };
    },
    leases() {
      return [...held.values()].flatMap((entry) => (entry.leaseId === undefined ? [] : [{ path: entry.path, leaseId: entry.leaseId, expiresAt: entry.expiresAt }]));
    },
    watch(onChange, onError) {
      notify = onChange;
      report = onError;
    },
    async close() {
      closed = true;
      const all = [...held.values(), ...retired.splice(0)];
      held.clear();
      await Promise.all(all.map(revoke));
    },
  };
}
