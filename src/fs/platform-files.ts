import { setTimeout as delay } from 'node:timers/promises';

// What replacing and locking files takes by platform. POSIX: a rename over a file is atomic
// and its directory is fsynced after it, so the rename itself survives a crash. Windows (NTFS):
// a directory cannot be opened as a file, so it cannot be fsynced (Node has no
// FlushFileBuffers on a directory handle); NTFS journals the rename itself. And there a rename
// over a file, or an exclusive create of a name being deleted, fails with EPERM, EACCES or
// EBUSY for as long as another program (a virus scanner, an indexer, another secretrun
// reading it) has the file open without sharing delete; that passes in milliseconds, so such a
// failure is retried for about a second before it counts.

// The file behaviour of one platform.
export interface FilePlatform {
  /** fsync the directory after a rename in it. */
  readonly syncsDirectories: boolean;
  /** Error codes that mean "another program has the file open right now": retried. */
  readonly transientCodes: readonly string[];
}

// The file behaviour of `platform`. Pure.
export function filePlatform(platform: NodeJS.Platform): FilePlatform {
  return platform === 'win32' ? { syncsDirectories: false, transientCodes: ['EPERM', 'EACCES', 'EBUSY'] } : { syncsDirectories: true, transientCodes: [] };
}

// Is this error one the platform calls transient?
export function isTransient(files: FilePlatform, error: unknown): boolean {
  return files.transientCodes.includes((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

// Waits between tries: 10, 20, 40, 80, then 100 ms, about 1.2 s in all over 15 tries.
const retryDelays = [10, 20, 40, 80, ...Array<number>(11).fill(100)];

// Runs `operation`, trying again while it fails with a transient error, up to about a second;
// then its last error is thrown. On POSIX it runs once.
export async function retryTransient<T>(files: FilePlatform, operation: () => Promise<T>, wait: (ms: number) => Promise<unknown> = delay): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const pause = retryDelays[attempt];
      if (pause === undefined || !isTransient(files, error)) throw error;
      await wait(pause);
    }
  }
}
