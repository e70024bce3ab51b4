import { wrapWithPadding } from './wrap.js';

// Vault's printWarnings block for table output, written to stderr by the caller: the title, a
// blank line, then each warning as `  * text` wrapped at 78 columns and followed by a blank
// line. No warnings → ''.
export function renderWarnings(warnings: readonly string[] | null | undefined): string {
  if (warnings === null || warnings === undefined || warnings.length === 0) return '';
  let out = 'WARNING! The following warnings were returned from Vault:\n\n';
  for (const warning of warnings) out += `${wrapWithPadding(`* ${warning}`, 2)}\n\n`;
  return out;
}
