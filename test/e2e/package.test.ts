// The packed tarball as another project gets it: installed into an empty directory, its CLI
// run, its library imported from ESM and CommonJS, and its declarations type-checked.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
const key = Buffer.alloc(32, 9).toString('base64');

interface Packed {
  tarball: string;
  files: string[];
  consumer: string;
}

let packed: Packed;

// Packs the current build (npm test built dist/ already; --ignore-scripts keeps npm pack from
// rebuilding it under the other tests' feet) and installs it into an empty project.
// One install for the whole file (it takes seconds), removed after the last test.
const dir = mkdtempSync(join(tmpdir(), 'secretrun-package-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const { stdout } = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root });
  const [info] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  const consumer = join(dir, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await execa('npm', ['install', '--no-audit', '--no-fund', '--offline', join(dir, info.filename)], { cwd: consumer });
  packed = { tarball: join(dir, info.filename), files: info.files.map((file) => file.path), consumer };
}, 120_000);

describe('the packed package', () => {
  it('holds the bundles, declarations, schema, docs, README and LICENSE, and no sources', () => {
    for (const file of ['LICENSE', 'README.md', 'bin/secretrun.cjs', 'dist/cli.cjs', 'dist/run.cjs', 'dist/index.mjs', 'dist/types/index.d.ts', 'schema/secretrun.schema.json', 'docs/runner.md']) {
      expect(packed.files, file).toContain(file);
    }
    expect(packed.files.filter((file) => file.startsWith('src/') || file.startsWith('test/'))).toEqual([]);
  });

  it('needs no runtime dependency: every module the bundles load is built in or bundled', () => {
    expect(packageJson.dependencies ?? {}).toEqual({});
    for (const bundle of packed.files.filter((file) => /^dist\/.*\.(cjs|mjs)$/.test(file))) {
      const text = readFileSync(join(root, bundle), 'latin1');
      const external = [...text.matchAll(/require\("([^"]+)"\)|from "([^"]+)"/g)]
        .map((match) => match[1] ?? match[2] ?? '')
        .filter((name) => !name.startsWith('.') && !name.startsWith('node:'))
        .filter((name) => !process.getBuiltinModule(name));
      expect(external, bundle).toEqual([]);
    }
  });

  it('runs its CLI from the consumer', async () => {
    const bin = join(packed.consumer, 'node_modules', '.bin', 'secretrun');
    expect((await execa(bin, ['--version'])).stdout).toBe(`secretrun v${packageJson.version}`);
    const env = { ...process.env, SECRETRUN_KEY: key, HOME: packed.consumer, XDG_CONFIG_HOME: join(packed.consumer, 'config') };
    await execa(bin, ['kv', 'put', 'secret/app', 'token=from-the-tarball'], { cwd: packed.consumer, env });
    expect((await execa(bin, ['kv', 'get', '-field=token', 'secret/app'], { cwd: packed.consumer, env })).stdout).toBe('from-the-tarball');
  });

  it('is imported from ESM and required from CommonJS', async () => {
    const script = (load: string) =>
      `${load}\nconst store = await openSecretStore({ cwd: process.cwd(), env: { SECRETRUN_KEY: '${key}' } });\nawait store.write('secret/lib', { n: '1' });\nconst read = await store.read('secret/lib');\nawait store.close();\nconsole.log(read.status, read.secret.data.n);`;
    const esm = await execa('node', ['--input-type=module', '-e', script("import { openSecretStore } from 'secretrun';")], { cwd: packed.consumer });
    expect(esm.stdout).toBe('found 1');
    const cjs = await execa('node', ['--input-type=commonjs', '-e', `(async () => {\n${script("const { openSecretStore } = require('secretrun');")}\n})();`], { cwd: packed.consumer });
    expect(cjs.stdout).toBe('found 1');
  });

  it('type-checks a TypeScript consumer against its declarations', async () => {
    writeFileSync(
      join(packed.consumer, 'index.ts'),
      [
        "import { openSecretStore, SecretrunError, type SecretRead } from 'secretrun';",
        'const store = await openSecretStore();',
        "const read: SecretRead = await store.read('secret/app');",
        "if (read.status === 'found') console.log(Object.keys(read.secret.data));",
        'export const code: string = new SecretrunError("usage", "x").code;',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(packed.consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] },
        files: ['index.ts'],
      }),
    );
    const tsc = await execa('node', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: packed.consumer, reject: false });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.exitCode).toBe(0);
    // And a mistake is caught, so the check above is not vacuous.
    writeFileSync(join(packed.consumer, 'index.ts'), "import { openSecretStore } from 'secretrun';\nexport const n: number = openSecretStore;\n");
    expect((await execa('node', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: packed.consumer, reject: false })).exitCode).not.toBe(0);
    // tsc loads the whole of TypeScript twice: seconds when the machine is idle, far more on a
    // loaded CI machine.
  }, 180_000);
});
