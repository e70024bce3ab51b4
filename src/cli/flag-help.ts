import type { FlagSpec } from './flags.js';
import { compareGoStrings } from '../go/string-order.js';
import { wrapWithPadding } from './format/wrap.js';

// A titled group of flags in a command's help (`HTTP Options`, `Output Options`, ...).
export interface FlagSection {
  title: string;
  flags: readonly FlagSpec[];
}

// What a command's help is made of.
export interface CommandHelp {
  /** After `Usage: `, e.g. `secretrun kv get [options] KEY`. */
  usage: string;
  /** Paragraphs separated by blank lines, wrapped at 78 and indented by 2; a paragraph that
   * starts with white space (an example block) is kept exactly as written. */
  description: string;
  sections: readonly FlagSection[];
}

const examples: Record<FlagSpec['kind'], string> = { string: 'string', bool: '', int: 'int', list: 'string', map: 'key=value' };

// Vault's command help: usage line, description, then each section's flags in name order as
// `  -name=<example>` over their usage text wrapped at 78 columns and indented by 6.
// No trailing newline (the caller prints it as a line).
export function renderCommandHelp(help: CommandHelp): string {
  let out = `Usage: ${help.usage}\n\n${renderDescription(help.description)}\n\n`;
  for (const section of help.sections) {
    out += `${section.title}:\n\n`;
    const flags = [...section.flags].sort((a, b) => compareGoStrings(a.name, b.name));
    for (const flag of flags) out += `${renderFlagDetail(flag)}\n\n`;
  }
  return out.replace(/\n+$/, '');
}

// One flag's entry: its synopsis line and its wrapped, indented usage.
export function renderFlagDetail(flag: FlagSpec): string {
  const example = flag.example ?? examples[flag.kind];
  const synopsis = example === '' ? `  -${flag.name}` : `  -${flag.name}=<${example}>`;
  return `${synopsis}\n${wrapWithPadding(fullUsage(flag).replace(/\s+/g, ' '), 6)}`;
}

// Vault's VarFlag usage: the text, then aliases, then the default when it is not empty.
function fullUsage(flag: FlagSpec): string {
  let usage = flag.usage;
  const aliases = (flag.aliases ?? []).map((alias) => `"-${alias}"`);
  if (aliases.length === 1) usage += ` This is aliased as ${aliases[0]}.`;
  else if (aliases.length === 2) usage += ` This is aliased as ${aliases[0]} and ${aliases[1]}.`;
  else if (aliases.length > 2) usage += ` This is aliased as ${aliases.slice(0, -1).join(', ')}, and ${aliases.at(-1)}.`;
  const shown = renderDefault(flag);
  if (shown !== '') usage += ` The default is ${shown}.`;
  return usage;
}

function renderDefault(flag: FlagSpec): string {
  const value = flag.default;
  switch (flag.kind) {
    case 'bool':
      return value === true ? 'true' : 'false';
    case 'int':
      return typeof value === 'number' && value !== 0 ? String(value) : '';
    case 'string':
      return typeof value === 'string' ? value : '';
    case 'list':
      return Array.isArray(value) ? value.join(',') : '';
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return '';
      const map = value as Readonly<Record<string, string>>;
      return Object.keys(map)
        .sort(compareGoStrings)
        .map((key) => `${key}=${map[key] ?? ''}`)
        .join(',');
    }
  }
}

function renderDescription(description: string): string {
  return description
    .replace(/^(?:[ \t]*\n)+/, '')
    .trimEnd()
    .split(/\n[ \t]*\n/)
    .map((paragraph) => (/^[ \t]/.test(paragraph) ? paragraph : wrapWithPadding(paragraph.replace(/\s+/g, ' '), 2)))
    .join('\n\n');
}
