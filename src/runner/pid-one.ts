// The runner as PID 1 of a container (`ENTRYPOINT ["secretrun", ...]` without an init).
// PID 1 inherits every orphaned process in its PID namespace, and the kernel leaves each one a
// zombie until PID 1 waits for it. Node waits only for the children it started itself (libuv
// has no waitpid(-1)), so a command that leaves grandchildren behind (a shell script's
// background jobs, a daemonising server, a test runner's workers) fills the process table
// with zombies. An init made for this — tini, or `docker run --init`, which is tini — reaps
// them and passes signals on; with it the runner is PID 2 and nothing changes for it.
// examples/docker shows both ways.

// The warning for a runner that is PID 1 on Linux, or undefined. Pure.
export function renderPidOneWarning(pid: number, platform: NodeJS.Platform): string | undefined {
  if (pid !== 1 || platform !== 'linux') return undefined;
  return 'secretrun: running as PID 1, which cannot reap the orphaned processes a command leaves behind (Node waits only for its own children); they stay zombies. Run it under an init: `docker run --init`, or tini as the ENTRYPOINT (see examples/docker)\n';
}
