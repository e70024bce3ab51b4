import { describe, expect, it } from 'vitest';
import { routeCommandLine, runnerArguments } from '../../src/startup/route.js';

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

  it('routes the runner to its own bundle and each command group to its own code cache', () => {
    expect(routeCommandLine(['run', '--', 'true'])).toEqual({ bundle: 'run', cacheGroup: 'run' });
    expect(routeCommandLine(['--once', '--', 'true'])).toEqual({ bundle: 'run', cacheGroup: 'run' });
    expect(routeCommandLine(['kv', 'get', 'secret/x'])).toEqual({ bundle: 'cli', cacheGroup: 'kv-get' });
    expect(routeCommandLine(['kv', 'put', 'secret/x', 'a=b'])).toEqual({ bundle: 'cli', cacheGroup: 'kv' });
    expect(routeCommandLine(['--version'])).toEqual({ bundle: 'cli', cacheGroup: 'cli' });
    // A group is a fixed word: free text from argv never names a cache file.
    expect(routeCommandLine(['../../etc/passwd'])).toEqual({ bundle: 'cli', cacheGroup: 'cli' });
  });
});
