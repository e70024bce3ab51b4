import { SecretrunError } from '../errors.js';
import { runCommand } from './commands/run.js';
import { runnerArguments } from '../startup/route.js';
import { executeCommand } from './execute.js';
import { processIo } from './process-io.js';

// The entry point of dist/run.cjs, the runner's own bundle: `secretrun run` and
// `secretrun [flags] -- CMD` are the product's hot path, and compiling only the runner (not
// every kv, secrets and operator command) shortens every start. The bin's loader picks this
// bundle for those command lines by the same rule (src/startup/route.ts); any other command
// line, given to this bundle directly, goes to the whole CLI.
export async function runFromProcess(): Promise<void> {
  const argv = process.argv.slice(2);
  const rest = runnerArguments(argv);
  if (rest === undefined) {
    // Not the runner after all: the whole CLI, built next to this bundle.
    const cli = require('./cli.cjs') as { runFromProcess: () => Promise<void> };
    return cli.runFromProcess();
  }
  process.exitCode = await executeCommand(runCommand, rest, processIo(), async () => {
    throw new SecretrunError('internal', 'the runner opened an API client');
  });
}
