import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundle, type LoadedBundle } from './code-cache.js';

// The lazy bundles (dist/lazy/*.cjs: the commands, routes and libraries a command loads only
// when it needs them) compiled with V8's code cache, as the start bundles are. Every bundle
// carries its own copy of the code that loads a lazy bundle (scripts/build.mjs turns each
// `import()` of one into a call to requireLazyBundle), so the loaded bundles are kept in one
// registry on globalThis, which start.ts installs: a bundle loaded from two others is
// compiled and evaluated once, as require() would have done.

// What start.ts installs: loads lazy bundles by file, and writes their caches after the command.
export interface LazyBundleRegistry {
  load(file: string, name: string): Record<string, unknown>;
  /** The files loaded so far (tests record them). */
  files(): string[];
  /** Writes the caches V8 did not take; never throws. */
  saveCaches(): void;
}

const registryKey = Symbol.for('secretrun.lazy-bundles');

type WithRegistry = typeof globalThis & { [registryKey]?: LazyBundleRegistry };

// A registry whose caches are `code-cache-<group>-lazy-<name>.bin` in `dir` (one per command
// group, as V8 keeps only the functions the writing run compiled), checked against the tags
// the build wrote beside the bundles (dist/lazy/tags.json); without `dir`, no code cache.
export function createLazyBundleRegistry(options: { dir: string | undefined; group: string }): LazyBundleRegistry {
  const loaded = new Map<string, LoadedBundle>();
  let tags: Record<string, string> | undefined;
  const tagOf = (file: string, name: string): string | undefined => {
    try {
      tags ??= JSON.parse(readFileSync(join(file, '..', 'tags.json'), 'utf8')) as Record<string, string>;
    } catch {
      tags = {}; // A build without tags compiles its lazy bundles without a cache.
    }
    return tags[name];
  };
  return {
    load(file, name) {
      let bundle = loaded.get(file);
      if (bundle === undefined) {
        const tag = options.dir === undefined ? undefined : tagOf(file, name);
        const cache = options.dir === undefined || tag === undefined ? undefined : { path: join(options.dir, `code-cache-${options.group}-lazy-${name}.bin`), tag };
        bundle = loadBundle(file, cache);
        loaded.set(file, bundle);
      }
      return bundle.exports;
    },
    files: () => [...loaded.keys()],
    saveCaches() {
      for (const bundle of loaded.values()) bundle.saveCache();
    },
  };
}

// Makes `registry` the one every bundle of this process loads its lazy bundles through.
export function installLazyBundleRegistry(registry: LazyBundleRegistry): void {
  (globalThis as WithRegistry)[registryKey] = registry;
}

// The exports of the lazy bundle `file` (named `name` in dist/lazy/): through the installed
// registry, or with `fallback` (the bundle's require) when none is, as in a bundle that a
// test or the library loaded directly.
export function requireLazyBundle(file: string, name: string, fallback: (file: string) => unknown): Record<string, unknown> {
  const registry = (globalThis as WithRegistry)[registryKey];
  return registry === undefined ? (fallback(file) as Record<string, unknown>) : registry.load(file, name);
}
