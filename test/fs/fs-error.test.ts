import { describe, expect, it } from 'vitest';
import { describeFsError, renderFsFailure } from '../../src/fs/fs-error.js';

describe('fs error descriptions', () => {
  it('says what a full disk, a quota and permissions mean, and keeps unknown codes', () => {
    const enospc = describeFsError(Object.assign(new Error('x'), { code: 'ENOSPC' }));
    expect(enospc).toEqual({ what: 'disk full', code: 'ENOSPC', fix: 'free some space and retry' });
    expect(renderFsFailure(enospc)).toBe('disk full (ENOSPC; free some space and retry)');
    expect(describeFsError({ code: 'EDQUOT' }).what).toBe('disk quota exceeded');
    expect(describeFsError({ code: 'EACCES' }).fix).toBe('check the permissions of the file and its directory');
    expect(renderFsFailure(describeFsError({ code: 'EWEIRD' }))).toBe('EWEIRD (check the file and its directory)');
    expect(describeFsError(new Error('no code')).code).toBe('error');
  });
});
