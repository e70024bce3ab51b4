// bench/database: the database plugins' share of a dynamic credentials read. For PostgreSQL and
// MariaDB (real servers started here, as the tests start them), the time of the database's own
// CREATE USER + GRANT round trip through its driver on an open connection, beside the plugin's
// createUser (username template, pooled connection, the same two statements in one transaction
// sent in one round trip), and the same for dropping the user. Issue 12's target is a `read
// database/creds/<role>` through the server within 2x of the database's own round trip; this is
// the plugin's part. The databases and the direct round trips are bench/database-setup.mjs's.
// Usage: node bench/database.mjs [iterations, default 200]
// The database and this process share the machine's two cores: compare the ratios of one run,
// not absolute figures. Each iteration times both sides back to back (order alternating) after a
// warm-up, so drift on this VM affects them alike; figures are medians and 95th percentiles.
import { benchDatabases, benchPassword, loadBenchModules, renderRow, time } from './database-setup.mjs';
import { median } from './timing.mjs';

const iterations = Number(process.argv[2] ?? 200);
const warmup = 20;

// Times `direct` and `plugin` back to back per iteration; returns both sample lists.
async function alternate(direct, plugin) {
  const samples = { direct: [], plugin: [] };
  for (let i = 0; i < warmup + iterations; i += 1) {
    const order = i % 2 === 0 ? ['direct', 'plugin'] : ['plugin', 'direct'];
    for (const side of order) {
      const ms = await time(side === 'direct' ? () => direct(i) : () => plugin(i));
      if (i >= warmup) samples[side].push(ms);
    }
  }
  return samples;
}

function report(title, samples) {
  const paired = median(samples.plugin.map((ms, i) => ms / samples.direct[i]));
  console.log(title);
  console.log(renderRow('database, through its driver', samples.direct, 34));
  console.log(renderRow('secretrun plugin', samples.plugin, 34));
  console.log(`  ratio (median of paired ratios)    ${paired.toFixed(2)}x`);
}

// The plugins are TypeScript too: bundled with the helpers.
const modules = await loadBenchModules({
  parseConnectionConfig: 'src/database/connection-config.ts',
  'openDatabasePlugin, createPluginEffects': 'src/database/plugin-loader.ts',
});
const { parseConnectionConfig, openDatabasePlugin, createPluginEffects } = modules;
const metadata = { displayName: 'token', roleName: 'bench' };
console.log(`bench/database: ${iterations} iterations after ${warmup} warm-up, Node ${process.version}`);

for (const database of benchDatabases) {
  const db = await database.start(modules);
  try {
    const admin = db.server.admin;
    const plugin = await openDatabasePlugin(
      parseConnectionConfig(database.plugin, { connection_url: db.url, username: admin.username, password: admin.password }),
      createPluginEffects(),
    );
    const creation = [database.creation];
    const direct = [];
    const made = [];
    const created = await alternate(
      async (i) => {
        direct.push(`direct-${i}`);
        await db.createDirect(`direct-${i}`);
      },
      // What the engine does for a credentials read: a generated name, then the creation.
      async () => {
        const username = plugin.generateUsername(metadata);
        await plugin.createUser({ username, statements: creation, rollbackStatements: [], password: benchPassword(), expiration: Date.now() + 3_600_000 });
        made.push(username);
      },
    );
    report(`${database.title}: CREATE USER + GRANT`, created);
    const dropped = await alternate(
      (i) => db.dropDirect(direct[i]),
      (i) => plugin.revokeUser({ username: made[i], statements: [] }),
    );
    report(`${database.title}: revoke + DROP (the plugin runs Vault's default revocation)`, dropped);
    await plugin.close();
  } finally {
    await db.stop();
  }
}
