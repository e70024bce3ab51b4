import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleFixture } from '../helpers/bundle-fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// What readStreamKind says of fd 1 and fd 2 in a process whose stdout the test chose (its
// stderr is a file, where it writes the answer).
function kindsWith(program: string, stdout: number | 'pipe', answerFile: string): [string, string] {
  const answer = openSync(answerFile, 'w');
  try {
    spawnSync(process.execPath, [program], { stdio: ['ignore', stdout, answer] });
  } finally {
    closeSync(answer);
  }
  return JSON.parse(readFileSync(answerFile, 'utf8')) as [string, string];
}

describe('readStreamKind', () => {
  it('tells a pipe, a file and /dev/null apart', async () => {
    const program = await bundleFixture('test/fixtures/process/print-stream-kinds.ts');
    const dir = makeTempDir();
    const devNull = openSync('/dev/null', 'w');
    const file = openSync(join(dir, 'out.txt'), 'w');
    try {
      expect(kindsWith(program, 'pipe', join(dir, 'a.json'))).toEqual(['pipe', 'file']);
      expect(kindsWith(program, file, join(dir, 'b.json'))).toEqual(['file', 'file']);
      expect(kindsWith(program, devNull, join(dir, 'c.json'))).toEqual(['other', 'file']);
    } finally {
      closeSync(devNull);
      closeSync(file);
    }
  });
});
