#!/usr/bin/env node
'use strict';
// First of all: SIGUSR1 would make Node open its inspector on 127.0.0.1:9229, through which
// anyone on the machine could read this process's environment (VAULT_TOKEN, SECRETRUN_KEY).
// A listener takes the signal from Node for every command; the runner passes it on to its
// command once there is one. Only a signal that comes while Node itself boots, before this
// line, still reaches the inspector (docs/security.md).
process.on('SIGUSR1', () => undefined);
// The secretrun binary. Start-up is the runner's hot path: V8 must compile a whole bundle
// before anything runs, and Node 20 keeps no code cache for ES modules. So the bundles are
// CommonJS, compiled here with V8's code cache from $XDG_CACHE_HOME/secretrun (V8 checks that
// the cache matches the source, Node and flags, and recompiles when it does not). The cache
// holds compiled code of the bundle only — no secret ever reaches it. SECRETRUN_NO_CODE_CACHE=1
// turns it off.
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { homedir } = require('node:os');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

// The runner's command lines (`run ...`, and a first argument that is a flag other than help or
// version: `secretrun -- CMD`) load dist/run.cjs, the runner alone; everything else the whole
// CLI. The rule matches runnerArguments() in src/cli/execute.ts, and run.cjs hands anything
// else to cli.cjs, so a mismatch costs time, never behaviour.
const first = process.argv[2] ?? '';
const mainFlags = ['-h', '-help', '--help', '-v', '-version', '--version'];
const runner = first === 'run' || (first.startsWith('-') && !mainFlags.includes(first));
const bundle = join(__dirname, '..', 'dist', runner ? 'run.cjs' : 'cli.cjs');
// The build emits ASCII only (esbuild charset: 'ascii'), so latin1 reads it as V8's cheaper
// one-byte string without UTF-8 decoding.
const source = readFileSync(bundle, 'latin1');
const useCache = process.env.SECRETRUN_NO_CODE_CACHE !== '1';
const cacheDir = join(process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache'), 'secretrun');
// One cache per command group: V8 caches only the functions compiled by the run that wrote
// the cache, so a cache written by `kv put` left the runner compiling its own code on every
// start. The group is a fixed word (never free text from argv) so the files stay few.
const groups = ['check', 'env', 'init', 'kv', 'secrets', 'operator', 'server'];
const group = runner ? 'run' : groups.includes(first) ? first : 'cli';
const cacheFile = join(cacheDir, `code-cache-${group}.bin`);

let cachedData;
if (useCache) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet: compiled normally, and written after the command ran.
  }
}
const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
const module_ = new Module(bundle, module);
module_.filename = bundle;
module_.paths = Module._nodeModulePaths(dirname(bundle));
script.runInThisContext().call(module_.exports, module_.exports, Module.createRequire(bundle), module_, bundle, dirname(bundle));

// Written once the command ran, so the functions it compiled lazily are in the cache too.
function writeCache() {
  if (!useCache || (cachedData !== undefined && !script.cachedDataRejected)) return;
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const temp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    renameSync(temp, cacheFile);
  } catch {
    // A cache that cannot be written only costs the next run a compile.
  }
}

module_.exports.runFromProcess().then(writeCache, (error) => {
  process.stderr.write(`secretrun: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 70;
});
