// Audit devices through the built CLI and a real server: the guide's
// `secretrun audit enable file file_path=...`, lines that hold no plaintext secret or token
// (hashes that `sys/audit-hash` reproduces), the local CLI's own operations on record, log
// rotation with SIGHUP, stdout devices, and requests refused (500 / exit 2, nothing stored)
// when no device can record them.
import { readFileSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import vault from 'node-vault';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../http/server-process.js';
import { waitFor } from '../helpers/wait-for.js';
import { createSandbox, expectExit, expectNoSecrets } from './run-cli.js';

type Entry = Record<string, any>;

function entries(path: string): Entry[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Entry);
}

async function api(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}/v1/${path}`, { method, headers: { 'X-Vault-Token': token }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, text, json: text === '' ? undefined : (JSON.parse(text) as Entry) };
}

describe('audit devices, local CLI', () => {
  it('enables a file device as the guide does, records every operation with values hashed, lists and disables it', async () => {
    const sandbox = createSandbox();
    const log = join(sandbox.dir, 'logs', 'audit.log');
    const password = 'guide-password-61c2f0';
    const apiKey = 'sk-guide-key-9d83a1';
    expect(expectExit(await sandbox.run(['audit', 'enable', 'file', `file_path=${log}`]), 0).stdout).toBe('Success! Enabled the file audit device at: file/\n');
    expectExit(await sandbox.run(['kv', 'put', 'secret/myapp/config', `password=${password}`, 'api_key=-'], { input: apiKey }), 0);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=api_key', 'secret/myapp/config']), 0).stdout).toBe(apiKey);

    const text = readFileSync(log, 'utf8');
    expectNoSecrets(text, [password, apiKey], 'the audit log');
    // `tail -f audit.log | grep "secret/data"` finds the accesses: paths stay clear.
    const lines = entries(log).filter((entry) => entry['request']['path'] === 'secret/data/myapp/config');
    expect(lines.map((entry) => `${entry['type']} ${entry['request']['operation']}`)).toEqual(['request update', 'response update', 'request read', 'response read']);
    expect(lines[0]).toMatchObject({ auth: { display_name: 'local', policies: ['root'] }, request: { mount_type: 'kv', namespace: { id: 'root' } } });

    // The hash the device wrote is the one sys/audit-hash gives (the value goes through stdin).
    const hashed = expectExit(await sandbox.run(['write', '-field=hash', 'sys/audit-hash/file', 'input=-'], { input: apiKey }), 0).stdout;
    expect(hashed).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(lines[0]?.['request']['data']['data']['api_key']).toBe(hashed);
    expect(lines[3]?.['response']['data']['data']['api_key']).toBe(hashed);

    const list = expectExit(await sandbox.run(['audit', 'list']), 0).stdout;
    expect(list).toBe('Path     Type    Description\n----     ----    -----------\nfile/    file    n/a\n');
    const detailed = expectExit(await sandbox.run(['audit', 'list', '-detailed']), 0).stdout;
    expect(detailed).toContain(`file/    file    n/a            replicated     file_path=${log}`);
    const json = JSON.parse(expectExit(await sandbox.run(['audit', 'list', '-format=json']), 0).stdout);
    expect(json).toEqual({ 'file/': { type: 'file', description: '', options: { file_path: log }, local: false, path: 'file/' } });

    expect(expectExit(await sandbox.run(['audit', 'disable', 'file']), 0).stdout).toBe('Success! Disabled audit device (if it was enabled) at: file/\n');
    const after = readFileSync(log, 'utf8').length;
    expectExit(await sandbox.run(['kv', 'get', 'secret/myapp/config']), 0);
    expect(readFileSync(log, 'utf8').length).toBe(after);
    expect(expectExit(await sandbox.run(['audit', 'list']), 2).stdout).toBe('No audit devices are enabled.\n');
  });

  it('answers mistakes with vault\'s texts and exit codes, and keeps a relative file where it was typed', async () => {
    const sandbox = createSandbox();
    expect(expectExit(await sandbox.run(['audit', '-h']), 0).stdout).toMatch(/Subcommands:\n\s+list\s+Lists enabled audit devices\n\s+enable\s+Enables an audit device\n\s+disable\s+Disables an audit device\n/);
    expect(expectExit(await sandbox.run(['audit', 'enable']), 1).stderr).toContain("audit type missing. Valid types include 'file', 'socket' and 'syslog'.");
    expect(expectExit(await sandbox.run(['audit', 'enable', 'file']), 2).stderr).toContain('Error enabling audit device: "file_path" is required: invalid configuration');
    expect(expectExit(await sandbox.run(['audit', 'enable', 'syslog']), 2).stderr).toContain('Error enabling audit device: unknown backend type: "syslog"');
    expect(expectExit(await sandbox.run(['audit', 'enable', 'file', 'file_path=a.log', 'format=jsonx']), 2).stderr).toContain('jsonx audit format is not supported');
    expect(expectExit(await sandbox.run(['audit', 'disable']), 1).stderr).toContain('Not enough arguments (expected 1, got 0)');
    expectExit(await sandbox.run(['audit', 'enable', '-path=team', '-description=team log', 'file', 'file_path=logs/team.log', 'mode=0640']), 0);
    expect(expectExit(await sandbox.run(['audit', 'enable', '-path=team', 'file', 'file_path=other.log']), 2).stderr).toContain('Error enabling audit device: path already in use');
    const detailed = expectExit(await sandbox.run(['audit', 'list', '-detailed']), 0).stdout;
    expect(detailed).toContain(`team/    file    team log       replicated     file_path=${join(sandbox.dir, 'logs', 'team.log')} mode=0640`);
  });

  it('writes a stdout device\'s lines to the CLI\'s stderr, never into a command\'s output', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['audit', 'enable', 'file', 'file_path=-']), 0);
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'token=-'], { input: 'stdout-device-value-2b7e' }), 0);
    const get = expectExit(await sandbox.run(['kv', 'get', '-field=token', 'secret/app']), 0);
    expect(get.stdout).toBe('stdout-device-value-2b7e');
    const lines = get.stderr.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Entry);
    expect(lines.map((entry) => `${entry['type']} ${entry['request']['path']}`)).toEqual([
      'request sys/internal/ui/mounts/secret/app',
      'response sys/internal/ui/mounts/secret/app',
      'request secret/data/app',
      'response secret/data/app',
    ]);
    expectNoSecrets(get.stderr, ['stdout-device-value-2b7e'], 'the audit lines');
  });

  it('refuses, exit 2 and nothing stored, what no device can record (a full disk)', async () => {
    const sandbox = createSandbox();
    const link = join(sandbox.dir, 'audit.log');
    symlinkSync(join(sandbox.dir, 'real.log'), link);
    expectExit(await sandbox.run(['audit', 'enable', 'file', `file_path=${link}`]), 0);
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'password=before-full-0c2d']), 0);
    unlinkSync(link);
    symlinkSync('/dev/full', link);
    const store = readFileSync(sandbox.storePath);
    const secret = 'never-stored-7a41be';
    const put = expectExit(await sandbox.run(['kv', 'put', 'secret/app', `password=${secret}`]), 2);
    expect(put.stderr).toContain('internal error');
    expect(put.stderr).toMatch(/secretrun: audit device "file\/" could not record request [0-9a-f-]{36}: cannot write audit log file .*: disk full \(ENOSPC/);
    expect(readFileSync(sandbox.storePath).equals(store)).toBe(true);
    const get = expectExit(await sandbox.run(['kv', 'get', '-field=password', 'secret/app']), 2);
    expect(get.stdout).toBe('');
    expectNoSecrets(get.stderr, ['before-full-0c2d'], 'kv get stderr');
  });
});

describe('audit devices, secretrun server', () => {
  it('hashes tokens and values, records refusals, reopens on SIGHUP, fails closed, and records the local CLI too', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    const root = server.rootToken as string;
    const dir = sandbox.dir;
    const log = join(dir, 'audit.log');
    symlinkSync(join(dir, 'real.log'), log);
    expect((await api(server.url, root, 'PUT', 'sys/audit/file', { type: 'file', options: { file_path: log } })).status).toBe(204);

    const value = 'server-secret-value-4e1f9b';
    const client = vault({ endpoint: server.url, token: root });
    await client.write('secret/data/app', { data: { password: value } });
    const created = await api(server.url, root, 'POST', 'auth/token/create', { policies: ['default'] });
    const child = created.json?.['auth'] as { client_token: string; accessor: string };
    expect((await api(server.url, child.client_token, 'GET', 'auth/token/lookup-self')).status).toBe(200);
    const bad = 'hvs.server-bad-token-81ce';
    expect((await api(server.url, bad, 'GET', 'secret/data/app')).status).toBe(403);

    const text = readFileSync(log, 'utf8');
    expectNoSecrets(text, [value, root, child.client_token, child.accessor, bad], 'the audit log');
    const hash = async (input: string) => (await api(server.url, root, 'PUT', 'sys/audit-hash/file', { input })).json?.['data']['hash'];
    const all = entries(log);
    const write = all.find((entry) => entry['type'] === 'request' && entry['request']['path'] === 'secret/data/app')!;
    expect(write['request']).toMatchObject({ client_token: await hash(root), remote_address: '127.0.0.1', data: { data: { password: await hash(value) } } });
    expect(write['request']['remote_port']).toBeGreaterThan(0);
    const lookup = all.find((entry) => entry['type'] === 'request' && entry['request']['path'] === 'auth/token/lookup-self')!;
    expect(lookup['auth']).toMatchObject({ client_token: await hash(child.client_token), accessor: await hash(child.accessor), policies: ['default'] });
    const refused = all.filter((entry) => entry['error'] === 'permission denied');
    expect(refused.map((entry) => entry['type'])).toEqual(['request', 'response']);
    expect(refused[0]?.['request']['client_token']).toBe(await hash(bad));

    // The local CLI, beside the server, writes to the same device.
    expectExit(await sandbox.run(['kv', 'get', 'secret/app']), 0);
    expect(entries(log).some((entry) => entry['auth']['display_name'] === 'local' && entry['request']['path'] === 'secret/data/app')).toBe(true);

    // Log rotation: the file is renamed, SIGHUP makes the server write to a new one.
    renameSync(join(dir, 'real.log'), join(dir, 'real.log.1'));
    server.child.kill('SIGHUP');
    await waitFor('the reload line', () => server.stdout().includes('reload triggered (SIGHUP)'));
    expect((await api(server.url, root, 'GET', 'secret/data/app')).status).toBe(200);
    expect(entries(join(dir, 'real.log')).map((entry) => `${entry['type']} ${entry['request']['path']}`)).toEqual(['request secret/data/app', 'response secret/data/app']);
    const rotated = readFileSync(join(dir, 'real.log.1'), 'utf8');

    // A full disk: nothing is served, nothing is stored, and the server says which device failed.
    unlinkSync(log);
    symlinkSync('/dev/full', log);
    server.child.kill('SIGHUP');
    await waitFor('the second reload line', () => server.stdout().split('reload triggered').length === 3);
    const store = readFileSync(sandbox.storePath);
    const read = await api(server.url, root, 'GET', 'secret/data/app');
    expect(read).toMatchObject({ status: 500, text: '{"errors":["internal error"]}\n' });
    expect((await api(server.url, root, 'PUT', 'secret/data/app', { data: { password: 'not-stored-3f0a' } })).status).toBe(500);
    expect(readFileSync(sandbox.storePath).equals(store)).toBe(true);
    const failures = await waitFor('the device failure lines', () => {
      const found = server.stderr().split('\n').filter((line) => line.includes('audit device "file/" could not record'));
      return found.length >= 2 ? found : undefined;
    });
    expect(failures[0]).toMatch(/^secretrun server: audit device "file\/" could not record request [0-9a-f-]{36}: cannot write audit log file .*: disk full \(ENOSPC/);
    expectNoSecrets(server.stderr(), [value, root, 'not-stored-3f0a'], 'server stderr');
    expect(readFileSync(join(dir, 'real.log.1'), 'utf8')).toBe(rotated);
    expect(await server.stop()).toBe(0);
  });

  it('writes a device with file_path=- to the server\'s stdout', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', '-dev-root-token-id=stdout-root'], sandbox.env);
    expect((await api(server.url, 'stdout-root', 'PUT', 'sys/audit/out', { type: 'file', options: { file_path: '-' } })).status).toBe(204);
    await api(server.url, 'stdout-root', 'PUT', 'secret/data/app', { data: { password: 'stdout-value-52de' } });
    const lines = await waitFor('audit lines on stdout', () => {
      const found = server.stdout().split('\n').filter((line) => line.startsWith('{"time":') && line.includes('"path":"secret/data/app"'));
      return found.length >= 2 ? found : undefined;
    });
    expect(lines.map((line) => JSON.parse(line)['type'])).toEqual(['request', 'response']);
    expectNoSecrets(lines.join('\n'), ['stdout-value-52de', 'stdout-root'], 'the audit lines');
    expectNoSecrets(server.stdout(), ['stdout-value-52de'], 'server stdout');
    expect(await server.stop()).toBe(0);
  });
});
