import { describe, expect, it } from 'vitest';
import { renderWarnings } from '../../../src/cli/format/warnings.js';

describe('renderWarnings', () => {
  it('renders nothing without warnings', () => {
    expect(renderWarnings([])).toBe('');
    expect(renderWarnings(null)).toBe('');
  });

  it('renders the title, a blank line, and each warning followed by a blank line', () => {
    expect(renderWarnings(['first', 'second'])).toBe(
      'WARNING! The following warnings were returned from Vault:\n\n  * first\n\n  * second\n\n',
    );
  });

  it('wraps long warnings at 78 columns with a two-space indent', () => {
    const warning =
      'Endpoint ignored these unrecognized parameters: [foo bar baz] and this sentence goes on long enough to wrap';
    const block = renderWarnings([warning]);
    const lines = block.split('\n').slice(2, -2);
    expect(lines.length).toBe(2);
    expect(lines[0]?.startsWith('  * Endpoint')).toBe(true);
    for (const line of lines) {
      expect(line.startsWith('  ')).toBe(true);
      expect(line.length).toBeLessThanOrEqual(78);
    }
    expect(lines.map((line) => line.trim()).join(' ')).toBe(`* ${warning}`);
  });
});
