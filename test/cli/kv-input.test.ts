import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKvArgs } from '../../src/cli/kv-input.js';
import type { KvInputSources } from '../../src/cli/kv-input.js';
import { SecretrunError } from '../../src/errors.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const readFile = (path: string): string => readFileSync(path, 'utf8');

function sources(stdin?: string): KvInputSources & { stdinReads: number } {
  const result = {
    readFile,
    stdinReads: 0,
    readStdin: (): string => {
      result.stdinReads += 1;
      return stdin ?? '';
    },
  };
  return result;
}

function inputError(args: string[], from: KvInputSources = sources('')): SecretrunError {
  try {
    parseKvArgs(args, from);
  } catch (error) {
    if (error instanceof SecretrunError) return error;
    throw error;
  }
  throw new Error('expected an input error');
}

describe('parseKvArgs', () => {
  it('splits on the first = and ignores empty arguments', () => {
    expect(parseKvArgs(['a=1', 'url=http://x/?q=1', 'empty=', ''], sources())).toEqual({
      a: '1',
      url: 'http://x/?q=1',
      empty: '',
    });
  });

  it('collects a repeated key into an array of strings', () => {
    expect(parseKvArgs(['k=a', 'k=b', 'k=c', 'x=1'], sources())).toEqual({ k: ['a', 'b', 'c'], x: '1' });
  });

  it('reads key=@path verbatim and keeps key=\\@x literal', () => {
    const dir = makeTempDir();
    const file = join(dir, 'cert.pem');
    writeFileSync(file, '-----BEGIN-----\n  body  \n-----END-----\n');
    expect(parseKvArgs([`cert=@${file}`, 'at=\\@x', 'plain=a@b'], sources())).toEqual({
      cert: '-----BEGIN-----\n  body  \n-----END-----\n',
      at: '@x',
      plain: 'a@b',
    });
  });

  it('reads key=- from stdin verbatim, once', () => {
    const from = sources('x\n');
    expect(parseKvArgs(['k=-'], from)).toEqual({ k: 'x\n' });
    expect(from.stdinReads).toBe(1);
  });

  it('merges a JSON object from a bare @file or -, keeping numbers and nesting', () => {
    const dir = makeTempDir();
    const file = join(dir, 'data.json');
    writeFileSync(file, '{"port": 5432, "ratio": 2.5, "nested": {"a": [1, "b"]}, "over": "file"} trailing text is ignored');
    expect(parseKvArgs(['first=1', `@${file}`, '-', 'last=2'], sources('{"over": "stdin", "flag": true}'))).toEqual({
      first: '1',
      port: 5432,
      ratio: 2.5,
      nested: { a: [1, 'b'] },
      over: 'stdin',
      flag: true,
      last: '2',
    });
  });

  it('keeps a __proto__ key as data', () => {
    const data = parseKvArgs(['__proto__=x'], sources());
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(['__proto__']);
  });

  it('rejects an argument without =', () => {
    const error = inputError(['good=1', 'abc']);
    expect(error.code).toBe('input');
    // The argument is not echoed: a malformed pair such as `password:hunter2` is a secret.
    expect(error.message).toBe(
      'Failed to parse K=V data: invalid key/value pair (data argument 2, not shown in case it is a secret): format must be key=value',
    );
    expect(error.message).not.toContain('abc');
  });

  it('refuses to read stdin twice', () => {
    const from = sources('{"a":1}');
    expect(inputError(['k=-', '-'], from).message).toBe(
      'Failed to parse K=V data: invalid key/value pair "-": stdin already consumed',
    );
    expect(from.stdinReads).toBe(1);
    expect(inputError(['k=-', 'j=-']).message).toContain('stdin already consumed');
  });

  it('says when stdin cannot be used', () => {
    expect(inputError(['k=-'], { readFile }).message).toBe(
      'Failed to parse K=V data: invalid key/value pair "k=-": stdin is not supported',
    );
  });

  it('names a missing or unreadable file and the reason', () => {
    const dir = makeTempDir();
    const missing = join(dir, 'missing.txt');
    expect(inputError([`k=@${missing}`]).message).toBe(
      `Failed to parse K=V data: invalid key/value pair "k=@${missing}": error reading file: open ${missing}: no such file or directory`,
    );
    expect(inputError([`@${missing}`]).message).toBe(
      `Failed to parse K=V data: invalid key/value pair "@${missing}": open ${missing}: no such file or directory`,
    );
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect(inputError([`k=@${sub}`]).message).toContain(`open ${sub}: is a directory`);
  });

  it('reports a path through a file without the file content', () => {
    const dir = makeTempDir();
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'TOP-SECRET-VALUE');
    const error = inputError([`k=@${secret}/child`]);
    expect(error.message).toContain(`open ${secret}/child: not a directory`);
    expect(error.message).not.toContain('TOP-SECRET-VALUE');
  });

  it('points at a JSON syntax error by line and column without quoting the file', () => {
    const dir = makeTempDir();
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{\n  "password": "hunter2",\n  "oops" hunter3\n}');
    const error = inputError([`@${file}`]);
    expect(error.message).toBe(
      `Failed to parse K=V data: invalid key/value pair "@${file}": invalid JSON in ${file}: unexpected character at line 3, column 10`,
    );
    expect(error.message).not.toContain('hunter');
  });

  it('reports truncated JSON and non-object JSON', () => {
    expect(inputError(['-'], sources('{"a": "b')).message).toBe(
      'Failed to parse K=V data: invalid key/value pair "-": invalid JSON in stdin: unexpected end of input at line 1, column 9',
    );
    expect(inputError(['-'], sources('')).message).toContain('unexpected end of input at line 1, column 1');
    expect(inputError(['-'], sources('[1, 2]')).message).toBe(
      'Failed to parse K=V data: invalid key/value pair "-": JSON in stdin must be an object',
    );
  });
});
