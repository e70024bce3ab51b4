import { build } from 'esbuild';
import { join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from './temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

// Bundles a TypeScript fixture program (path relative to the repo root) into one runnable
// .mjs file in a temp dir, so tests can start it as a real child process with `node`.
export async function bundleFixture(relativePath: string): Promise<string> {
  const outfile = join(makeTempDir('secretrun-fixture-'), `${basename(relativePath, '.ts')}.mjs`);
  await build({
    entryPoints: [join(root, relativePath)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}
