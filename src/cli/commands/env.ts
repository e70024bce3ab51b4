import { SecretrunError } from '../../errors.js';
import { renderEnv, type EnvFormat } from '../../runner/render-env.js';
import { renderLeaseNotice } from '../../runner/lease-notice.js';
import { resolveManifest } from '../../runner/resolve-manifest.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { manifestFlags, openRunSetup } from '../runner-setup.js';

const flags = [
  ...manifestFlags,
  { name: 'format', kind: 'string', default: 'dotenv', example: 'dotenv|json|shell', usage: 'dotenv lines, a JSON object, or `export` lines for eval.' },
] as const satisfies readonly FlagSpec[];

// `env`: print the resolved secret variables (for eval and debugging).
export const envCommand: Command = {
  name: 'env',
  usage: 'secretrun env [options]',
  description:
    'Resolves the manifest and prints the secret variables it defines, sorted by name. This prints secret values: it warns on stderr when stdout is a terminal.\n\n  $ eval "$(secretrun env -format=shell)"',
  flags,
  vaultGlobalFlags: false,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('env', flags, argv, context, { min: 0, max: 0 });
    const { io } = context;
    if (!['dotenv', 'json', 'shell'].includes(values.format)) {
      throw new SecretrunError('usage', `invalid -format "${values.format}" for env: use dotenv, json or shell`);
    }
    const { manifest, source } = await openRunSetup(io, values);
    try {
      // The values are printed for use after this command ends: their leases are kept.
      if (source.dynamic) source.dynamic.keep = true;
      const resolved = await resolveManifest(manifest, source, { env: io.env });
      if (io.stdout.isTTY) io.stderr.write('secretrun: warning: printing secret values to a terminal\n');
      io.stdout.write(renderEnv(resolved.values, values.format as EnvFormat));
      const leases = source.dynamic?.leases() ?? [];
      if (leases.length > 0) io.stderr.write(renderLeaseNotice(leases, resolved.origins));
      return 0;
    } finally {
      await source.close();
    }
  },
};
