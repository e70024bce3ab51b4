// The binary's start-up, built into dist/start.cjs, which bin/secretrun.cjs requires: routes the
// command line to its bundle and compiles that with V8's code cache. Start-up is the runner's
// hot path; docs/runner.md#start-up has the figures behind each step.
import { join } from 'node:path';
import { cacheDir } from './cache-dir.js';
import { loadBundle } from './code-cache.js';
import { createLazyBundleRegistry, installLazyBundleRegistry } from './lazy-bundles.js';
import { routeCommandLine } from './route.js';
import { isTrickOff } from './switches.js';

// Set by scripts/build.mjs: a hash of each bundle's text, which its code cache must match.
declare const __SECRETRUN_BUNDLE_TAGS__: { readonly run: string; readonly cli: string };

const env = process.env;
const route = routeCommandLine(process.argv.slice(2));
const bundle = route.bundle === 'run' && isTrickOff(env, 'runner-bundle') ? 'cli' : route.bundle;
// One cache per command group and bundle: a cache compiled for other code is rejected by V8.
const group = bundle === route.bundle ? route.cacheGroup : `${route.cacheGroup}-${bundle}`;
const dir = isTrickOff(env, 'code-cache') ? undefined : cacheDir(env);
const cache = dir === undefined ? undefined : { path: join(dir, `code-cache-${group}.bin`), tag: __SECRETRUN_BUNDLE_TAGS__[bundle] };
// The lazy bundles a command loads get their code caches too, per command group.
const lazy = createLazyBundleRegistry({ dir, group });
installLazyBundleRegistry(lazy);
const loaded = loadBundle(join(__dirname, `${bundle}.cjs`), cache);
const entry = loaded.exports as { runFromProcess: () => Promise<void> };
entry.runFromProcess().then(
  () => {
    loaded.saveCache();
    lazy.saveCaches();
  },
  (error: unknown) => {
    process.stderr.write(`secretrun: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 70;
  },
);
