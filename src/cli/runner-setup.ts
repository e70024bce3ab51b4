import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { chooseRunAddress } from '../client/server-address.js';
import { SecretrunError } from '../errors.js';
import { defaultManifest, type Manifest, type SourceSpec } from '../manifest/manifest.js';
import { buildId } from '../build-id.js';
import { linkLocalApi } from '../library/dynamic-source-link.js';
import { readManifest } from '../manifest/read-manifest.js';
import { withFlagVariables } from '../manifest/variable-flag.js';
import { chooseEnvironment, environmentNeededError, fillEnvironment, unknownEnvironmentError, usesEnvironment } from '../manifest/environment.js';
import { createLocalSource } from '../source/local-source.js';
import type { TokenSourceOptions } from '../source/remote-token.js';
import type { SecretSource } from '../source/source.js';
import { discardSource, startLocalSource, takeEarlySource, type EarlySource } from '../startup/early-source.js';
import { createManifestCache, manifestCacheDir } from '../startup/manifest-cache.js';
import { isTrickOff } from '../startup/switches.js';
import { discoverProject, manifestName, resolveProjectStorePath, type Discovery } from '../store/project-discovery.js';
import type { FlagSpec } from './flags.js';
import type { CliIo } from './io.js';
import { withPassphrasePrompt } from './store-passphrase.js';

// Flags shared by `run`, `check` and `env`: where the manifest is, extra variables, the store.
export const manifestFlags = [
  { name: 'manifest', kind: 'string', usage: 'The manifest file. Defaults to the secretrun.yaml of the project: in this directory or the nearest parent holding one (or .secretrun/), up to the repository\'s root.' },
  { name: 'e', kind: 'list', example: 'NAME=path#field', usage: 'Set a variable from a secret reference, e.g. -e OPENAI_API_KEY=secret/api-keys/openai#api_key; may be repeated; overrides the manifest.' },
  { name: 'store', kind: 'string', usage: 'The local encrypted store. Defaults to $SECRETRUN_STORE, then the manifest\'s source.store, then the project\'s .secretrun/store.json.' },
  { name: 'env', kind: 'string', example: 'NAME', usage: 'The environment of the manifest to use (one under its environments:, e.g. prod); {{env}} in references stands for it. Defaults to $SECRETRUN_ENV.' },
] as const satisfies readonly FlagSpec[];

// The manifest file a command reads when -manifest names none: the project's (see
// project-discovery.ts), named relative to the working directory as messages show it; else
// ./secretrun.yaml, which does not exist.
export function defaultManifestFile(cwd: string, discovery: Discovery): string {
  const found = discovery.project?.manifest;
  return found === undefined ? manifestName : relative(cwd, found) || manifestName;
}

// The manifest of a run: the file (default: the project's secretrun.yaml) for the chosen
// environment, with -e flags on top. Without a file, -e flags alone are enough; with neither
// there is nothing to inject, which is an error.
export async function loadRunManifest(io: CliIo, file: string, variables: readonly string[], environment?: string, discovery?: Discovery): Promise<Manifest> {
  const explicit = file !== '';
  const path = explicit ? file : defaultManifestFile(io.cwd, discovery ?? discoverProject(io.cwd, io.env));
  if (!explicit && variables.length > 0 && !existsSync(resolve(io.cwd, path))) {
    if (environment !== undefined) throw unknownEnvironmentError('the command line (no manifest)', environment, []);
    return withFlagVariables(defaultManifest(io.cwd), withEnvironment(variables, undefined));
  }
  // Unbundled (tests) there is no build to key the cache by.
  const cache = buildId === undefined || isTrickOff(io.env, 'manifest-cache') ? undefined : createManifestCache({ dir: manifestCacheDir(io.env), buildId });
  const manifest = await readManifest(path, io.cwd, cache, { environment });
  return variables.length > 0 ? withFlagVariables(manifest, withEnvironment(variables, manifest)) : manifest;
}

