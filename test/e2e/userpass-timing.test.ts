// A failed userpass login takes as long, and answers the same, whether or not the user exists
// (the unknown user's password is checked against a hash too). Decided by comparing the two
// distributions of response times, sampled interleaved so that the load of a shared machine
// falls on both alike — never by a limit on any time.
import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../http/server-process.js';
import { mannWhitneyZ } from '../helpers/rank-test.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { createSandbox } from './run-cli.js';

const rounds = 30;

describe('userpass login timing', () => {
  it('does not reveal whether a user exists', async () => {
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', '-dev-root-token-id=timing-root'], createSandbox().env);
    try {
      const call = async (path: string, body: unknown, token?: string) => {
        const started = performance.now();
        const response = await fetch(`${server.url}/v1/${path}`, { method: 'POST', headers: token === undefined ? {} : { 'X-Vault-Token': token }, body: JSON.stringify(body) });
        const text = await response.text();
        return { ms: performance.now() - started, answer: `${response.status} ${text}` };
      };
      await call('sys/auth/userpass', { type: 'userpass' }, 'timing-root');
      await call('auth/userpass/users/alice', { password: 'alice-real-password' }, 'timing-root');
      const wrongPassword = () => call('auth/userpass/login/alice', { password: 'not-her-password' });
      const unknownUser = () => call('auth/userpass/login/mallory', { password: 'not-her-password' });
      // Refused before any hashing: the control the test must be able to tell apart.
      const noPassword = () => call('auth/userpass/login/alice', { password: '' });
      for (let i = 0; i < 3; i++) await Promise.all([wrongPassword(), unknownUser()].map((p) => p.catch(() => undefined)));

      const random = seededRandom(11);
      const samples = { wrong: [] as number[], unknown: [] as number[], control: [] as number[] };
      const answers = new Set<string>();
      for (let round = 0; round < rounds; round++) {
        // A random order in every round, so neither kind always runs first.
        const order = random() < 0.5 ? (['wrong', 'unknown', 'control'] as const) : (['unknown', 'control', 'wrong'] as const);
        for (const kind of order) {
          const result = await (kind === 'wrong' ? wrongPassword() : kind === 'unknown' ? unknownUser() : noPassword());
          samples[kind].push(result.ms);
          if (kind !== 'control') answers.add(result.answer);
        }
      }
      expect([...answers]).toEqual(['400 {"errors":["invalid username or password"]}\n']);
      // The test can see a difference where there is one...
      expect(Math.abs(mannWhitneyZ(samples.wrong, samples.control))).toBeGreaterThan(5);
      // ...and sees none between an unknown user and a wrong password (|z| < 3.9: p < 1e-4 by chance).
      expect(Math.abs(mannWhitneyZ(samples.wrong, samples.unknown))).toBeLessThan(3.9);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
