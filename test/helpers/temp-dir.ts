import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect } from 'vitest';

const madeInTest: string[] = [];
const madeForFile: string[] = [];

// A fresh directory under the OS temp dir, removed after the current test, or after the file's
// tests when made outside one (in beforeAll). A directory made in beforeAll serves processes
// that outlive the first test (a server and its code cache under $HOME/.cache); removed after
// that test, it was made again by the server's next write and left behind.
export function makeTempDir(prefix = 'secretrun-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  (expect.getState().currentTestName === undefined ? madeForFile : madeInTest).push(dir);
  return dir;
}

const remove = (dirs: string[]): void => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
};

afterEach(() => remove(madeInTest));
// Registered when this module is imported, before a test file's own afterAll: after hooks run
// last-registered first, so the file's servers are stopped before their directories go.
afterAll(() => remove(madeForFile));
