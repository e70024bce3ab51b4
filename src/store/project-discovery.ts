import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Env } from './store-paths.js';

// Finding the project a command runs in, as git, direnv and sops do: the nearest directory,
// from the working directory up, that holds `secretrun.yaml` or a `.secretrun/` directory. Its
// manifest is the default manifest and its `.secretrun/store.json` the default store, so
// `kv put` in a subdirectory writes the project's store instead of making a second store and
// key there. The walk stops, without a project, at:
//
//   - a directory holding `.git` (a repository's root is a project's boundary: a store of the
//     repository above must not capture a checkout nested inside it);
//   - $HOME: the walk never goes up into it, so a stray ~/secretrun.yaml or ~/.secretrun/
//     cannot capture every project of the user (a command run in $HOME itself looks there);
//   - a mount point: never onto another file system (a container's bind mount, /tmp);
//   - the file system's root.
//
// Explicit choices (-manifest, -store, SECRETRUN_STORE, a manifest's source.store) are never
// discovered: callers ask only when the user named nothing. The walk is a few stat calls,
// synchronous like the manifest's read (the first asynchronous fs call would start libuv's
// thread pool on the runner's start-up path); docs/projects.md has the figures.

export const manifestName = 'secretrun.yaml';
export const projectDirName = '.secretrun';

// What a path is, as the walk needs it: undefined when nothing is there.
export interface PathProbe {
  kind(path: string): 'file' | 'dir' | 'other' | undefined;
  /** The device (file system) of a directory; undefined when it cannot be read. */
  device(path: string): number | undefined;
}

// A project found: its directory and, when it has one, its manifest.
export interface Project {
  readonly dir: string;
  readonly manifest: string | undefined;
}

// Why a walk ended without a project.
export type WalkBoundary = 'git' | 'home' | 'mount' | 'root';

// A walk's outcome: the project, or the last directory looked at and why the walk stopped there.
export type Discovery = { readonly project: Project } | { readonly project: undefined; readonly stoppedAt: string; readonly boundary: WalkBoundary };

// The project holding `cwd`, walking up under the rules above. Pure given the probe.
export function findProject(cwd: string, home: string | undefined, probe: PathProbe): Discovery {
  const ceiling = home === undefined || home === '' ? undefined : resolve(home);
  let dir = resolve(cwd);
  let device: number | undefined;
  for (;;) {
    const hasManifest = probe.kind(join(dir, manifestName)) === 'file';
    if (hasManifest || probe.kind(join(dir, projectDirName)) === 'dir') {
      return { project: { dir, manifest: hasManifest ? join(dir, manifestName) : undefined } };
    }
    if (probe.kind(join(dir, '.git')) !== undefined) return { project: undefined, stoppedAt: dir, boundary: 'git' };
    const parent = dirname(dir);
    if (parent === dir) return { project: undefined, stoppedAt: dir, boundary: 'root' };
    if (parent === ceiling || dir === ceiling) return { project: undefined, stoppedAt: dir, boundary: 'home' };
    device ??= probe.device(dir);
    const parentDevice = probe.device(parent);
    if (device === undefined || parentDevice !== device) return { project: undefined, stoppedAt: dir, boundary: 'mount' };
    dir = parent;
  }
}

// The probe over the real file system (stat follows symbolic links, as opening the file does).
export const fileSystemProbe: PathProbe = {
  kind(path) {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats === undefined ? undefined : stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : 'other';
  },
  device(path) {
    return statSync(path, { throwIfNoEntry: false })?.dev;
  },
};

// The project holding `cwd` on this machine; $HOME from `env` (the user's home when unset).
export function discoverProject(cwd: string, env: Env): Discovery {
  return findProject(cwd, env['HOME'] ?? homedir(), fileSystemProbe);
}

// The store a command uses: `explicit` (a -store flag or a manifest's source.store), else
// SECRETRUN_STORE, each resolved against `cwd`; else `.secretrun/store.json` of the project
// holding `cwd`; else of `cwd` itself, where the first write creates it.
export function resolveProjectStorePath(cwd: string, env: Env, explicit?: string, discovery?: Discovery): string {
  const chosen = explicit !== undefined && explicit !== '' ? explicit : env['SECRETRUN_STORE'];
  if (chosen !== undefined && chosen !== '') return resolve(cwd, chosen);
  const project = (discovery ?? discoverProject(cwd, env)).project;
  return join(project?.dir ?? resolve(cwd), projectDirName, 'store.json');
}
