import type { Manifest } from '../manifest/manifest.js';
import type { RunOutput } from './runner-io.js';

// What happens to one of the child's output streams: masked through a pipe the runner reads,
// copied through such a pipe as it is, or written by the child straight to the runner's
// descriptor (`inherit`), which costs nothing.
export interface StreamPlan {
  readonly mask: boolean;
  readonly inherit: boolean;
}

// Where the `::add-mask::` lines for GitHub Actions go: `off` when not under Actions (or
// github_mask is false), `nowhere` when under Actions but neither stream is one the Actions
// runner reads.
export type GithubMaskTarget = 'off' | 'stdout' | 'stderr' | 'nowhere';

// Where the child's output goes, and where the `::add-mask::` lines go.
export interface OutputPlan {
  readonly stdout: StreamPlan;
  readonly stderr: StreamPlan;
  readonly githubMasks: GithubMaskTarget;
}

// Should output be masked under this manifest when it goes to a terminal or not? In `auto`
// a terminal is not masked: the person at it ran the command with these secrets.
export function shouldMask(manifest: Manifest, isTerminal: boolean): boolean {
  return manifest.mask === 'on' || (manifest.mask === 'auto' && !isTerminal);
}

// Where one stream's output goes for one start of the command (or a hook): the runner's own
// descriptor, which the child writes to directly at no cost, unless it is masked and some
// value is long enough to mask (`maskable`); then a pipe the runner reads, masking when `mask`.
export interface StreamRoute {
  readonly target: number | 'pipe';
  readonly mask: boolean;
}

// The route of a planned stream to `output` when the values are `maskable` or not.
export function routeStream(plan: StreamPlan, output: RunOutput, maskable: boolean): StreamRoute {
  const mask = plan.mask && maskable;
  return { target: !mask && output.fd !== undefined ? output.fd : 'pipe', mask };
}

function planStream(manifest: Manifest, output: RunOutput): StreamPlan {
  const mask = shouldMask(manifest, output.kind === 'terminal');
  return { mask, inherit: !mask && output.fd !== undefined };
}

// GitHub Actions runs a step with stdout and stderr as pipes it reads, and takes workflow
// commands from both. A file or /dev/null is not that log (`secretrun -- build > build.log`
// must not begin with the token), so the lines go only onto a pipe. stderr comes first: stdout
// is the stream scripts capture (`$(secretrun -- ...)`, `| jq`, `| tee out.log`), where the
// lines would land in a variable or a file as surely as in `> build.log`.
function githubMaskTarget(outputs: { readonly stdout: RunOutput; readonly stderr: RunOutput }): GithubMaskTarget {
  if (outputs.stderr.kind === 'pipe') return 'stderr';
  if (outputs.stdout.kind === 'pipe') return 'stdout';
  return 'nowhere';
}

// Decides the output of a run from the manifest, what each of the runner's streams is, and
// its environment. Computes; the streams' kinds are read once each (one fstat).
export function planOutput(
  manifest: Manifest,
  outputs: { readonly stdout: RunOutput; readonly stderr: RunOutput },
  env: Readonly<Record<string, string | undefined>>,
): OutputPlan {
  const underActions = manifest.githubMask && env['GITHUB_ACTIONS'] === 'true';
  return {
    stdout: planStream(manifest, outputs.stdout),
    stderr: planStream(manifest, outputs.stderr),
    githubMasks: underActions ? githubMaskTarget(outputs) : 'off',
  };
}
