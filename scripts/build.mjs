// Builds the bundles the package runs from. One bundled entry keeps start-up to a single
// file read; code only some commands need is split into chunks loaded by dynamic import().
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
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Some dependencies still call require() for Node built-ins.
  banner: { js: "import { createRequire as __secretrunRequire } from 'node:module'; const require = __secretrunRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});
