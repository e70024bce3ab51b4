// How many times this process wrote a store file, state file or journal. A FileStore's reads in
// one turn of the event loop share one look at the disk (file-store.ts); another FileStore of
// this process that writes meanwhile bumps this count, so that look is taken again.

let epoch = 0;

// Counts one write that reached the disk.
export function noteStoreWrite(): void {
  epoch++;
}

// The count so far.
export function readWriteEpoch(): number {
  return epoch;
}
