import { SecretrunError } from '../../errors.js';
import { followLeasesOption } from '../../library/dynamic-source-link.js';
import { deepFreeze, type Manifest, type MaskMode } from '../../manifest/manifest.js';
import { superviseCommand } from '../../runner/supervisor.js';
import type { Command } from '../command.js';
import { parseFlags, type FlagSpec } from '../flags.js';
import { loadRunManifest, manifestFlags, openRunSetup } from '../runner-setup.js';

const flags = [
  ...manifestFlags,
  { name: 'once', kind: 'bool', usage: 'Resolve, run the command and exit with its code, without watching for changes (for CI).' },
  { name: 'shell', kind: 'bool', usage: 'Run the command line through the shell (/bin/sh -c; %ComSpec% /d /s /c on Windows) instead of executing it directly.' },
  { name: 'mask', kind: 'string', example: 'on|off|auto', usage: 'Replace secret values in the command\'s output with <concealed by secretrun>. auto (the default) masks when stdout is not a terminal.' },
] as const satisfies readonly FlagSpec[];

// `run` (also `secretrun -- CMD`): start a command with the manifest's secrets in its
// environment, forward signals, restart it when they change, exit with its code.
export const runCommand: Command = {
  name: 'run',
  usage: 'secretrun [run] [options] -- COMMAND [ARGS...]',
  description:
    'Resolves every variable of secretrun.yaml (and -e flags), starts COMMAND with them in its environment, forwards signals to it, and exits with its exit code (128+N when it was killed by signal N). When a referenced secret changes, the command is restarted (or signalled) as the manifest says. Arguments after -- are passed exactly, without a shell.\n\n' +
    '  $ secretrun -- ./start-application.sh\n  $ secretrun run --once -e DB_PASSWORD=secret/myapp/database#password -- npm test',
  flags,
  vaultGlobalFlags: false,
  async run(argv, context) {
    const { io } = context;
    const parsed = parseFlags(flags, argv, { command: 'run' });
    const [command, ...args] = parsed.args;
    if (command === undefined) {
      throw new SecretrunError('usage', 'Missing command: put it after --, e.g. secretrun -- ./start-application.sh');
    }
    const mask = parsed.flags.mask;
    if (mask !== '' && !['on', 'off', 'auto'].includes(mask)) throw new SecretrunError('usage', `invalid -mask "${mask}": use on, off or auto`);
    const { manifest: loaded, source } = await openRunSetup(io, parsed.flags);
    // The flags stand over the manifest, also when it is read again after an edit.
    const withFlags = (read: Manifest): Manifest =>
      deepFreeze({
        ...read,
        once: read.once || parsed.flags.once,
        shell: read.shell || parsed.flags.shell,
        mask: mask === '' ? read.mask : (mask as MaskMode),
      });
    const manifest = withFlags(loaded);
    const keepLeases = (read: Manifest): Manifest => followLeasesOption(source, read);
    keepLeases(manifest);
    if (source.dynamic) source.dynamic.report = (line) => io.stderr.write(`secretrun: ${line}\n`);
    // The file read at start, even if another secretrun.yaml appears nearer the working directory.
    const reloadManifest = async (): Promise<Manifest> => keepLeases(withFlags(await loadRunManifest(io, parsed.flags.manifest || (loaded.file ?? ''), parsed.flags.e, loaded.environment)));
    try {
      const runnerIo = { ...io.child, env: io.env, cwd: io.cwd, signals: io.signals, random: io.random };
      return await superviseCommand({ manifest, source, command, args, io: runnerIo, reloadManifest });
    } finally {
      await source.close();
    }
  },
};
