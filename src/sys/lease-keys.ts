// Where leases and the schedule of timed work live in storage. Everything here is runtime state
// under `sys/lease/` (the store's runtime prefix: the git-ignored state file, not the committed
// store). No imports: the CLI's start-up reads `nextDueKey` on every command that opens the store.

// The runtime prefix of every key below.
export const leaseStatePrefix = 'sys/lease/';

// One lease record, by lease id (ids hold `/`, so a prefix of ids is a prefix of keys).
export const leaseEntryPrefix = 'sys/lease/entry/';

// The schedule: what is due when (lease expiries, revocation retries, static rotations). Each
// item's time under its own key, and each item again under a key that starts with its time,
// so that the keys list in time order and a change touches a few small entries whatever the
// number of leases (lease-schedule.ts).
export const dueItemPrefix = 'sys/lease/due/';
export const dueOrderPrefix = 'sys/lease/due-at/';

// Where the schedule was one entry holding every item (before the split above): still read,
// and moved into the split layout by the first change.
export const legacyDueIndexKey = 'sys/lease/due';

// The earliest time in the schedule (ms), or absent: the one small read a command makes.
export const nextDueKey = 'sys/lease/next';

// A static role's current password and last rotation, per mount uuid and role name.
export const staticAccountPrefix = 'sys/lease/static-account/';

// The storage key of one lease.
export function leaseKey(id: string): string {
  return `${leaseEntryPrefix}${id}`;
}

// The storage key of a static role's account state.
export function staticAccountKey(mountUuid: string, name: string): string {
  return `${staticAccountPrefix}${mountUuid}/${name}`;
}

// The schedule items of static-role rotations start with this (leases use their id).
export const rotationPrefix = 'rotate:';

// The schedule item of a static role's rotation.
export function rotationItem(mountUuid: string, name: string): string {
  return `${rotationPrefix}${mountUuid}/${name}`;
}
