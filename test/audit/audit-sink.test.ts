// The file a device appends to: created with its directory and Vault's mode, appended to line
// by line, reopened after rotation, and failing with a message naming the file and the cause.
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStreamSink, openFileSink } from '../../src/audit/audit-sink.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('the file sink', () => {
  it('creates the file and its directory, mode 0600, and appends whole lines', () => {
    const dir = makeTempDir();
    const path = join(dir, 'logs', 'nested', 'audit.log');
    const sink = openFileSink(path, 0o600);
    sink.write('{"a":1}\n');
    sink.write('{"b":2}\n');
    sink.close();
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'logs')).mode & 0o777).toBe(0o700);
    expect(sink.target).toBe(`file ${path}`);
  });

  it('appends to an existing file and gives it the device\'s mode, unless the mode is to be kept', () => {
    const dir = makeTempDir();
    const path = join(dir, 'audit.log');
    writeFileSync(path, 'before\n');
    chmodSync(path, 0o644);
    const kept = openFileSink(path, undefined);
    kept.write('kept\n');
    kept.close();
    expect(statSync(path).mode & 0o777).toBe(0o644);
    const changed = openFileSink(path, 0o640);
    changed.write('changed\n');
    changed.close();
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readFileSync(path, 'utf8')).toBe('before\nkept\nchanged\n');
  });

  it('keeps writing to a renamed file until reopened, then writes to a new one (log rotation)', () => {
    const dir = makeTempDir();
    const path = join(dir, 'audit.log');
    const sink = openFileSink(path, 0o600);
    sink.write('one\n');
    renameSync(path, `${path}.1`);
    sink.write('two\n');
    sink.reopen();
    sink.write('three\n');
    sink.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('one\ntwo\n');
    expect(readFileSync(path, 'utf8')).toBe('three\n');
  });

  it('starts on a new line after a line a full disk cut short, even one another process left', () => {
    const dir = makeTempDir();
    const path = join(dir, 'audit.log');
    writeFileSync(path, '{"whole":1}\n{"torn":');
    const sink = openFileSink(path, 0o600);
    sink.write('{"next":2}\n');
    sink.write('{"after":3}\n');
    sink.close();
    expect(readFileSync(path, 'utf8')).toBe('{"whole":1}\n{"torn":\n{"next":2}\n{"after":3}\n');
  });

  it('refuses a file it cannot open, naming it and the cause', () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, 'plain'), '');
    const path = join(dir, 'plain', 'audit.log');
    expect(() => openFileSink(path, 0o600)).toThrow(`cannot open audit log file ${path}: not a directory (ENOTDIR`);
  });

  it('fails a write to a full disk with the cause (/dev/full answers every write with ENOSPC)', () => {
    const sink = openFileSink('/dev/full', 0o600);
    expect(() => sink.write('{"a":1}\n')).toThrow('cannot write audit log file /dev/full: disk full (ENOSPC; free some space and retry)');
    sink.close();
  });

  it('reopens once when a write fails, so a removed directory is recreated', () => {
    const dir = makeTempDir();
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    const path = join(logs, 'audit.log');
    const sink = openFileSink(path, 0o600);
    sink.write('one\n');
    sink.close();
    sink.write('two\n');
    sink.close();
    expect(readFileSync(path, 'utf8')).toBe('one\ntwo\n');
  });
});

describe('the stream sink', () => {
  it('writes through its writer and names the stream when that fails', () => {
    const lines: string[] = [];
    createStreamSink('stdout', (text) => void lines.push(text)).write('x\n');
    expect(lines).toEqual(['x\n']);
    const broken = createStreamSink('stdout', () => {
      throw Object.assign(new Error('EPIPE'), { code: 'EPIPE' });
    });
    expect(() => broken.write('x\n')).toThrow('cannot write audit log stdout: EPIPE');
  });
});
