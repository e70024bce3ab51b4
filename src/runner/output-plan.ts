import type { Manifest } from '../manifest/manifest.js';
import type { RunOutput } from './runner-io.js';

// What happens to one of the child's output streams: masked through a pipe the runner reads,
// copied through such a pipe as it is, or written by the child straight to the runner's
// descriptor (`inherit`), which costs nothing.
export interface StreamPlan {
  readonly mask: boolean;
  readonly inherit: boolean;
}

// Where the child's output goes, and where the `::add-mask::` lines for GitHub Actions go
// (`none`: not under Actions, or not asked for).
export interface OutputPlan {
  readonly stdout: StreamPlan;
  readonly stderr: StreamPlan;
  readonly githubMasks: 'stdout' | 'stderr' | 'none';
}

// Should output be masked under this manifest when it goes to a terminal or not?
export function shouldMask(manifest: Manifest, isTerminal: boolean): boolean {
  return manifest.mask === 'on' || (manifest.mask === 'auto' && !isTerminal);
}

function planStream(output: RunOutput, mask: boolean): StreamPlan {
  return { mask, inherit: !mask && output.fd !== undefined };
}

// Decides the output of a run from the manifest, the runner's streams and its environment. Pure.
export function planOutput(manifest: Manifest, outputs: { readonly stdout: RunOutput; readonly stderr: RunOutput }, env: Readonly<Record<string, string | undefined>>): OutputPlan {
  const mask = shouldMask(manifest, outputs.stdout.kind === 'terminal');
  const githubMasks = manifest.githubMask && env['GITHUB_ACTIONS'] === 'true' ? 'stdout' : 'none';
  return { stdout: planStream(outputs.stdout, mask), stderr: planStream(outputs.stderr, mask), githubMasks };
}
