// The shell `--shell` runs a command line with, by platform. POSIX: `/bin/sh -c LINE` (not
// `sh` from PATH: the command's PATH may come from a secret or a dotenv file). Windows has no
// /bin/sh: the command interpreter is %ComSpec% (cmd.exe when unset), run as Node runs it for
// `shell: true` — `/d` (no AutoRun commands from the registry), `/s /c "LINE"` (the line
// passed as written, between quotes that cmd strips) with the arguments not quoted again.

// How to start a shell command line: the program, its arguments, and whether Node must pass the
// arguments to Windows as they are (cmd.exe parses its own command line).
export interface ShellCommand {
  readonly file: string;
  readonly args: readonly string[];
  readonly verbatim: boolean;
}

// Looks a variable up as Windows does: names are case-insensitive there (`ComSpec`, `COMSPEC`).
function lookupInsensitive(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const wanted = name.toUpperCase();
  for (const [key, value] of Object.entries(env)) if (key.toUpperCase() === wanted && value) return value;
  return undefined;
}

// The shell command for `line` on `platform`, with `env` the command's environment. Pure.
export function buildShellCommand(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>, line: string): ShellCommand {
  if (platform === 'win32') {
    return { file: lookupInsensitive(env, 'ComSpec') ?? 'cmd.exe', args: ['/d', '/s', '/c', `"${line}"`], verbatim: true };
  }
  return { file: '/bin/sh', args: ['-c', line], verbatim: false };
}
