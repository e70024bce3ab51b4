import { SecretrunError } from '../errors.js';
import { parseGoDuration } from '../go/duration.js';

// The Go MySQL driver's DSN, which Vault's MySQL plugins take as connection_url:
// `[user[:password]@][net[(addr)]]/dbname[?param=value&...]`, e.g. `root:pw@tcp(localhost:3306)/`
// or `{{username}}:{{password}}@tcp(db:3306)/app?tls=skip-verify`. Parsed as the driver parses
// it (the last `/` ends the address, the last `@` before it ends the credentials, the first `:`
// splits them), so a password may hold `@`, `:` or `/`. Error messages never quote the DSN.

// A parsed DSN.
export interface MysqlDsn {
  user: string;
  password: string | undefined;
  network: 'tcp' | 'unix';
  /** host:port for tcp, the socket path for unix. */
  address: string;
  database: string;
  params: ReadonlyMap<string, string>;
}

const invalid = (what: string): SecretrunError =>
  new SecretrunError('invalid_request', `connection_url: invalid DSN: ${what}`, {
    hint: 'write it as user:password@tcp(host:port)/dbname (or {{username}}:{{password}}@tcp(host:port)/)',
  });

function ensurePort(address: string): string {
  if (/^\[.*\]:\d+$/.test(address) || /^[^:]*:\d+$/.test(address)) return address;
  if (address.startsWith('[') && address.endsWith(']')) return `${address}:3306`;
  return address.includes(':') && !address.startsWith('[') ? `[${address}]:3306` : `${address}:3306`;
}

function parseParams(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq === -1) throw invalid(`invalid DSN parameter ${JSON.stringify(pair)}: expected key=value`);
    try {
      params.set(pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1).replaceAll('+', ' ')));
    } catch {
      throw invalid(`parameter ${JSON.stringify(pair.slice(0, eq))} is not properly percent-encoded`);
    }
  }
  return params;
}

// mysql.ParseDSN.
export function parseMysqlDsn(dsn: string): MysqlDsn {
  const slash = dsn.lastIndexOf('/');
  if (slash === -1) throw invalid('missing the slash separating the database name');
  const left = dsn.slice(0, slash);
  const at = left.lastIndexOf('@');
  const credentials = at === -1 ? '' : left.slice(0, at);
  const colon = credentials.indexOf(':');
  const user = colon === -1 ? credentials : credentials.slice(0, colon);
  const password = colon === -1 ? undefined : credentials.slice(colon + 1);
  const target = left.slice(at + 1);
  const paren = target.indexOf('(');
  let network = target;
  let address = '';
  if (paren !== -1) {
    if (!target.endsWith(')')) throw invalid('network address not terminated (missing closing brace)');
    network = target.slice(0, paren);
    address = target.slice(paren + 1, -1);
  }
  if (network === '') network = 'tcp';
  if (network !== 'tcp' && network !== 'unix') throw invalid(`unsupported network ${JSON.stringify(network)}: use tcp(host:port) or unix(/path/to/socket)`);
  if (address === '') address = network === 'tcp' ? '127.0.0.1:3306' : '/tmp/mysql.sock';
  if (network === 'tcp') address = ensurePort(address);
  const rest = dsn.slice(slash + 1);
  const question = rest.indexOf('?');
  const rawDatabase = question === -1 ? rest : rest.slice(0, question);
  let database: string;
  try {
    database = decodeURIComponent(rawDatabase);
  } catch {
    throw invalid('the database name is not properly percent-encoded');
  }
  const params = parseParams(question === -1 ? '' : rest.slice(question + 1));
  return { user, password, network, address, database, params };
}

// The DSN with its literal password replaced by `xxxxx` (Go's url.Redacted marker); a templated
// DSN keeps its `{{password}}`, which holds nothing secret.
export function redactMysqlDsn(dsn: string): string {
  const slash = dsn.lastIndexOf('/');
  const at = slash === -1 ? -1 : dsn.lastIndexOf('@', slash);
  if (at === -1) return dsn;
  const colon = dsn.indexOf(':');
  if (colon === -1 || colon > at) return dsn;
  const password = dsn.slice(colon + 1, at);
  if (password === '' || password === '{{password}}') return dsn;
  return `${dsn.slice(0, colon + 1)}xxxxx${dsn.slice(at)}`;
}

// What the driver's parameters mean for a connection.
export interface MysqlOptions {
  tls: 'off' | 'verify' | 'skip-verify';
  connectTimeoutMs: number | undefined;
  queryTimeoutMs: number | undefined;
  charset: string | undefined;
  /** Parameters the Go driver sets as session variables (`SET name=value` on each connection). */
  sessionVariables: ReadonlyMap<string, string>;
}

// Parameters of the Go driver that change nothing for the statements a plugin runs.
const inertParams = new Set([
  'allowAllFiles', 'allowCleartextPasswords', 'allowFallbackToPlaintext', 'allowNativePasswords', 'allowOldPasswords',
  'checkConnLiveness', 'clientFoundRows', 'columnsWithAlias', 'connectionAttributes', 'interpolateParams', 'loc',
  'maxAllowedPacket', 'multiStatements', 'parseTime', 'rejectReadOnly', 'serverPubKey', 'timeTruncate',
]);

function durationMs(name: string, text: string): number {
  const parsed = parseGoDuration(text);
  if (!parsed.ok) throw invalid(`parameter ${name}: ${parsed.error}`);
  return Number(parsed.value / 1_000_000n);
}

// Reads the DSN parameters secretrun acts on; refuses what it cannot honour.
export function buildMysqlOptions(params: ReadonlyMap<string, string>): MysqlOptions {
  const options: MysqlOptions = { tls: 'off', connectTimeoutMs: undefined, queryTimeoutMs: undefined, charset: undefined, sessionVariables: new Map() };
  const session = new Map<string, string>();
  for (const [name, value] of params) {
    if (name === 'tls') {
      if (['true', '1', 'T', 'TRUE', 'True'].includes(value)) options.tls = 'verify';
      else if (value === 'skip-verify') options.tls = 'skip-verify';
      else if (['false', '0', 'F', 'FALSE', 'False', ''].includes(value)) options.tls = 'off';
      else throw invalid(`tls=${value} is not supported: use tls=true, tls=skip-verify or tls=false`);
    } else if (name === 'timeout') {
      options.connectTimeoutMs = durationMs(name, value);
    } else if (name === 'readTimeout' || name === 'writeTimeout') {
      options.queryTimeoutMs = Math.max(options.queryTimeoutMs ?? 0, durationMs(name, value));
    } else if (name === 'charset') {
      options.charset = value.split(',')[0];
    } else if (name === 'collation') {
      options.charset = value.toUpperCase();
    } else if (!inertParams.has(name)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw invalid(`parameter name ${JSON.stringify(name)} is not a system variable`);
      session.set(name, value);
    }
  }
  return { ...options, sessionVariables: session };
}
