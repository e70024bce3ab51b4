// bench/policy: nanoseconds per ACL decision under a policy of 10 rules and one of 1,000 rules,
// beside a root token's decision (which skips every lookup), plus what compiling and parsing
// cost. A decision must not scan the rules: the 1,000-rule figure should stay near the 10-rule one.
// Usage: node bench/policy.mjs [rounds, default 7]   (median of rounds; each round 200,000 decisions)
// The sources are bundled with esbuild on the fly, so no build is needed.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './timing.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const rounds = Number(process.argv[2] ?? 7);
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-policy-'));
const entry = join(work, 'entry.ts');
writeFileSync(entry, ['acl', 'acl-cache', 'policy-parse', 'builtin-policies'].map((file) => `export * from ${JSON.stringify(join(root, 'src/auth', `${file}.ts`))};`).join('\n'));
const bundle = join(work, 'policy.mjs');
await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: bundle, logLevel: 'warning' });
const { compileAcl, createAclCache, parsePolicy, buildDefaultPolicy, buildRootPolicy } = await import(pathToFileURL(bundle).href);
rmSync(work, { recursive: true, force: true });

// Ten rules of the kinds a team writes: the guide's two, KV v2 data/metadata pairs, a + rule, a deny.
const tenRules = `
path "secret/data/myapp/*" { capabilities = ["read"] }
path "secret/data/api-keys/openai" { capabilities = ["read"] }
path "secret/metadata/myapp/*" { capabilities = ["list", "read"] }
path "secret/data/ci/*" { capabilities = ["create", "read", "update"] }
path "secret/metadata/ci/*" { capabilities = ["list"] }
path "secret/data/+/shared" { capabilities = ["read"] }
path "secret/data/myapp/admin/*" { capabilities = ["deny"] }
path "secret/delete/ci/*" { capabilities = ["update"] }
path "sys/capabilities-self" { capabilities = ["update"] }
path "auth/token/lookup-self" { capabilities = ["read"] }
`;

// A thousand: per-app data/metadata globs, exact keys, and + rules, as a large shared policy has.
function thousandRules() {
  const lines = [];
  for (let i = 0; lines.length < 1000; i++) {
    lines.push(`path "secret/data/app-${i}/*" { capabilities = ["read"] }`);
    lines.push(`path "secret/metadata/app-${i}/*" { capabilities = ["list"] }`);
    lines.push(`path "secret/data/team-${i}/config" { capabilities = ["read", "update"] }`);
    if (i % 4 === 0) lines.push(`path "secret/data/+/env-${i}/*" { capabilities = ["read"] }`);
  }
  return lines.slice(0, 1000).join('\n');
}

// What a server sees: reads of keys the policy grants, some it refuses, a list.
const requests = [
  { path: 'secret/data/myapp/database', operation: 'read' },
  { path: 'secret/data/api-keys/openai', operation: 'read' },
  { path: 'secret/data/api-keys/anthropic', operation: 'read' },
  { path: 'secret/data/app-42/db', operation: 'read' },
  { path: 'secret/data/team-7/config', operation: 'read' },
  { path: 'secret/data/x/env-8/y', operation: 'read' },
  { path: 'secret/metadata/myapp/', operation: 'list' },
  { path: 'secret/data/myapp/config', operation: 'update', existing: true },
];

// Nanoseconds per decision over `count` decisions cycling through the requests.
function timeDecisions(acl, count = 200_000) {
  let allowed = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) if (acl.decide(requests[i & 7]).allowed) allowed++;
  const ns = Number(process.hrtime.bigint() - start) / count;
  if (allowed === 0 && !acl.root) throw new Error('the bench policy allowed nothing: check the requests');
  return ns;
}

function timeOnce(work, count) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) work();
  return Number(process.hrtime.bigint() - start) / count;
}

const tenText = tenRules;
const thousandText = thousandRules();
const acls = {
  root: compileAcl([buildRootPolicy()]),
  ten: compileAcl([buildDefaultPolicy(), parsePolicy('ten', tenText)]),
  thousand: compileAcl([buildDefaultPolicy(), parsePolicy('thousand', thousandText)]),
};
const cache = createAclCache();
const cachedTen = () => cache.get(['default', 'ten'], 1, () => acls.ten);

for (const acl of Object.values(acls)) timeDecisions(acl, 100_000); // warm-up
const samples = { root: [], ten: [], thousand: [], cache: [] };
for (let round = 0; round < rounds; round++) {
  for (const name of ['root', 'ten', 'thousand']) samples[name].push(timeDecisions(acls[name]));
  samples.cache.push(timeOnce(cachedTen, 200_000));
}
const rootNs = median(samples.root);
const rows = [
  ['root token decision', rootNs],
  ['10-rule policy decision', median(samples.ten)],
  ['1,000-rule policy decision', median(samples.thousand)],
  ['ACL cache hit (names + revision)', median(samples.cache)],
];
console.log(`ACL decisions (median of ${rounds} rounds of 200,000; ratio = time / root decision)`);
for (const [label, ns] of rows) console.log(`${label.padEnd(34)} ${ns.toFixed(0).padStart(7)} ns   ${(ns / rootNs).toFixed(1)}x`);
console.log(`\nparse 1,000-rule policy    ${(timeOnce(() => parsePolicy('t', thousandText), 20) / 1e6).toFixed(2)} ms`);
console.log(`compile 1,000-rule policy  ${(timeOnce(() => compileAcl([parsePolicy('t', thousandText)]), 20) / 1e6).toFixed(2)} ms (parse included)`);