// -e flags with `{{env}}` filled in as the manifest's references are.
function withEnvironment(variables: readonly string[], manifest: Manifest | undefined): string[] {
  return variables.map((variable) => {
    if (!usesEnvironment(variable)) return variable;
    if (manifest?.environment === undefined) throw environmentNeededError(manifest?.file ?? 'the command line', `-e ${variable}`, manifest?.environments ?? []);
    return fillEnvironment(variable, manifest.environment);
  });
}

// The remote login a manifest asks for: a token from its variable (else ~/.vault-token), or
// AppRole with role_id and secret_id from theirs.
function remoteAuth(io: CliIo, spec: Extract<SourceSpec, { kind: 'remote' }>): TokenSourceOptions {
  if (spec.auth.method === 'approle') {
    const roleId = io.env[spec.auth.roleIdEnv];
    const secretId = io.env[spec.auth.secretIdEnv];
    if (!roleId || !secretId) {
      throw new SecretrunError('usage', `AppRole login needs ${spec.auth.roleIdEnv} and ${spec.auth.secretIdEnv} set (source.auth in the manifest)`);
    }
    return { kind: 'approle', roleId, secretId, mount: spec.auth.mount };
  }
  const token = io.env[spec.tokenEnv];
  return token ? { kind: 'token', token } : { kind: 'file' };
}

// The manifest of a run and the source it reads from, read side by side. Errors come in the
// same order as when reading one after the other: the manifest's first, then the source's.
export async function openRunSetup(
  io: CliIo,
  flags: { readonly manifest: string; readonly e: readonly string[]; readonly store: string; readonly env?: string },
): Promise<{ manifest: Manifest; source: SecretSource }> {
  // Walked once: the early store and the manifest both default to the project's.
  const discovery = discoverProject(io.cwd, io.env);
  const early = isTrickOff(io.env, 'early-open') ? undefined : startLocalSource(io, flags.store, discovery);
  let manifest: Manifest;
  try {
    manifest = await loadRunManifest(io, flags.manifest, flags.e, chooseEnvironment(flags.env ?? '', io.env), discovery);
  } catch (error) {
    discardSource(early);
    throw error;
  }
  return { manifest, source: await openRunSource(io, manifest, flags.store, early, discovery) };
}

// The source a manifest reads from: the local store, or a Vault-compatible server when the
// manifest names one the user allowed or VAULT_ADDR is set (server-address.ts). `early` is used when it is that store.
export async function openRunSource(io: CliIo, manifest: Manifest, storeFlag: string, early?: EarlySource, discovery?: Discovery): Promise<SecretSource> {
  const server = chooseRunAddress(io.env, manifest.source.kind === 'remote' ? manifest.source.address : undefined, manifest.file ?? 'the manifest');
  if (server !== undefined) {
    discardSource(early);
    const { address, setAside } = server;
    if (setAside !== undefined) io.stderr.write(`secretrun: using VAULT_ADDR (${address}), not source.address (${setAside}) of ${manifest.file ?? 'the manifest'}\n`);
    // Loaded on demand: the HTTP(S) client pulls in node:http, node:https and TLS.
    const { createRemoteSource } = await import('../source/remote-source.js');
    const spec = manifest.source.kind === 'remote' ? manifest.source : undefined;
    return createRemoteSource({
      address,
      env: io.env,
      random: io.random,
      now: io.now,
      ...(spec === undefined ? {} : { auth: remoteAuth(io, spec) }),
      ...(spec?.pollIntervalMs === undefined ? {} : { pollIntervalMs: spec.pollIntervalMs }),
    });
  }
  const manifestStore = manifest.source.kind === 'store' ? manifest.source.store : undefined;
  const explicit = storeFlag || io.env['SECRETRUN_STORE'] || manifestStore;
  const path = resolveProjectStorePath(io.cwd, io.env, explicit || undefined, discovery);
  const chosen = takeEarlySource(early, path);
  const source = await withPassphrasePrompt(io, path, (passphrase) =>
    passphrase === undefined && chosen !== undefined ? chosen.opened : createLocalSource({ path, env: io.env, ...(passphrase === undefined ? {} : { passphrase }) }),
  );
  // Dynamic secrets are read through the API in-process, as the CLI reads them; loaded only
  // when a manifest references a database mount.
  return linkLocalApi(source, io.env);
}
