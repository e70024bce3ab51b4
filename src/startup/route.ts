// Which bundle a command line loads (src/startup/: the runner's start-up work in one place).
// The bin's loader (start.ts) and the runner's bundle (cli/run-main.ts) both route with this
// one rule, so they cannot disagree.

// The flags `secretrun` answers itself, before any command.
export const helpFlags: readonly string[] = ['-h', '-help', '--help'];
export const versionFlags: readonly string[] = ['-v', '-version', '--version'];

// The runner's command lines: `secretrun run ARGS`, and `secretrun [flags] -- CMD` (a first
// argument that is a flag other than help or version). Returns the run command's arguments,
// or undefined for any other command line.
export function runnerArguments(argv: readonly string[]): readonly string[] | undefined {
  const first = argv[0];
  if (first === 'run') return argv.slice(1);
  if (first !== undefined && first.startsWith('-') && !helpFlags.includes(first) && !versionFlags.includes(first)) return argv;
  return undefined;
}

// The commands with a code cache of their own. V8 caches only the functions compiled by the run
// that wrote the cache, so a cache written by `kv put` left the runner compiling its own code on
// every start, and `kv get` about 1 ms of its own (bench/startup-phases.mjs, a build whose
// first command was a put). A group is a fixed word, never free text from argv, so the cache files
// stay few.
const cacheGroups: readonly string[] = ['check', 'env', 'init', 'kv', 'secrets', 'operator', 'server'];

// Where a command line goes: `run` is dist/run.cjs (the runner alone, less than half of the
// CLI to compile), `cli` the whole CLI; `cacheGroup` names its code cache.
export interface Route {
  readonly bundle: 'run' | 'cli';
  readonly cacheGroup: string;
}

// The route of a command line (argv without `node` and the script).
export function routeCommandLine(argv: readonly string[]): Route {
  if (runnerArguments(argv) !== undefined) return { bundle: 'run', cacheGroup: 'run' };
  const first = argv[0] ?? '';
  // `kv get`, the hot path scripts call, apart from the writes that usually come first.
  if (first === 'kv' && argv[1] === 'get') return { bundle: 'cli', cacheGroup: 'kv-get' };
  return { bundle: 'cli', cacheGroup: cacheGroups.includes(first) ? first : 'cli' };
}
