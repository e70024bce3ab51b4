import { describe, expect, it } from 'vitest';
import { defaultManifest, type Manifest } from '../../src/manifest/manifest.js';
import { planOutput } from '../../src/runner/output-plan.js';
import type { RunOutput, StreamKind } from '../../src/runner/runner-io.js';

const manifest = (overrides: Partial<Manifest> = {}): Manifest => ({ ...defaultManifest('/tmp'), ...overrides });
// A stream of this kind, the process's own when it has an fd; the stream itself is never used.
const own = (kind: StreamKind, fd: number | undefined): RunOutput => ({
  get stream(): never {
    throw new Error('planOutput must not open the stream');
  },
  kind,
  fd,
});
const outputs = (stdout: StreamKind, stderr: StreamKind) => ({ stdout: own(stdout, 1), stderr: own(stderr, 2) });

describe('planOutput', () => {
  it('masks each stream that is not a terminal in auto mode, and lets the terminal one inherit', () => {
    expect(planOutput(manifest(), outputs('terminal', 'file'), {})).toMatchObject({ stdout: { mask: false, inherit: true }, stderr: { mask: true, inherit: false } });
    expect(planOutput(manifest(), outputs('pipe', 'terminal'), {})).toMatchObject({ stdout: { mask: true, inherit: false }, stderr: { mask: false, inherit: true } });
  });

  it('masks everything with mask on and nothing with mask off', () => {
    expect(planOutput(manifest({ mask: 'on' }), outputs('terminal', 'terminal'), {})).toMatchObject({ stdout: { mask: true }, stderr: { mask: true } });
    expect(planOutput(manifest({ mask: 'off' }), outputs('pipe', 'file'), {})).toMatchObject({ stdout: { mask: false, inherit: true }, stderr: { mask: false, inherit: true } });
  });

  it('copies a caller\'s stream, which a child cannot inherit', () => {
    const caller = own('other', undefined);
    expect(planOutput(manifest({ mask: 'off' }), { stdout: caller, stderr: own('pipe', 2) }, {}).stdout).toEqual({ mask: false, inherit: false });
  });

  it('sends ::add-mask:: to a pipe under GitHub Actions, stderr first', () => {
    const actions = { GITHUB_ACTIONS: 'true' };
    expect(planOutput(manifest(), outputs('pipe', 'pipe'), actions).githubMasks).toBe('stderr');
    expect(planOutput(manifest(), outputs('file', 'pipe'), actions).githubMasks).toBe('stderr');
    expect(planOutput(manifest(), outputs('pipe', 'file'), actions).githubMasks).toBe('stdout');
    expect(planOutput(manifest(), outputs('file', 'other'), actions).githubMasks).toBe('nowhere');
    expect(planOutput(manifest(), outputs('terminal', 'terminal'), actions).githubMasks).toBe('nowhere');
    expect(planOutput(manifest({ githubMask: false }), outputs('pipe', 'pipe'), actions).githubMasks).toBe('off');
    expect(planOutput(manifest(), outputs('pipe', 'pipe'), {}).githubMasks).toBe('off');
  });
});
