import { describe, expect, it } from 'vitest';
import { renderPidOneWarning } from '../../src/runner/pid-one.js';

describe('renderPidOneWarning', () => {
  it('warns only as PID 1 on Linux, pointing to an init', () => {
    expect(renderPidOneWarning(1, 'linux')).toMatch(/^secretrun: running as PID 1, .*`docker run --init`, or tini .*examples\/docker\)\n$/);
    expect(renderPidOneWarning(2, 'linux')).toBeUndefined();
    expect(renderPidOneWarning(1, 'darwin')).toBeUndefined();
    expect(renderPidOneWarning(1, 'win32')).toBeUndefined();
  });
});
