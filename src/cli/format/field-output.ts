import { SecretrunError } from '../../errors.js';
import { renderGoJsonIndented } from '../../go/json.js';
import { renderGoValue } from '../../go/value.js';
import type { OutputFormat } from '../global-flags.js';

// Vault's PrintRawField for `-field=F`: the bare value (`%v`) in table format, its JSON or YAML
// encoding otherwise. A newline is added only when stdout is a terminal, so piping the value
// gives exactly the value. A missing or null value is Vault's "not present" error (exit 1).
// Async because YAML (and its library) is loaded only when asked for: start-up matters.
export async function renderFieldOutput(field: string, value: unknown, format: OutputFormat, isTTY: boolean): Promise<string> {
  if (value === undefined || value === null) {
    throw new SecretrunError('usage', `Field "${field}" not present in secret`);
  }
  const text = format === 'json' ? renderGoJsonIndented(value) : format === 'yaml' ? (await import('./go-yaml.js')).renderGoYaml(value) : renderGoValue(value);
  return isTTY ? `${text}\n` : text;
}
