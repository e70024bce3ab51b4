// Library API: re-exports only.
export { SecretrunError, isSecretrunError } from './errors.js';
export type { ErrorCode } from './errors.js';
export { openSecretStore } from './library/open-secret-store.js';
export type { SecretStore, OpenSecretStoreOptions } from './library/open-secret-store.js';
export { createLocalSource } from './source/local-source.js';
export type { SecretSource, SecretRead, SecretRequest, SecretVersion } from './source/source.js';
export { createApiHandler } from './http/handler.js';
export { createMemoryStore } from './store/memory-store.js';
export type { Store, Storage } from './store/storage.js';
export type { JsonObject, JsonValue } from './json.js';
export { readManifest, parseManifest, defaultManifest, withFlagVariables, parseReference } from './manifest/index.js';
export type { Manifest, VariableSpec, Reference } from './manifest/index.js';
export { renderCheckReport, renderEnv } from './runner/index.js';
export type { ResolvedEnv, CheckReport, EnvFormat } from './runner/index.js';
export { resolveManifest, runSupervised, checkManifest } from './library/runner-api.js';
export type { RunOptions, RunIo, ResolveOptions, CheckOptions } from './library/runner-api.js';
