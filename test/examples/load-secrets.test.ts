import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin', 'secretrun.cjs');

describe('examples/load-secrets', () => {
  it('seeds the guide\'s secrets and runs the application with every variable, printing names only', async () => {
    const dir = makeTempDir();
    // Only the example's own files: `npm run demo` leaves a store (and its key elsewhere) in
    // examples/load-secrets/.secretrun, which this test must not pick up.
    cpSync(join(root, 'examples', 'load-secrets'), dir, { recursive: true, filter: (source) => !source.includes('.secretrun') });
    const env = {
      PATH: process.env['PATH'] ?? '',
      HOME: dir,
      XDG_CONFIG_HOME: join(dir, 'config'),
      SECRETRUN: `${process.execPath} ${cli}`,
    };
    const seed = await execa('./seed.sh', { cwd: dir, env, extendEnv: false });
    expect(seed.stdout).toBe('seeded 4 secrets');
    expect(seed.stderr).toContain('its root key was written to');

    const check = await execa(process.execPath, [cli, 'check'], { cwd: dir, env, extendEnv: false });
    expect(check.stdout).toContain('DATABASE_URL');

    const run = await execa(process.execPath, [cli, '--', './start-application.sh'], { cwd: dir, env, extendEnv: false, reject: false });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'received OPENAI_API_KEY',
      'received ANTHROPIC_API_KEY',
      'received DB_USERNAME',
      'received DB_PASSWORD',
      'received DB_HOST',
      'received DATABASE_URL',
      'missing GITHUB_TOKEN',
      'received APP_APP_SECRET',
      'received APP_JWT_SECRET',
      'received APP_ENCRYPTION_KEY',
    ]);
    for (const value of ['sk-proj-your-openai-key-here', 'secure_db_password', 'jwt-signing-key']) {
      expect(run.stdout + run.stderr + check.stdout + check.stderr).not.toContain(value);
    }
  });
});
