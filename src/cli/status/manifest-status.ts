import { chooseEnvironment } from '../../manifest/environment.js';
import type { Manifest } from '../../manifest/manifest.js';
import { readManifest, readManifestEnvironments } from '../../manifest/read-manifest.js';
import type { Discovery } from '../../store/project-discovery.js';
import type { CliIo } from '../io.js';
import { defaultManifestFile } from '../runner-setup.js';
import { problemOf } from './store-status.js';
import type { ManifestStatus, StatusProblem } from './status-report.js';

// The manifest the runner would read, for `secretrun status`: which file and why, and whether
// it validates, for the chosen environment or, with none chosen, for each one it defines (as
// `check` does). References are not resolved here: `secretrun check` does that.

// The manifest's status, the manifest itself when it is valid (for its source), and problems.
export async function readManifestStatus(
  io: CliIo,
  flags: { manifest: string; env: string },
  discovery: Discovery,
): Promise<{ status: ManifestStatus; manifest: Manifest | undefined; problems: StatusProblem[] }> {
  const found = discovery.project?.manifest;
  if (flags.manifest === '' && found === undefined) return { status: { path: undefined, chosenBy: 'none found', valid: undefined, environments: [] }, manifest: undefined, problems: [] };
  const file = flags.manifest || defaultManifestFile(io.cwd, discovery);
  const base = { path: file, chosenBy: flags.manifest === '' ? ('the project' as const) : ('the -manifest flag' as const) };
  try {
    const chosen = chooseEnvironment(flags.env, io.env);
    const { names, needed } = await readManifestEnvironments(file, io.cwd);
    const targets = chosen !== undefined ? [chosen] : needed === undefined ? [undefined, ...names] : names;
    let first: Manifest | undefined;
    for (const environment of targets) {
      const manifest = await readManifest(file, io.cwd, undefined, { environment });
      first ??= manifest;
    }
    return { status: { ...base, valid: true, variables: first?.variables.length ?? 0, environments: names }, manifest: first, problems: [] };
  } catch (error) {
    return { status: { ...base, valid: false, environments: [] }, manifest: undefined, problems: [problemOf('manifest', error)] };
  }
}
