// Builds the bundles the package runs from. Start-up is the CLI's hot path, and V8 compiles or
// deserializes a whole file before running it, so each start bundle holds what its commands
// need and nothing more: dist/run.cjs the runner, dist/cli.cjs the commands of a secret read or
// write. Everything else (the other commands, access control's routes, the YAML library, the
// server, the HTTP client, the database engine) is a lazy bundle in dist/lazy/, loaded on
// demand and, like the start bundles, compiled with V8's code cache. Measured on `kv get
// -field`: 20 small split chunks cost ~25 ms more than one file, one 516 KB file cost ~20 ms of
// compilation, and with the code cache a 728 KB CLI still cost ~6 ms more CPU than a 352 KB
// one (docs/runner.md#start-up).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

const steps = (await import('./build-steps.mjs')).steps;
for (const step of steps) await step();

// A hash of everything bundled from this repository: caches keyed by it (the manifest cache)
// never serve an entry written by different code.
function hashTree(hash, dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) hashTree(hash, path);
    else hash.update(path).update(readFileSync(path));
  }
  return hash;
}
const packageJson = JSON.parse(readFileSync('package.json', 'utf8'));
const buildId = hashTree(hashTree(createHash('sha256'), 'src'), 'schema').update(readFileSync('package.json')).digest('hex').slice(0, 16);

