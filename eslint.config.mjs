// The architecture as rules (see ARCHITECTURE.md): which layer may import which, where the
// process may be touched, and how failures are raised. `npm test` runs it.
import tseslint from 'typescript-eslint';

// The layers under src/, and what each must not import. A layer below never reaches up.
const folders = ['go', 'store', 'kv', 'sys', 'auth', 'audit', 'database', 'team', 'manifest', 'client', 'source', 'http', 'runner', 'process', 'library', 'startup', 'cli'];
const except = (...allowed) => folders.filter((folder) => !allowed.includes(folder));
const forbidden = {
  go: except(),
  store: except('go'),
  kv: except('go', 'store'),
  sys: except('go', 'store', 'kv'),
  auth: except('go', 'store', 'kv', 'sys'),
  // Audit devices: the device table, hashing and entries (pure) and the files they append to.
  audit: except('go', 'store', 'kv', 'sys', 'auth'),
  // The database secrets engine: its rules over storage, and its plugins (the drivers' edge).
  database: except('go', 'store'),
  // A store shared in git: merging stores, rendering them for diffs, setting git up.
  team: except('go', 'store', 'kv', 'sys'),
  manifest: except('go'),
  client: except('go'),
  // Where values come from: never the server, the runner or the CLI above it.
  source: except('go', 'store', 'kv', 'sys', 'client', 'manifest'),
  http: except('go', 'store', 'kv', 'sys', 'auth', 'audit', 'database'),
  // The runner reaches secrets only through a source.
  runner: except('go', 'manifest', 'source'),
  // The process's own streams, signals and spawn, as the runner's io.
  process: except('runner'),
  // An entry point, as cli/ is: it composes the runner, and a local source's in-process API
  // (library/local-api.ts) out of http/ and audit/.
  library: except('go', 'store', 'kv', 'sys', 'audit', 'source', 'manifest', 'http', 'runner', 'process'),
  // The start-up work: routing, the code cache, the manifest cache, the early store open.
  startup: except('go', 'store', 'source', 'manifest'),
};

const layerRule = (layer, banned) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^(\\.\\./)+(${banned.join('|')})/`,
            message: `src/${layer}/ must not import from a layer above it (see ARCHITECTURE.md).`,
          },
        ],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/manifest/generated/**', 'examples/**', 'bench/**', 'scripts/**', 'bin/**'] },
  {
    files: ['src/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Error']",
          message: 'A failure a user can meet is a SecretrunError with a code (src/errors.ts), never a bare Error.',
        },
      ],
    },
  },
  // The leaves (errors.ts, json.ts) import no layer at all.
  {
    files: ['src/errors.ts', 'src/json.ts', 'src/build-id.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: `^\\./(${folders.join('|')})/`, message: 'A leaf module imports no layer.' }] }],
    },
  },
  ...Object.entries(forbidden).map(([layer, banned]) => layerRule(layer, banned)),
  // fs/ (bounded reads, atomic and private writes, fs error texts) is a leaf every layer may use.
  layerRule('fs', folders),
  // Commands and the runner reach the world only through the Io handed down from the entry
  // point, so tests run them in-process with injected streams, signals, env and clock.
  {
    files: ['src/cli/commands/**/*.ts', 'src/runner/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'process', message: 'Use the Io passed down from the entry point (src/cli/io.ts).' }],
    },
  },
);
