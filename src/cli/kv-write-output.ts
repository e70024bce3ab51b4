import type { ApiSecret } from './format/secret-json.js';
import { renderFieldOutput } from './format/field-output.js';
import { renderPathHeader } from './format/headers.js';
import type { CommandContext } from './command.js';
import { printWarnings, renderSecret, renderSection } from './secret-output.js';

// What `kv put`, `kv patch` and `kv rollback` print after a successful write: `Success!` for
// a v1 mount (no body), else the new version's metadata (or one field of it).
export async function printWriteResult(context: CommandContext, path: string, secret: ApiSecret | undefined, field: string): Promise<number> {
  const { io, global } = context;
  if (secret === undefined) {
    if (global.format === 'table') io.stdout.write(`Success! Data written to: ${path}\n`);
    return 0;
  }
  if (field !== '') {
    io.stdout.write(await renderFieldOutput(field, secret.data?.[field], global.format, io.stdout.isTTY));
    return 0;
  }
  if (global.format !== 'table') {
    io.stdout.write(await renderSecret(secret, global.format));
    return 0;
  }
  printWarnings(io, secret);
  io.stdout.write(`${renderPathHeader(path, 'Secret Path')}${renderSection('Metadata', secret.data ?? {})}`);
  return 0;
}
