import { describe, expect, it } from 'vitest';
import { renderMapHeader, renderPaddedTitle, renderPathHeader } from '../../../src/cli/format/headers.js';

describe('headers', () => {
  it('sizes a section header to the longest key (SPEC 9.4 examples)', () => {
    expect(renderMapHeader('Data', { passcode: 'x' })).toBe('====== Data ======');
    const metadata = { created_time: '', custom_metadata: null, deletion_time: '', destroyed: false, version: 1 };
    expect(renderMapHeader('Metadata', metadata)).toBe('======= Metadata =======');
  });

  it('keeps at least two signs a side and evens out odd counts', () => {
    expect(renderMapHeader('Data', {})).toBe('== Data ==');
    expect(renderMapHeader('Data', { a: 1 })).toBe('== Data ==');
    expect(renderPaddedTitle('T', 6)).toBe('== T ==');
  });

  it('renders the path header with the path and an empty line', () => {
    expect(renderPathHeader('secret/data/creds', 'Secret Path')).toBe('== Secret Path ==\nsecret/data/creds\n\n');
    expect(renderPathHeader('secret/data/foo', 'Secret Path')).toBe('= Secret Path =\nsecret/data/foo\n\n');
    expect(renderPathHeader('secret/metadata/creds', 'Metadata Path')).toBe(
      '=== Metadata Path ===\nsecret/metadata/creds\n\n',
    );
  });

  it('counts bytes, as Go len() does', () => {
    expect(renderMapHeader('Data', { 'ééééé': 1 })).toBe('======= Data =======');
  });
});