rmSync('dist', { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  // bin/secretrun.cjs reads the CLI bundle as latin1, which is exact only for ASCII.
  charset: 'ascii',
  define: { __SECRETRUN_BUILD_ID__: JSON.stringify(buildId), __SECRETRUN_VERSION__: JSON.stringify(packageJson.version) },
  logLevel: 'warning',
};

// Source modules loaded with import() that become bundles of their own (dist/lazy/<name>.cjs).
const lazy = {
  'parse-manifest': 'src/manifest/parse-manifest.ts',
  'go-yaml': 'src/cli/format/go-yaml.ts',
  'secret-yaml': 'src/cli/format/secret-yaml.ts',
  server: 'src/cli/commands/server.ts',
  'remote-client': 'src/cli/remote-client.ts',
  'remote-source': 'src/source/remote-source.ts',
  // Keys and git (issue 14): no secret read or run needs them.
  'key-new': 'src/cli/commands/key-new.ts',
  'key-show': 'src/cli/commands/key-show.ts',
  'git-setup': 'src/cli/commands/git-setup.ts',
  'git-textconv': 'src/cli/commands/git-textconv.ts',
  'merge-driver': 'src/cli/commands/merge-driver.ts',
  recipients: 'src/cli/commands/recipients.ts',
  // The commands a secret read, a write or a run does not need (src/cli/commands/registry.ts):
  // each compiled, from its own code cache, only when it is the command.
  audit: 'src/cli/commands/audit.ts',
  auth: 'src/cli/commands/auth.ts',
  generic: 'src/cli/commands/generic.ts',
  'kv-metadata': 'src/cli/commands/kv-metadata.ts',
  'kv-patch': 'src/cli/commands/kv-patch.ts',
  'kv-rollback': 'src/cli/commands/kv-rollback.ts',
  lease: 'src/cli/commands/lease.ts',
  login: 'src/cli/commands/login.ts',
  operator: 'src/cli/commands/operator.ts',
  policy: 'src/cli/commands/policy.ts',
  secrets: 'src/cli/commands/secrets.ts',
  'token-capabilities': 'src/cli/commands/token-capabilities.ts',
  'token-create': 'src/cli/commands/token-create.ts',
  'token-lookup': 'src/cli/commands/token-lookup.ts',
  'token-renew': 'src/cli/commands/token-renew.ts',
  'token-revoke': 'src/cli/commands/token-revoke.ts',
  'import-command': 'src/cli/commands/import.ts',
  'export-command': 'src/cli/commands/export.ts',
  completion: 'src/cli/commands/completion.ts',
  // `run` in the whole CLI (SECRETRUN_STARTUP_OFF=runner-bundle); the runner is dist/run.cjs.
  'run-command': 'src/cli/commands/run.ts',
  // status (and doctor): a report no secret read or run needs.
  status: 'src/cli/commands/status.ts',
  // Loaded by the runner once its command started, and only when needed: the manifest's
  // watcher (chokidar) unless --once, the hooks' runner (execa) when the manifest has hooks.
  'file-watch': 'src/runner/file-watch.ts',
  'hook-runner': 'src/runner/hook-runner.ts',
  // The database plugins, loaded by src/database/plugin-loader.ts when a connection is used.
  'mysql-plugin': 'src/database/mysql-plugin.ts',
  'postgresql-plugin': 'src/database/postgresql-plugin.ts',
  // Opening a store by a recipient's private key (src/store/recipients/recipient-key.ts); the
  // dotenv parser, for manifests with dotenv files and `import` (src/runner/dotenv-parse.ts).
  'recipient-open': 'src/store/recipients/recipient-open.ts',
  'dotenv-parse': 'src/runner/dotenv-parse.ts',
  // Access control's routes (auth/, policies, capabilities, audit devices), loaded by the API
  // handler before the first request that needs them (src/http/access-route-loader.ts).
  'access-routes': 'src/http/routes/access-routes.ts',
  // The database engine and lease manager, loaded by src/http/dynamic-loader.ts when a request
  // reaches a database mount or sys/leases, or something expired.
  'database-engine': 'src/http/database-engine.ts',
  // The runner's dynamic secrets (leases kept fresh), and the in-process API it reads them
  // through from the local store: loaded only when a manifest references a database mount.
  'lease-keeper': 'src/source/lease-keeper.ts',
  'local-api': 'src/library/local-api.ts',
};
const lazyFiles = new Map(Object.entries(lazy).map(([name, file]) => [join(root, file), name]));

// Turns `import('./parse-manifest.js')` into a load of the lazy bundle through
// src/startup/lazy-bundles.ts (with V8's code cache, once per process), from the CLI entry in
// dist/ and from the lazy bundles themselves (one level down). In the lazy bundles' build
// every importer, whether a lazy entry or a module bundled into one (read-manifest.ts in the
// status bundle), ends up in dist/lazy/, beside the bundle it loads.
const lazyLoader = JSON.stringify(join(root, 'src/startup/lazy-bundles.ts'));
const lazyPluginFor = (inLazyDir) => ({
  name: 'secretrun-lazy',
  setup(plugin) {
    plugin.onResolve({ filter: /\.js$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const file = join(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      const name = lazyFiles.get(file);
      if (name === undefined) return undefined;
      return { path: name, namespace: 'secretrun-lazy' };
    });
    plugin.onLoad({ filter: /.*/, namespace: 'secretrun-lazy' }, (args) => ({
      contents: `const { requireLazyBundle } = require(${lazyLoader});\nmodule.exports = requireLazyBundle(require('node:path').join(__dirname, ${JSON.stringify(inLazyDir ? `${args.path}.cjs` : `lazy/${args.path}.cjs`)}), ${JSON.stringify(args.path)}, require);\n`,
      loader: 'js',
      resolveDir: root,
    }));
  },
});

// pg's optional native binding is not installed and pg.native is never touched: the bundle gets
// a module that fails as a missing one would (pg itself treats MODULE_NOT_FOUND as "no native").
const absentNativePlugin = {
  name: 'secretrun-absent-pg-native',
  setup(plugin) {
    plugin.onResolve({ filter: /^pg-native$/ }, () => ({ path: 'pg-native', namespace: 'absent' }));
    plugin.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({
      contents: "const error = new Error(\"Cannot find module 'pg-native'\"); error.code = 'MODULE_NOT_FOUND'; throw error;",
      loader: 'js',
    }));
  },
};

// The CLI is CommonJS so bin/secretrun.cjs can compile it with V8's code cache (Node 20 has no
// code cache for ES modules); import() becomes a lazy require() of the lazy bundles.
const cli = {
  ...common,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  supported: { 'dynamic-import': false },
  plugins: [lazyPluginFor(false), absentNativePlugin],
  // dist/run.cjs hands command lines that are not the runner's to the whole CLI.
  external: ['./cli.cjs'],
};
// dist/run.cjs is the runner alone (dist/start.cjs picks it for `run` and `-- CMD`): the
// product's hot path then compiles and evaluates less than half of the CLI.
await build({ ...cli, entryPoints: { cli: 'src/cli/main.ts', run: 'src/cli/run-main.ts' }, outdir: 'dist' });
// dist/start.cjs is what bin/secretrun.cjs requires: the routing rule and the code-cache loader
// (src/startup/), which compile one of the two bundles above.
// Each bundle's code cache is tagged with a hash of its text (see src/startup/code-cache.ts).
const bundleTag = (file) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
await build({
  ...common,
  format: 'cjs',
  entryPoints: { start: 'src/startup/start.ts' },
  outExtension: { '.js': '.cjs' },
  outdir: 'dist',
  define: { ...common.define, __SECRETRUN_BUNDLE_TAGS__: JSON.stringify({ run: bundleTag('dist/run.cjs'), cli: bundleTag('dist/cli.cjs') }) },
});
await build({ ...cli, plugins: [lazyPluginFor(true), absentNativePlugin], entryPoints: lazy, outdir: 'dist/lazy' });
// The tags their code caches are checked against (src/startup/lazy-bundles.ts).
writeFileSync('dist/lazy/tags.json', `${JSON.stringify(Object.fromEntries(Object.keys(lazy).map((name) => [name, bundleTag(`dist/lazy/${name}.cjs`)])))}\n`);

// A bundle loads every built-in it imports when it starts, whether the command uses it or not.
// These cost the runner's start-up 1-4 ms each and are reached through a lazy property or
// process.getBuiltinModule() instead: `import { promises as fs } from 'node:fs'` and
// `fs.readFile(...)`, not `import { readFile } from 'node:fs/promises'`.
const startupBanned = ['node:fs/promises', 'node:stream/promises', 'node:child_process'];
// The database drivers (hundreds of KB) belong in the plugins' lazy bundles only; each is
// recognised by a string of its code.
// chokidar and execa, which the runner loads only after its command started, likewise.
const driverMarks = {
  pg: 'The server does not support SSL connections',
  mysql2: 'Server does not support secure connection',
  chokidar: 'awaitWriteFinish',
  execa: 'forceKillAfterDelay',
};
for (const bundle of ['dist/start.cjs', 'dist/cli.cjs', 'dist/run.cjs']) {
  const source = readFileSync(bundle, 'latin1');
  const loaded = startupBanned.filter((name) => source.includes(`require("${name}")`));
  loaded.push(...Object.entries(driverMarks).filter(([, mark]) => source.includes(mark)).map(([name]) => name));
  if (loaded.length > 0) throw new Error(`${bundle} loads ${loaded.join(', ')} at start-up; import them lazily (see scripts/build.mjs)`);
}

// The library for Node programs: an ES module, and what it loads with import() (the YAML parser,
// the runner's manifest watcher and hook runner) in chunks of their own under dist/lib/, so a
// program that imports secretrun does not parse chokidar and execa.
await build({
  ...common,
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'lib/[name]-[hash]',
  // The database engine's chunk (reached through the API handler) loads the plugins' drivers.
  plugins: [absentNativePlugin],
  // Some dependencies still call require() for Node built-ins.
  banner: { js: "import { createRequire as __secretrunRequire } from 'node:module'; const require = __secretrunRequire(import.meta.url);" },
});

// Type declarations of the library (exports.types), for TypeScript consumers: tsc emits the
// graph of src/index.ts; the generated validator's hand-written declaration is copied beside it.
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (tsc.status !== 0) throw new Error('declarations: tsc -p tsconfig.build.json failed');
mkdirSync('dist/types/manifest/generated', { recursive: true });
copyFileSync('src/manifest/generated/validate-manifest.d.ts', 'dist/types/manifest/generated/validate-manifest.d.ts');
