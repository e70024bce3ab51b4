import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conflictMarkersError, findConflictMarkers } from '../../src/store/conflict-markers.js';
import { parseStoreBytes } from '../../src/store/store-format.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const header = (mac: string): string => `{"secretrun_store":1,"id":"abcdefgh","keyring":{"active":1,"terms":{"1":"x"}},"kdf":null,"check":"c","mac":"${mac}"}`;
const entry = (key: string, value: string): string => `{"k":"${key}","v":"${value}"}`;

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
}

describe('conflict markers in a store file', () => {
  it('are found in what a real line-by-line git merge of two stores leaves', () => {
    const dir = makeTempDir();
    git(dir, 'init', '-q', '-b', 'main');
    const file = join(dir, 'store.json');
    writeFileSync(file, `${header('base')}\n${entry('kv/u/meta/a', 'A1')}\n`);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'base');
    git(dir, 'checkout', '-qb', 'theirs');
    writeFileSync(file, `${header('theirs')}\n${entry('kv/u/meta/a', 'A1')}\n${entry('kv/u/meta/c', 'C1')}\n`);
    git(dir, 'commit', '-qam', 'theirs');
    git(dir, 'checkout', '-q', 'main');
    writeFileSync(file, `${header('ours')}\n${entry('kv/u/meta/a', 'A1')}\n${entry('kv/u/meta/b', 'B1')}\n`);
    git(dir, 'commit', '-qam', 'ours');
    expect(() => git(dir, 'merge', '-q', 'theirs')).toThrow();
    const merged = readFileSync(file);
    // git joins conflicts this close into one hunk, which starts at the header.
    expect(findConflictMarkers(merged)).toEqual({ hunks: 1, firstLine: 1 });
    // The store reader says so instead of "its first line is not a store header".
    let thrown: unknown;
    try {
      parseStoreBytes(merged, file);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'store_format', message: expect.stringContaining('holds git conflict markers (a conflicted hunk, the first at line 1)') });
  });

  it('are found with longer markers, CRLF, and a diff3 base section', () => {
    const text = `<<<<<<<<<< ours\r\n${header('o')}\r\n||||||||||\r\n${header('b')}\r\n==========\r\n${header('t')}\r\n>>>>>>>>>> theirs\r\n`;
    expect(findConflictMarkers(Buffer.from(text))).toEqual({ hunks: 1, firstLine: 1 });
    const later = `${header('x')}\n${entry('a', 'b')}\n<<<<<<< HEAD\n${entry('c', 'd')}\n=======\n>>>>>>> other\n`;
    expect(findConflictMarkers(Buffer.from(later))).toEqual({ hunks: 1, firstLine: 3 });
  });

  it('are not found in a store, nor in a lone marker-like text', () => {
    expect(findConflictMarkers(Buffer.from(`${header('m')}\n${entry('kv/u/meta/<<<<<<< x', 'v')}\n`))).toBeUndefined();
    expect(findConflictMarkers(Buffer.from('<<<<<<< HEAD\nno closing marker\n'))).toBeUndefined();
    expect(findConflictMarkers(Buffer.from('>>>>>>> x\n<<<<<<< y\n'))).toBeUndefined();
    expect(findConflictMarkers(Buffer.from('<<<<<<<x\n>>>>>>>y\n'))).toBeUndefined();
    expect(findConflictMarkers(Buffer.alloc(0))).toBeUndefined();
  });

  it('get an error that says what happened and how to finish the merge', () => {
    const error = conflictMarkersError('.secretrun/store.json', { hunks: 2, firstLine: 1 });
    expect(error.code).toBe('store_format');
    expect(error.message).toBe(
      'store .secretrun/store.json holds git conflict markers (2 conflicted hunks, the first at line 1): git merged it line by line, which cannot work for a store',
    );
    expect(error.hint).toBe(
      "finish the merge with secretrun's merge driver: run `secretrun git setup` once, then `git checkout --merge -- .secretrun/store.json` to merge it again secret by secret (or `git merge --abort` and merge again)",
    );
    expect(conflictMarkersError('s', { hunks: 1, firstLine: 4 }).message).toContain('(a conflicted hunk, the first at line 4)');
  });
});
