import { describe, expect, it } from 'vitest';
import { createSandbox, expectExit } from './run-cli.js';

describe('read, write, list and delete on API paths', () => {
  it('behave like vault read/write/list/delete over the local store', async () => {
    const sandbox = createSandbox();
    expect(expectExit(await sandbox.run(['write', 'secret/config', 'max_versions=5', 'cas_required=false']), 0).stdout).toBe(
      'Success! Data written to: secret/config\n',
    );
    const config = expectExit(await sandbox.run(['read', 'secret/config']), 0).stdout;
    expect(config).toBe(
      'Key                     Value\n---                     -----\ncas_required            false\ndelete_version_after    0s\nmax_versions            5\n',
    );
    expect(expectExit(await sandbox.run(['read', '-field=max_versions', 'secret/config']), 0).stdout).toBe('5');

    expectExit(await sandbox.run(['write', 'secret/data/app/db', '-'], { input: '{"data": {"password": "generic-pass-31"}}' }), 0);
    const metadata = JSON.parse(expectExit(await sandbox.run(['read', '-format=json', 'secret/metadata/app/db']), 0).stdout);
    expect(metadata.data.current_version).toBe(1);
    expect(expectExit(await sandbox.run(['list', 'secret/metadata']), 0).stdout).toBe('Keys\n----\napp/\n');
    expect(expectExit(await sandbox.run(['delete', 'secret/data/app/db']), 0).stdout).toBe(
      'Success! Data deleted (if it existed) at: secret/data/app/db\n',
    );

    const missing = expectExit(await sandbox.run(['read', 'secret/data/nope']), 2);
    expect(missing.stderr).toBe('No value found at secret/data/nope\n');
    const noRoute = expectExit(await sandbox.run(['write', 'auth/userpass/users/myapp-user', 'password=generic-pw-77']), 2);
    expect(noRoute.stderr).toContain('no handler for route "auth/userpass/users/myapp-user"');
    expect(noRoute.stderr).not.toContain('generic-pw-77');
    expectExit(await sandbox.run(['list', 'secret/metadata/nothing']), 2);
    expectExit(await sandbox.run(['read']), 1);
  });
});
