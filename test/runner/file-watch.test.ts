// The manifest's watcher against editors' ways of saving a file, and two quick edits: the
// runner must end up reading the last one. chokidar as it comes loses the second of two quick
// edits (its 50 ms change throttle), as it lost the store's second quick replace; the runner's
// watcher (chokidar with awaitWriteFinish) sees every one.
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { watch } from 'chokidar';
import { describe, expect, it } from 'vitest';
import { startFileWatch } from '../../src/runner/file-watch.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

// How editors save: vim renames the file to a backup, writes a new file and removes the backup;
// VS Code and most others write in place or write a temp file and rename it over.
const saves = {
  'in place': (file: string, text: string) => writeFileSync(file, text),
  'atomic rename': (file: string, text: string) => {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  },
  "vim's backup and rename": (file: string, text: string) => {
    renameSync(file, `${file}~`);
    writeFileSync(file, text);
    unlinkSync(`${file}~`);
  },
};

type Start = (file: string, onChange: () => void) => Promise<() => Promise<void>>;

const runnerWatch: Start = async (file, onChange) => {
  const watch = await startFileWatch([file], onChange, () => undefined);
  return () => watch.close();
};

const plainChokidar: Start = async (file, onChange) => {
  const watcher = watch(file, { ignoreInitial: true });
  watcher.on('all', () => onChange());
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return () => watcher.close();
};

// Saves `first`, and `second` as soon as a change notice read `first` (the moment a runner
// re-reads the file on a notice); returns what each notice read, until one read `second` or
// `settledMs` passed.
async function twoQuickEdits(start: Start, save: (file: string, text: string) => void, settledMs: number): Promise<string[]> {
  const file = join(makeTempDir(), 'secretrun.yaml');
  writeFileSync(file, 'env: {}\n');
  const reads: string[] = [];
  const stop = await start(file, () => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = '<missing>';
    }
    reads.push(text);
    if (text === 'first\n' && !reads.includes('second\n')) save(file, 'second\n');
  });
  try {
    save(file, 'first\n');
    await waitFor('the first edit', () => reads.includes('first\n') || reads.includes('second\n'));
    await waitFor('the second edit', () => reads.includes('second\n'), { timeoutMs: settledMs }).catch(() => undefined);
    return reads;
  } finally {
    await stop();
  }
}

describe('the manifest watcher', () => {
  for (const [style, save] of Object.entries(saves)) {
    it(`sees a save (${style}) and two quick ones`, async () => {
      const reads = await twoQuickEdits(runnerWatch, save, 10_000);
      expect(reads).toContain('second\n');
    });
  }

  it('is needed: chokidar as it comes loses the second of two quick edits', async () => {
    // Its throttle drops a change within 50 ms of the last; a busy machine may stretch that
    // moment, so of three tries at least one must show the loss.
    let lost = 0;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const reads = await twoQuickEdits(plainChokidar, saves['atomic rename'], 1000);
      if (!reads.includes('second\n')) lost += 1;
    }
    expect(lost).toBeGreaterThan(0);
  });
});
