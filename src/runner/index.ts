// The runner's library API (re-exports only); src/index.ts and the CLI import from here.
export { runSupervised, shouldMask } from './supervisor.js';
export type { RunIo, RunOptions } from './supervisor.js';
export { resolveManifest, tryResolveManifest, readDotenvLayer, unresolvedError } from './resolve-manifest.js';
export type { ResolvedEnv, ResolveOptions } from './resolve-manifest.js';
export { resolveSecrets, formatResolveProblem, fieldToString } from './resolve-secrets.js';
export type { SecretLayer, VariableOrigin, ResolveProblem } from './resolve-secrets.js';
export { buildEnvironment, diffEnvironments } from './build-env.js';
export type { EnvLayers } from './build-env.js';
export { checkManifest, renderCheckReport } from './check-report.js';
export type { CheckReport } from './check-report.js';
export { renderEnv, quoteShell, quoteDotenv } from './render-env.js';
export type { EnvFormat } from './render-env.js';
export { createMasker, maskReplacement, minMaskLength } from './masker.js';
export type { Masker } from './masker.js';
export { renderGithubMasks } from './github-mask.js';
export { forwardedSignals, processSignals, signalExitCode } from './signals.js';
export type { SignalSource } from './signals.js';
