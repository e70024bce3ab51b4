import { resolve } from 'node:path';
import { parsePolicy } from '../../auth/policy-parse.js';
import { renderPolicy } from '../../auth/policy-render.js';
import { SecretrunError, isSecretrunError } from '../../errors.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { formatSize, isTooLarge, readFileBounded } from '../../fs/bounded-read.js';
import { describeFsError, renderFsFailure } from '../../fs/fs-error.js';
import { apiError, readAnswered, requestExpecting, writeSucceeded } from '../api-error.js';
import { clientFlags, type Command, type CommandContext } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { maxKvInputBytes, readStdinData } from '../kv-data-args.js';
import { renderValue } from '../secret-output.js';

// `policy write|read|list|delete|fmt`, as the vault CLI's command/policy_*.go: policies go to
// `sys/policies/acl/<name>`, names are lower-cased, `-` reads the policy from stdin (the guide's
// heredoc form), and `fmt` rewrites a local file in canonical form.

const formatFlag = { name: 'format', kind: 'string', default: 'table', usage: 'Print the output in the given format: "table", "json" or "yaml".' } as const satisfies FlagSpec;
const writeFlags = [...clientFlags] as const satisfies readonly FlagSpec[];
const readFlags = [formatFlag, ...clientFlags] as const satisfies readonly FlagSpec[];

// Policies are normalised to lower case by the CLI as by the server.
function policyName(text: string): string {
  return text.trim().toLowerCase();
}

// The text of a local file, refused past the request limit; failures name the file and why.
function readLocalFile(path: string, cwd: string, action: string): string {
  try {
    return readFileBounded(resolve(cwd, path), maxKvInputBytes).toString('utf8');
  } catch (error) {
    if (isTooLarge(error)) throw new SecretrunError('input', `${action}: ${path} is larger than ${formatSize(maxKvInputBytes)}, the most one request may carry`);
    throw new SecretrunError('input', `${action}: cannot read ${path}: ${renderFsFailure(describeFsError(error))}`);
  }
}

// `policy write NAME PATH|-`.
export const policyWriteCommand: Command = {
  name: 'policy write',
  usage: 'secretrun policy write [options] NAME PATH',
  description:
    'Uploads a policy with name NAME from the contents of a local file PATH or stdin. If PATH is "-", the policy is read from stdin. A policy that does not parse is refused with its line, column and reason, and nothing is stored.\n\n  $ secretrun policy write my-policy /tmp/policy.hcl\n  $ cat my-policy.hcl | secretrun policy write my-policy -',
  flags: writeFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('policy write', writeFlags, argv, context, { min: 2, max: 2 });
    const name = policyName(args[0] ?? '');
    const source = (args[1] ?? '').trim();
    const rules = source === '-' ? await readStdinData(context.io) : readLocalFile(source, context.io.cwd, 'Error opening policy file');
    const client = await context.client(clientFlagsOf(values));
    const path = `sys/policies/acl/${name}`;
    await requestExpecting(client, 'Error uploading policy', { method: 'PUT', path }, writeSucceeded, { body: { policy: rules } });
    context.io.stdout.write(`Success! Uploaded policy: ${name}\n`);
    return 0;
  },
};

// `policy read NAME`: the text as written; "No policy named" when there is none.
export const policyReadCommand: Command = {
  name: 'policy read',
  usage: 'secretrun policy read [options] NAME',
  description: 'Prints the contents of the policy named NAME. If the policy does not exist, an error is returned.\n\n  $ secretrun policy read my-policy',
  flags: readFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('policy read', readFlags, argv, context, { min: 1, max: 1 });
    const name = policyName(args[0] ?? '');
    const client = await context.client(clientFlagsOf(values));
    const path = `sys/policies/acl/${name}`;
    const response = await requestExpecting(client, `Error reading policy named ${name}`, { method: 'GET', path }, readAnswered);
    const data = response.json?.['data'];
    const rules = response.status === 200 && typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['policy'] : undefined;
    if (typeof rules !== 'string' || rules === '') throw new SecretrunError('not_found', `No policy named: ${name}`);
    if (context.global.format === 'table') context.io.stdout.write(`${rules.trim()}\n`);
    else context.io.stdout.write(await renderValue({ policy: rules }, context.global.format));
    return 0;
  },
};

// `policy list`: one name a line, `root` last, as Vault lists them.
export const policyListCommand: Command = {
  name: 'policy list',
  usage: 'secretrun policy list [options]',
  description: 'Lists the names of the policies that are installed.\n\n  $ secretrun policy list',
  flags: readFlags,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('policy list', readFlags, argv, context, { min: 0, max: 0 });
    const client = await context.client(clientFlagsOf(values));
    const path = 'sys/policies/acl';
    const response = await client.request('LIST', path);
    const keys = (response.json?.['data'] as { keys?: unknown } | undefined)?.keys;
    if (response.status !== 200 || !Array.isArray(keys)) throw apiError(client, 'Error listing policies', { method: 'LIST', path }, response);
    if (context.global.format === 'table') context.io.stdout.write(keys.map((key) => `${String(key)}\n`).join(''));
    else context.io.stdout.write(await renderValue(keys, context.global.format));
    return 0;
  },
};

// `policy delete NAME`: succeeds whether or not the policy existed, as Vault's does.
export const policyDeleteCommand: Command = {
  name: 'policy delete',
  usage: 'secretrun policy delete [options] NAME',
  description: 'Deletes the policy named NAME. Tokens holding it lose what it granted at once. The "root" and "default" policies cannot be deleted.\n\n  $ secretrun policy delete my-policy',
  flags: writeFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('policy delete', writeFlags, argv, context, { min: 1, max: 1 });
    const name = policyName(args[0] ?? '');
    const client = await context.client(clientFlagsOf(values));
    const path = `sys/policies/acl/${name}`;
    await requestExpecting(client, `Error deleting ${name}`, { method: 'DELETE', path }, writeSucceeded);
    context.io.stdout.write(`Success! Deleted policy: ${name}\n`);
    return 0;
  },
};

// Writes the canonical form of a policy file over it (atomically, keeping its mode).
async function formatPolicyFile(context: CommandContext, path: string): Promise<void> {
  const full = resolve(context.io.cwd, path);
  const text = readLocalFile(path, context.io.cwd, 'Error reading source file');
  let formatted: string;
  try {
    formatted = renderPolicy(parsePolicy('fmt', text));
  } catch (error) {
    // A policy that does not parse exits 1 with the parser's message, as vault's fmt does.
    if (isSecretrunError(error)) throw new SecretrunError('input', error.message, error.hint === undefined ? {} : { hint: error.hint });
    throw error;
  }
  await writeFileAtomic(full, formatted).catch((error: unknown) => {
    throw new SecretrunError('input', `Error writing result: cannot write ${path}: ${renderFsFailure(describeFsError(error))}`);
  });
}

// `policy fmt PATH`: a local file only, no server.
export const policyFmtCommand: Command = {
  name: 'policy fmt',
  usage: 'secretrun policy fmt [options] PATH',
  description:
    'Formats a local policy file to the policy specification: two-space indent, aligned "=", keys in the order written, comments kept. The file at PATH is overwritten with the formatted policy; a policy that does not parse is left as it was.\n\n  $ secretrun policy fmt my-policy.hcl',
  flags: [],
  async run(argv, context) {
    const { args } = parseCommandLine('policy fmt', [], argv, context, { min: 1, max: 1 });
    const path = (args[0] ?? '').trim();
    await formatPolicyFile(context, path);
    context.io.stdout.write(`Success! Formatted policy: ${path}\n`);
    return 0;
  },
};
