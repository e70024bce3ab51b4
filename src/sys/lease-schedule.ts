import { isJsonObject, type JsonObject } from '../json.js';
import type { Storage } from '../store/storage.js';
import { dueIndexKey, nextDueKey } from './lease-keys.js';

// The schedule of timed work: item → when it is due (ms). Items are lease ids (expiry, or the
// next attempt of a failed revocation) and static-role rotations. `sys/lease/next` holds the
// earliest time, so the check every command makes is one small read; the server sets one timer
// for it.

// The earliest due time, or undefined when nothing is scheduled.
export function readNextDue(storage: Storage): number | undefined {
  const next = storage.get(nextDueKey);
  return typeof next === 'number' ? next : undefined;
}

function readIndex(storage: Storage): JsonObject {
  const index = storage.get(dueIndexKey);
  return isJsonObject(index) ? index : {};
}

function writeIndex(storage: Storage, index: JsonObject): void {
  let next: number | undefined;
  for (const value of Object.values(index)) if (typeof value === 'number' && (next === undefined || value < next)) next = value;
  if (next === undefined) {
    storage.delete(dueIndexKey);
    storage.delete(nextDueKey);
    return;
  }
  storage.put(dueIndexKey, index);
  storage.put(nextDueKey, next);
}

// Schedules `item` at `when`, or removes it (undefined).
export function scheduleItem(storage: Storage, item: string, when: number | undefined): void {
  const index = readIndex(storage);
  if (when === undefined) {
    if (!(item in index)) return;
    delete index[item];
  } else index[item] = when;
  writeIndex(storage, index);
}

// The items due at `now`, earliest first.
export function listDueItems(storage: Storage, now: number): string[] {
  const index = readIndex(storage);
  return Object.entries(index)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] <= now)
    .sort((a, b) => a[1] - b[1])
    .map(([item]) => item);
}

// When `item` is due, or undefined when it is not scheduled.
export function readDueTime(storage: Storage, item: string): number | undefined {
  const when = readIndex(storage)[item];
  return typeof when === 'number' ? when : undefined;
}

// Every scheduled item (for tidy).
export function listScheduledItems(storage: Storage): string[] {
  return Object.keys(readIndex(storage));
}
