import type { Manifest } from '../manifest/manifest.js';
import type { SecretSource } from '../source/source.js';

// How a run wires a source's dynamic secrets (leased database credentials), the one piece both
// entry points use: the CLI's runner (cli/runner-setup.ts, cli/commands/run.ts) and the
// library's runSupervised, resolveManifest and checkManifest. A local source gets its way to
// the Vault API in-process over its store, so references to database mounts are read through
// the same engine and leases as `secretrun read`; nothing is loaded here: the API
// (local-api.ts, a lazy bundle) is imported the first time a manifest reads such a reference.

// Links `source` to the in-process API when it is a local one without a link yet; returns it.
export function linkLocalApi<T extends SecretSource>(source: T, env: Readonly<Record<string, string | undefined>>): T {
  const control = source.dynamic;
  if (control !== undefined && control.localApi === undefined) {
    control.localApi = async (store, report) => (await import('./local-api.js')).createLocalApi(store, { env, report });
  }
  return source;
}

// Applies a manifest's `leases:` (keep them at the end, or revoke them) to `source`; returns
// the manifest, so that a reloaded one is applied on its way to the runner.
export function followLeasesOption(source: SecretSource, manifest: Manifest): Manifest {
  if (source.dynamic) source.dynamic.keep = manifest.leases === 'keep';
  return manifest;
}
