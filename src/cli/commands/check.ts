import { checkManifest, renderCheckReport } from '../../runner/check-report.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-args.js';
import { manifestFlags, openRunSetup } from '../runner-setup.js';

const flags = [...manifestFlags] as const;

// `check`: validate the manifest and that every reference resolves, for CI. Prints variable
// names and sources, never values; exits non-zero listing every problem.
export const checkCommand: Command = {
  name: 'check',
  usage: 'secretrun check [options]',
  description:
    'Validates secretrun.yaml and resolves every reference without starting anything. Prints each variable with where its value comes from (never the value) and every problem found; exits 7 when a required reference does not resolve.\n\n  $ secretrun check --manifest deploy/secretrun.yaml',
  flags,
  vaultGlobalFlags: false,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('check', flags, argv, context, { min: 0, max: 0 });
    const { io } = context;
    const { manifest, source } = await openRunSetup(io, values);
    try {
      const report = await checkManifest(manifest, source, { env: io.env });
      const text = renderCheckReport(report);
      (report.ok ? io.stdout : io.stderr).write(text.endsWith('\n') ? text : `${text}\n`);
      return report.ok ? 0 : 7;
    } finally {
      await source.close();
    }
  },
};
