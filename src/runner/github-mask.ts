import { minMaskLength } from './masker.js';

// GitHub's workflow-command escaping for the data part (the runner unescapes it).
function escapeCommandData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

// `::add-mask::` lines for every secret value, one per line of a multi-line value (GitHub
// masks line by line), so the values are masked in the job log before the command runs. The
// same lines as the runner masks itself: none shorter than minMaskLength bytes, because a
// registered `yes` or `80` is hidden in every later step's log, not only in this command's
// output. Pure; under GITHUB_ACTIONS=true the runner prints it on a stream the Actions runner
// reads (output-plan.ts decides which).
export function renderGithubMasks(values: readonly string[]): string {
  const lines = new Set<string>();
  for (const value of values) {
    for (const line of value.split(/\r?\n/)) if (line.trim() !== '' && Buffer.byteLength(line) >= minMaskLength) lines.add(line);
  }
  return [...lines].map((line) => `::add-mask::${escapeCommandData(line)}\n`).join('');
}

// What the runner says under GitHub Actions when neither of its streams is one the Actions
// runner reads (both files, say), so nothing could be registered.
export const githubMasksNowhere =
  'secretrun: GITHUB_ACTIONS is set but neither stdout nor stderr is a pipe the Actions runner reads; secret values were not registered with ::add-mask::\n';
