// The start-up tricks, each of which can be turned off to measure what it gains
// (`node bench/runner.mjs 21 tricks`, docs/runner.md#start-up): SECRETRUN_STARTUP_OFF is a
// comma-separated list of them. Off, each costs time only; behaviour is the same.
export type StartupTrick = 'code-cache' | 'runner-bundle' | 'manifest-cache' | 'early-open';

// Whether `trick` is turned off in this environment.
export function isTrickOff(env: Readonly<Record<string, string | undefined>>, trick: StartupTrick): boolean {
  const off = env['SECRETRUN_STARTUP_OFF'];
  return off !== undefined && off.split(',').includes(trick);
}
