import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isSecretrunError } from '../../errors.js';
import { chooseEnvironment } from '../../manifest/environment.js';
import { readManifestEnvironments } from '../../manifest/read-manifest.js';
import { checkManifest, renderCheckReport } from '../../runner/check-report.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-args.js';
import { exitCodeByCode } from '../exit-code.js';
import type { FlagSpec } from '../flags.js';
import type { CliIo } from '../io.js';
import { discoverProject } from '../../store/project-discovery.js';
import { defaultManifestFile, manifestFlags, openRunSetup } from '../runner-setup.js';

const flags = [
  ...manifestFlags,
  { name: 'dynamic', kind: 'bool', usage: 'Also read dynamic secrets (database/creds/…), which creates a database user for each, revoked before check exits. Without it they are listed as "dynamic, not read".' },
] as const satisfies readonly FlagSpec[];

type CheckFlags = { readonly manifest: string; readonly e: readonly string[]; readonly store: string; readonly env: string; readonly dynamic: boolean };

// Checks one environment (or none): its report, and the exit code it calls for.
async function checkOne(io: CliIo, values: CheckFlags): Promise<{ text: string; code: number }> {
  const { manifest, source } = await openRunSetup(io, values);
  // A dynamic secret read creates a database user: only when asked, and never kept.
  if (source.dynamic) {
    source.dynamic.read = values.dynamic;
    source.dynamic.keep = false;
  }
  try {
    const report = await checkManifest(manifest, source, { env: io.env });
    return { text: renderCheckReport(report), code: report.ok ? 0 : 7 };
  } finally {
    await source.close();
  }
}

// The environments `check` goes through when none was chosen: every one the manifest defines,
// and the manifest without one unless it uses {{env}} (then it cannot run without one).
async function environmentsToCheck(io: CliIo, values: CheckFlags): Promise<(string | undefined)[]> {
  if (chooseEnvironment(values.env, io.env) !== undefined) return [chooseEnvironment(values.env, io.env)];
  const file = values.manifest || defaultManifestFile(io.cwd, discoverProject(io.cwd, io.env));
  if (!existsSync(resolve(io.cwd, file))) return [undefined];
  const { names, needed } = await readManifestEnvironments(file, io.cwd);
  if (names.length === 0) return [undefined];
  return needed === undefined ? [undefined, ...names] : names;
}

// `check`: validate the manifest and that every reference resolves, for CI. Prints variable
// names and sources, never values; exits non-zero listing every problem.
export const checkCommand: Command = {
  name: 'check',
  usage: 'secretrun check [options]',
  description:
    'Validates secretrun.yaml (the project\'s: see -manifest) and resolves every reference without starting anything. Prints each variable with where its value comes from (never the value) and every problem found; exits 7 when a required reference does not resolve. With environments in the manifest and no -env (nor SECRETRUN_ENV), checks each of them in turn, each with its own source.\n\n  $ secretrun check --manifest deploy/secretrun.yaml\n  $ secretrun check -env=prod',
  flags,
  vaultGlobalFlags: false,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('check', flags, argv, context, { min: 0, max: 0 });
    const { io } = context;
    const targets = await environmentsToCheck(io, values);
    if (targets.length === 1) {
      const { text, code } = await checkOne(io, { ...values, env: targets[0] ?? '' });
      (code === 0 ? io.stdout : io.stderr).write(text);
      return code;
    }
    let worst = 0;
    for (const environment of targets) {
      const title = environment === undefined ? 'no environment (-env not given):' : `environment ${environment}:`;
      let result: { text: string; code: number };
      try {
        // SECRETRUN_ENV is unset here (no environment was chosen), so '' means none.
        result = await checkOne(io, { ...values, env: environment ?? '' });
      } catch (error) {
        // A manifest that does not validate fails every environment alike: said once.
        if (!isSecretrunError(error) || error.code === 'manifest_invalid') throw error;
        result = { text: `${error.message}\n`, code: exitCodeByCode[error.code] };
      }
      const body = result.text.replace(/^(?=.)/gm, '  ');
      (result.code === 0 ? io.stdout : io.stderr).write(`${title}\n${body}`);
      if (worst === 0) worst = result.code;
    }
    return worst;
  },
};
