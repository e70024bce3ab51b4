import type { Manifest } from '../manifest/manifest.js';
import type { SecretSource } from '../source/source.js';
import { tryResolveManifest } from './resolve-manifest.js';
import type { ResolveOptions } from './resolve-manifest.js';
import { formatResolveProblem } from './resolve-secrets.js';
import type { VariableOrigin } from './resolve-secrets.js';

// What `secretrun check` reports: variable names and where they come from, every problem,
// and never a value.
export interface CheckReport {
  readonly ok: boolean;
  readonly variables: readonly VariableOrigin[];
  readonly dotenvNames: readonly string[];
  readonly problems: readonly string[];
  /** Optional variables that did not resolve, one line each (names and references only). */
  readonly unset: readonly string[];
  /** The manifest defines nothing to inject (no env, expand or dotenv). */
  readonly empty: boolean;
}

// Resolves a (validated) manifest without running anything and collects the report.
export async function checkManifest(manifest: Manifest, source: SecretSource, options: ResolveOptions): Promise<CheckReport> {
  const resolved = await tryResolveManifest(manifest, source, options);
  const problems = resolved.problems.map(formatResolveProblem);
  const empty = manifest.variables.length === 0 && manifest.expand.length === 0 && manifest.dotenv.length === 0;
  return { ok: problems.length === 0, variables: resolved.origins, dotenvNames: Object.keys(resolved.dotenv).sort(), problems, unset: resolved.unset.map(formatResolveProblem), empty };
}

// Renders a check report as text for the terminal. Pure; the CLI prints it.
export function renderCheckReport(report: CheckReport): string {
  const lines: string[] = [];
  const width = Math.max(0, ...report.variables.map((variable) => variable.name.length));
  for (const variable of [...report.variables].sort((a, b) => a.name.localeCompare(b.name))) {
    const from = variable.kind === 'default' ? `default (${variable.refs.join(', ')} missing)` : variable.refs.join(', ');
    const shown = variable.notRead ? '  (dynamic, not read)' : variable.masked || variable.kind === 'default' ? '' : '  (not masked)';
    lines.push(`${variable.name.padEnd(width)}  ${variable.kind.padEnd(9)}  ${from}${shown}`);
  }
  if (report.dotenvNames.length > 0) lines.push(`dotenv: ${report.dotenvNames.join(', ')}`);
  if (report.unset.length > 0) {
    lines.push(`${report.unset.length} optional variable${report.unset.length === 1 ? '' : 's'} not set:`);
    for (const line of report.unset) lines.push(`  ${line}`);
  }
  if (report.empty) lines.push('warning: the manifest defines no variables (add env:, expand: or dotenv:); the command would get only the inherited environment');
  if (report.problems.length > 0) {
    lines.push(`${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}:`);
    for (const problem of report.problems) lines.push(`  ${problem}`);
  } else lines.push(`ok: ${report.variables.length} variable${report.variables.length === 1 ? '' : 's'} resolved`);
  return `${lines.join('\n')}\n`;
}
