import type { WalkBoundary } from '../../store/project-discovery.js';

// What `secretrun status` found, and its two renderings: a table for people and JSON for
// scripts. Pure. Nothing here ever holds a secret: keys and tokens appear only as where they
// come from (a variable's name, a file's path, a fingerprint).

// One thing that is wrong, and how to fix it.
export interface StatusProblem {
  readonly topic: string;
  readonly problem: string;
  readonly fix: string | undefined;
}

// The project the working directory is in (see src/store/project-discovery.ts).
export interface ProjectStatus {
  readonly dir: string | undefined;
  /** Where and why the walk stopped, when no project was found. */
  readonly stoppedAt?: string;
  readonly boundary?: WalkBoundary;
}

// The manifest the runner would read.
export interface ManifestStatus {
  readonly path: string | undefined;
  readonly chosenBy: 'the -manifest flag' | 'the project' | 'none found';
  readonly valid: boolean | undefined;
  readonly variables?: number;
  readonly environments: readonly string[];
}

// How git treats a store: its attributes and whether this clone defines the drivers.
export interface GitStatus {
  /** The work tree's root; undefined outside one (or without git). */
  readonly repo: string | undefined;
  readonly note?: string;
  readonly ignored?: boolean;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly mergeDriver?: boolean;
  readonly textconv?: boolean;
}

// The key that opens a store: where it comes from, and whether it does open it.
export interface KeyStatus {
  readonly source: string | undefined;
  /** undefined when not checked (a passphrase to be asked for on the terminal). */
  readonly opens: boolean | undefined;
}

// One store file, for the commands that use it.
export interface StoreStatus {
  readonly path: string;
  readonly usedBy: readonly string[];
  readonly chosenBy: string;
  readonly exists: boolean;
  readonly size?: number;
  readonly format?: number;
  readonly id?: string;
  readonly protectedBy?: 'a root key' | 'a passphrase' | 'recipients';
  /** A recipient store's recipients (name and fingerprint), and whether its shared key still opens it. */
  readonly recipients?: readonly { readonly name: string; readonly fingerprint: string }[];
  readonly sharedKey?: boolean;
  readonly entries?: number;
  readonly key?: KeyStatus;
  /** The lock, state and journal files beside the store that exist, with what they are. */
  readonly files: readonly { readonly path: string; readonly what: string }[];
  readonly git?: GitStatus;
}

// One place this machine keeps keys (SECRETRUN_KEY, SECRETRUN_KEY_FILE, identities/*.key).
export interface KeySourceStatus {
  readonly source: string;
  readonly path?: string;
  readonly holds: string;
  readonly fingerprints: readonly string[];
}

// Where a Vault-compatible server would be reached, and where its token would come from.
export interface RemoteStatus {
  readonly address: string | undefined;
  readonly from?: string;
  readonly token?: string;
}

// The whole report.
export interface StatusReport {
  readonly cwd: string;
  readonly project: ProjectStatus;
  readonly manifest: ManifestStatus;
  readonly stores: readonly StoreStatus[];
  readonly keys: readonly KeySourceStatus[];
  readonly remote: RemoteStatus;
  readonly problems: readonly StatusProblem[];
}

// The exit code of a report: 0 when all is well, 10 when it lists a problem (docs/errors.md);
// one no error code maps to, so a script can tell "status found problems" from a failure.
export const statusProblemExitCode = 10;

const boundaryText: Record<WalkBoundary, string> = {
  git: 'a repository root (.git)',
  home: 'your home directory',
  mount: 'a mount point',
  root: 'the file system root',
};

function renderStore(store: StoreStatus): string[] {
  const lines = [`store       ${store.path} (${store.chosenBy}; used by ${store.usedBy.join(' and ')})`];
  if (!store.exists) lines.push('            not created yet');
  else if (store.format !== undefined) {
    const entries = store.entries === undefined ? '' : `, ${store.entries} entr${store.entries === 1 ? 'y' : 'ies'}`;
    lines.push(`            format ${store.format}, ${store.size ?? 0} bytes${entries}, id ${store.id ?? '?'}, protected by ${store.protectedBy ?? '?'}`);
  }
  if (store.recipients !== undefined) {
    const shared = store.sharedKey === true ? ' and the shared root key' : '';
    lines.push(`recipients  ${store.recipients.map((r) => `${r.name} (${r.fingerprint})`).join(', ')}${shared}`);
  }
  if (store.key !== undefined) {
    const opens = store.key.opens === undefined ? 'not checked' : store.key.opens ? 'opens the store' : 'does not open the store';
    lines.push(`key         ${store.key.source ?? 'none found'} (${opens})`);
  }
  for (const file of store.files) lines.push(`            ${file.what}: ${file.path}`);
  const git = store.git;
  if (git !== undefined) {
    if (git.repo === undefined) lines.push(`git         ${git.note ?? 'not in a git work tree'}`);
    else if (git.ignored === true) lines.push(`git         ${git.repo} (the store is ignored by git)`);
    else {
      const attributes = Object.entries(git.attributes ?? {}).map(([name, value]) => `${name}=${value}`).join(' ');
      lines.push(`git         ${git.repo}: ${attributes}; merge driver ${git.mergeDriver ? 'defined' : 'not defined'}, textconv ${git.textconv ? 'defined' : 'not defined'}`);
    }
  }
  return lines;
}

// The report as the table `secretrun status` prints.
export function renderStatusTable(report: StatusReport): string {
  const { project, manifest, remote } = report;
  const lines = [
    project.dir !== undefined
      ? `project     ${project.dir}`
      : `project     none found (looked from ${report.cwd} up to ${project.stoppedAt ?? '?'}, ${boundaryText[project.boundary ?? 'root']})`,
    manifest.path === undefined
      ? 'manifest    none found'
      : `manifest    ${manifest.path} (${manifest.chosenBy}; ${manifest.valid === false ? 'not valid' : `valid, ${manifest.variables ?? 0} variable${manifest.variables === 1 ? '' : 's'}`}${manifest.environments.length > 0 ? `, environments ${manifest.environments.join(', ')}` : ''})`,
    ...(report.stores.length === 0 && remote.from === 'VAULT_ADDR' ? ['store       none used (VAULT_ADDR sends every command to the server)'] : report.stores.flatMap(renderStore)),
    ...(report.keys.length === 0
      ? ['keys        none on this machine (SECRETRUN_KEY, SECRETRUN_KEY_FILE and the identities directory are empty)']
      : report.keys.map(
          (key, i) =>
            `${i === 0 ? 'keys' : '    '}        ${key.source}${key.path !== undefined && key.path !== key.source ? ` (${key.path})` : ''}: ${key.holds}${key.fingerprints.length > 0 ? ` ${key.fingerprints.join(', ')}` : ''}`,
        )),
    remote.address === undefined ? 'remote      none (VAULT_ADDR is not set)' : `remote      ${remote.address} (from ${remote.from ?? '?'}; token from ${remote.token ?? 'nowhere'})`,
    '',
  ];
  if (report.problems.length === 0) lines.push('No problems found.');
  else {
    lines.push(`${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}:`);
    for (const p of report.problems) lines.push(`  ${p.topic}: ${p.fix === undefined ? p.problem : `${p.problem.replace(/\.$/, '')}. Fix: ${p.fix}`}`);
  }
  return `${lines.join('\n')}\n`;
}

// The report as `-format=json` prints it.
export function buildStatusJson(report: StatusReport): Record<string, unknown> {
  return { ok: report.problems.length === 0, ...report };
}
