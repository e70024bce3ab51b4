import { describe, expect, it } from 'vitest';
import { guardedNames, isGuardedName } from '../../src/runner/expand-guard.js';

describe('isGuardedName', () => {
  it('guards loader, shell, interpreter, git, trust and our own names, whole names only', () => {
    for (const name of ['LD_PRELOAD', 'LD_LIBRARY_PATH', 'DYLD_INSERT_LIBRARIES', 'PATH', 'BASH_ENV', 'NODE_OPTIONS', 'PYTHONPATH', 'PERL5OPT', 'RUBYOPT', 'GIT_SSH_COMMAND', 'SSL_CERT_FILE', 'HTTPS_PROXY', 'SECRETRUN_KEY', 'VAULT_ADDR']) {
      expect(isGuardedName(name, []), name).toBe(true);
    }
    for (const name of ['APP_PATH', 'PATHS', 'NODE_ENV', 'PORT', 'DATABASE_URL', 'XLD_PRELOAD', 'MY_VAULT_ADDR']) expect(isGuardedName(name, []), name).toBe(false);
  });

  it('lets an expansion allow guarded names by name or pattern', () => {
    expect(isGuardedName('PATH', ['PATH'])).toBe(false);
    expect(isGuardedName('LD_PRELOAD', ['LD_*'])).toBe(false);
    expect(isGuardedName('LD_AUDIT', ['LD_PRELOAD'])).toBe(true);
  });

  it('lists each name once', () => {
    expect(new Set(guardedNames).size).toBe(guardedNames.length);
  });
});
