import { isAbsolute, resolve } from 'node:path';
import { SecretrunError, isSecretrunError } from '../../errors.js';
import { goStruct } from '../../go/json.js';
import { isJsonObject, type JsonObject } from '../../json.js';
import { apiError, requestExpecting, writeSucceeded } from '../api-error.js';
import { clientFlags, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { renderAuditDetailedTable, renderAuditTable, type AuditOutput } from '../format/audit-table.js';
import { readKvData } from '../kv-data-args.js';
import { sanitizePath } from '../kv-path.js';
import { renderValue } from '../secret-output.js';

// `audit enable|disable|list`, as vault's command/audit_*.go: the same flags, texts and exit
// codes (1 for a usage mistake, 2 for what the store or server refused).

const enableFlags = [
  { name: 'description', kind: 'string', usage: 'Human-friendly description for the purpose of this audit device.' },
  { name: 'path', kind: 'string', usage: 'Place where the audit device will be accessible. This must be unique across all audit devices. This defaults to the "type" of the audit device.' },
  { name: 'local', kind: 'bool', usage: 'Mark the audit device as a local-only device. Local devices are not replicated or removed by replication.' },
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// K=V options as vault's parseArgsDataString: every value a string. `file_path=-` names the
// server's stdout, as the device takes it, rather than a value to read from stdin.
async function readOptions(args: readonly string[], context: Parameters<Command['run']>[1]): Promise<Record<string, string>> {
  let data: JsonObject;
  const stdoutDevice = args.includes('file_path=-');
  try {
    data = await readKvData(
      args.filter((arg) => arg !== 'file_path=-'),
      context.io,
    );
    if (stdoutDevice) data['file_path'] = '-';
  } catch (error) {
    if (isSecretrunError(error) && error.code === 'input') throw new SecretrunError('input', `Failed to parse K=V data: ${error.message}`, { hint: error.hint });
    throw error;
  }
  const options: Record<string, string> = {};
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === 'string') options[name] = value;
    else if (typeof value === 'number') options[name] = String(value);
    else if (typeof value === 'boolean') options[name] = value ? '1' : '0';
    else if (value !== null) throw new SecretrunError('input', `Failed to parse K=V data: failed to convert values to strings: ${name} is not a string`);
  }
  return options;
}

// `audit enable [-path=P] [-description=D] TYPE [K=V...]`.
export const auditEnableCommand: Command = {
  name: 'audit enable',
  usage: 'secretrun audit enable [options] TYPE [CONFIG K=V...]',
  description:
    'Enables an audit device at a given path. Options of the device follow the type as key=value pairs, as for "secretrun write". The file device appends one JSON line per request and per response, every secret, password and token HMAC\'d with the device\'s salt; file_path=- (or stdout) writes to the server\'s stdout (to stderr for the local CLI\'s own requests), not a value read from stdin. Once a device is enabled, a request no device can record is refused.\n\n  $ secretrun audit enable file file_path=/var/log/secretrun/audit.log\n  $ secretrun audit enable -path=raw file file_path=/var/log/secretrun/raw.log log_raw=true',
  flags: enableFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('audit enable', enableFlags, argv, context, { min: 0, max: Number.MAX_SAFE_INTEGER });
    const type = (args[0] ?? '').trim();
    if (args.length === 0) throw new SecretrunError('usage', "Error enabling audit device: audit type missing. Valid types include 'file', 'socket' and 'syslog'.");
    const devicePath = `${(values.path || type).replace(/\/+$/, '')}/`;
    const options = await readOptions(args.slice(1), context);
    const client = await context.client(clientFlagsOf(values));
    // The local CLI and a server may run in different directories: a relative file is the
    // one the user meant where they typed it.
    const filePath = options['file_path'];
    if (client.mode === 'local' && filePath !== undefined && !['-', 'stdout', 'discard'].includes(filePath.toLowerCase()) && filePath !== '' && !isAbsolute(filePath)) {
      options['file_path'] = resolve(context.io.cwd, filePath);
    }
    const path = `sys/audit/${devicePath.slice(0, -1)}`;
    const body: JsonObject = { type, description: values.description, options, local: values.local };
    await requestExpecting(client, 'Error enabling audit device', { method: 'PUT', path }, writeSucceeded, { body });
    context.io.stdout.write(`Success! Enabled the ${type} audit device at: ${devicePath}\n`);
    return 0;
  },
};

const disableFlags = [...clientFlags] as const satisfies readonly FlagSpec[];

// `audit disable PATH`.
export const auditDisableCommand: Command = {
  name: 'audit disable',
  usage: 'secretrun audit disable [options] PATH',
  description: 'Disables an audit device. Once disabled, no further audit logs are sent to it; the log file itself is left as it is.\n\n  $ secretrun audit disable file/',
  flags: disableFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('audit disable', disableFlags, argv, context, { min: 1, max: 1 });
    const devicePath = `${sanitizePath(args[0] ?? '')}/`;
    const client = await context.client(clientFlagsOf(values));
    const path = `sys/audit/${devicePath.slice(0, -1)}`;
    await requestExpecting(client, 'Error disabling audit device', { method: 'DELETE', path }, writeSucceeded);
    context.io.stdout.write(`Success! Disabled audit device (if it was enabled) at: ${devicePath}\n`);
    return 0;
  },
};

const listFlags = [
  { name: 'format', kind: 'string', default: 'table', usage: 'Print the output in the given format: "table", "json" or "yaml".' },
  { name: 'detailed', kind: 'bool', usage: 'Print detailed information such as options and replication status about each audit device.' },
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// `audit list [-detailed]`.
export const auditListCommand: Command = {
  name: 'audit list',
  usage: 'secretrun audit list [options]',
  description: 'Lists the enabled audit devices and their paths.\n\n  $ secretrun audit list -detailed',
  flags: listFlags,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('audit list', listFlags, argv, context, { min: 0, max: 0 });
    const { io, global } = context;
    const client = await context.client(clientFlagsOf(values));
    const response = await client.request('GET', 'sys/audit');
    const data = response.json?.['data'];
    if (response.status !== 200 || !isJsonObject(data)) throw apiError(client, 'Error listing audits', { method: 'GET', path: 'sys/audit' }, response);
    const audits = data as unknown as Record<string, AuditOutput>;
    if (global.format !== 'table') {
      io.stdout.write(await renderValue(renderAuditOutputs(audits), global.format));
      return 0;
    }
    if (Object.keys(audits).length === 0) {
      io.stdout.write('No audit devices are enabled.\n');
      return 2;
    }
    io.stdout.write(`${global.detailed || values.detailed ? renderAuditDetailedTable(audits) : renderAuditTable(audits)}\n`);
    return 0;
  },
};

// The list as vault decodes it into api.Audit structs before printing JSON or YAML.
function renderAuditOutputs(audits: Readonly<Record<string, AuditOutput>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, audit] of Object.entries(audits)) {
    out[path] = goStruct({ type: audit.type ?? '', description: audit.description ?? '', options: audit.options ?? null, local: audit.local ?? false, path: audit.path ?? '' });
  }
  return out;
}
