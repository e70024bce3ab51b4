import { renderGoJsonIndented } from '../../go/json.js';
import { discoverProject, resolveProjectStorePath } from '../../store/project-discovery.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { readGitStatus } from '../status/git-status.js';
import { readKeysStatus } from '../status/keys-status.js';
import { readManifestStatus } from '../status/manifest-status.js';
import { readRemoteStatus } from '../status/remote-status.js';
import { buildStatusJson, renderStatusTable, statusProblemExitCode, type StatusProblem, type StoreStatus } from '../status/status-report.js';
import { readStoreStatus } from '../status/store-status.js';

const flags = [
  { name: 'manifest', kind: 'string', usage: 'The manifest to look at, as for run. Defaults to the project\'s secretrun.yaml.' },
  { name: 'store', kind: 'string', usage: 'The store to look at, as for kv. Defaults to $SECRETRUN_STORE, else the project\'s .secretrun/store.json.' },
  { name: 'env', kind: 'string', example: 'NAME', usage: 'The manifest\'s environment to validate (default $SECRETRUN_ENV; with neither, every one it defines).' },
  { name: 'format', kind: 'string', default: 'table', usage: 'Print the report as "table" or "json".' },
] as const satisfies readonly FlagSpec[];

// `status` (and `doctor`): which project, manifest, store, key and server the commands run
// here would use, and what is wrong with them, each problem with its fix.
export const statusCommand: Command = {
  name: 'status',
  usage: 'secretrun status [options]',
  description:
    'Says which project, manifest, store and key the commands run here use, and whether they work: the project found from this directory up, the manifest (validated), the store (format, size, entries), where its key comes from and whether it opens it, the keys this machine holds (by fingerprint), how git merges and diffs the store, and VAULT_ADDR with where its token would come from. Never prints a value, key or token. Each problem is one line with its fix; exits 0 when there is none and 10 when there is one. `secretrun doctor` is the same command.\n\n  $ secretrun status\n  $ secretrun status -format=json',
  flags,
  async run(argv, context) {
    const { flags: values } = parseCommandLine(this.name, flags, argv, context, { min: 0, max: 0 });
    const { io } = context;
    const discovery = discoverProject(io.cwd, io.env);
    const problems: StatusProblem[] = [];
    const manifest = await readManifestStatus(io, values, discovery);
    problems.push(...manifest.problems);
    const remote = readRemoteStatus(io.env, manifest.manifest);
    problems.push(...remote.problems);
    // Which store each kind of command opens; none when VAULT_ADDR sends everything to a server.
    const targets = new Map<string, { usedBy: string[]; chosenBy: string }>();
    if (!io.env['VAULT_ADDR']) {
      const storeEnv = io.env['SECRETRUN_STORE'];
      const kvStore = resolveProjectStorePath(io.cwd, io.env, values.store || undefined, discovery);
      const kvChosenBy = values.store ? 'the -store flag' : storeEnv ? 'SECRETRUN_STORE' : discovery.project !== undefined ? "the project's" : 'in the working directory (no project found)';
      targets.set(kvStore, { usedBy: ['kv commands'], chosenBy: kvChosenBy });
      const source = manifest.manifest?.source;
      if (source?.kind === 'store') {
        const runStore = resolveProjectStorePath(io.cwd, io.env, values.store || storeEnv || source.store, discovery);
        const known = targets.get(runStore);
        if (known !== undefined) known.usedBy.push('the runner');
        else targets.set(runStore, { usedBy: ['the runner'], chosenBy: "the manifest's source.store" });
      }
    }
    const stores: StoreStatus[] = [];
    for (const [path, role] of targets) {
      const store = await readStoreStatus(path, io.env, { ...role, required: true });
      const git = await readGitStatus(path, io.env);
      stores.push({ ...store.status, git: git.status });
      problems.push(...store.problems, ...git.problems);
    }
    const keys = readKeysStatus(io.env);
    problems.push(...keys.problems);
    const project = discovery.project !== undefined ? { dir: discovery.project.dir } : { dir: undefined, stoppedAt: discovery.stoppedAt, boundary: discovery.boundary };
    const report = { cwd: io.cwd, project, manifest: manifest.status, stores, keys: keys.status, remote: remote.status, problems };
    if (context.global.format === 'json') io.stdout.write(`${renderGoJsonIndented(buildStatusJson(report))}\n`);
    else io.stdout.write(renderStatusTable(report));
    return problems.length === 0 ? 0 : statusProblemExitCode;
  },
};

// `doctor`: the same report under the name other tools (brew, flutter, npm) give it.
export const doctorCommand: Command = { ...statusCommand, name: 'doctor', usage: 'secretrun doctor [options]' };
