// Builds the bundles the package runs from: one file per entry point. Start-up is the hot path
// and resolving and compiling many chunk files costs more than pre-parsing one: measured on
// `kv get -field`, 20 split chunks took ~25 ms more CPU than a single file. Code only some
// commands need stays behind dynamic import(), which esbuild keeps lazy inside the file (it is
// parsed, not run, until imported).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

const steps = (await import('./build-steps.mjs')).steps;
for (const step of steps) await step();

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Some dependencies still call require() for Node built-ins.
  banner: { js: "import { createRequire as __secretrunRequire } from 'node:module'; const require = __secretrunRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
