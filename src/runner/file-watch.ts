import { watch } from 'chokidar';

// Watches the files a run was configured from — the manifest and its dotenv files — and says
// when one may have changed (the design card's chokidar). Loaded with import() once the command
// has started, into a bundle of its own, so start-up never pays for it.
//
// chokidar drops a 'change' that comes within 50 ms of the last one for the same file, with
// no trailing event: two quick edits left the runner on the first (test/runner/file-watch.test.ts,
// as it did for the store, which is watched with fs.watch instead). Its awaitWriteFinish waits
// until a written file's size stayed the same for `settleMs` and then reports once, past that
// throttle: every save style and two quick edits were seen. It adds `settleMs` to a manifest
// edit's latency, which a person editing a file does not notice.
export interface FileWatch {
  /** Watches these files from now on (absolute paths; a missing file is watched for its creation). */
  set(files: readonly string[]): void;
  close(): Promise<void>;
}

const settleMs = 50;

// Starts watching `files`; resolves once the watch is in place. `onChange` may be called when
// nothing changed (a file touched); `onError` gets a reason without any file's content.
export async function startFileWatch(files: readonly string[], onChange: () => void, onError: (reason: string) => void): Promise<FileWatch> {
  let watched = new Set(files);
  const watcher = watch([...watched], { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: settleMs, pollInterval: 10 } });
  // add, change and unlink: an editor's save may remove the file for a moment (vim renames it
  // to a backup first); the reader after the debounce sees what is there then.
  watcher.on('all', (event) => {
    if (event === 'add' || event === 'change' || event === 'unlink') onChange();
  });
  watcher.on('error', (error) => onError(error instanceof Error ? error.message : String(error)));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    set(next) {
      const wanted = new Set(next);
      const added = [...wanted].filter((file) => !watched.has(file));
      const removed = [...watched].filter((file) => !wanted.has(file));
      if (added.length > 0) watcher.add(added);
      if (removed.length > 0) watcher.unwatch(removed);
      watched = wanted;
    },
    close: () => watcher.close(),
  };
}
