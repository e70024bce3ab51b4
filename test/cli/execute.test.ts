import { describe, expect, it } from 'vitest';
import { runnerArguments } from '../../src/cli/execute.js';

describe('runnerArguments', () => {
  it('recognises the runner with and without its name', () => {
    expect(runnerArguments(['run', '--once', '--', 'true'])).toEqual(['--once', '--', 'true']);
    expect(runnerArguments(['--', 'npm', 'start'])).toEqual(['--', 'npm', 'start']);
    expect(runnerArguments(['-e', 'A=secret/a#b', '--', 'env'])).toEqual(['-e', 'A=secret/a#b', '--', 'env']);
  });

  it('leaves help, version and every other command to the whole CLI', () => {
    for (const argv of [['-h'], ['--help'], ['-version'], ['--version'], ['-v'], ['kv', 'get', 'secret/x'], ['check'], []]) {
      expect(runnerArguments(argv), argv.join(' ')).toBeUndefined();
    }
  });
});
