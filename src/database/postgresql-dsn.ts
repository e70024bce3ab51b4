import { SecretrunError } from '../errors.js';

// PostgreSQL connection strings as Vault's plugin (pgx) takes them: the URI form
// `postgresql://user:password@host:port/dbname?sslmode=disable` (or `postgres://`) and libpq's
// keyword/value form `host=db port=5432 user=app password='s p' dbname=app`. Error messages
// never quote the connection string.

// A parsed connection string.
export interface PostgresDsn {
  user: string | undefined;
  password: string | undefined;
  host: string | undefined;
  port: string | undefined;
  database: string | undefined;
  /** Everything else (sslmode, connect_timeout, application_name, runtime parameters). */
  params: ReadonlyMap<string, string>;
}

const invalid = (what: string): SecretrunError =>
  new SecretrunError('invalid_request', `connection_url: ${what}`, {
    hint: 'write it as postgresql://{{username}}:{{password}}@host:5432/dbname?sslmode=disable or as host=... port=... dbname=...',
  });

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(`the ${what} is not properly percent-encoded`);
  }
}

const isUrl = (dsn: string): boolean => /^postgres(?:ql)?:\/\//.test(dsn);

function parseUrl(dsn: string): PostgresDsn {
  const body = dsn.slice(dsn.indexOf('://') + 3);
  const authorityEnd = body.search(/[/?#]/);
  const authority = authorityEnd === -1 ? body : body.slice(0, authorityEnd);
  const rest = authorityEnd === -1 ? '' : body.slice(authorityEnd);
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? undefined : authority.slice(0, at);
  const hostPart = authority.slice(at + 1);
  if (hostPart.includes(',')) throw invalid('several hosts are not supported: name one host');
  const hostMatch = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPart);
  const host = hostMatch?.[1] ?? '';
  const port = hostMatch?.[2];
  if (port !== undefined && !/^\d+$/.test(port)) throw invalid('the port is not a number');
  const colon = userinfo?.indexOf(':') ?? -1;
  const user = userinfo === undefined ? undefined : decode(colon === -1 ? userinfo : userinfo.slice(0, colon), 'user name');
  const password = userinfo === undefined || colon === -1 ? undefined : decode(userinfo.slice(colon + 1), 'password');
  const question = rest.indexOf('?');
  const path = (question === -1 ? rest : rest.slice(0, question)).replace(/#.*$/, '');
  const params = new Map<string, string>();
  for (const pair of (question === -1 ? '' : rest.slice(question + 1).replace(/#.*$/, '')).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq), 'query');
    params.set(key, decode((eq === -1 ? '' : pair.slice(eq + 1)).replaceAll('+', ' '), 'query'));
  }
  return {
    user: user === '' ? undefined : user,
    password,
    host: host === '' ? undefined : decode(host.replace(/^\[(.*)\]$/, '$1'), 'host'),
    port,
    database: path.length > 1 ? decode(path.slice(1), 'database name') : undefined,
    params,
  };
}

// libpq's keyword/value form: values bare or single-quoted, `\` escaping the next character.
function parseKeywordValue(dsn: string): PostgresDsn {
  const values = new Map<string, string>();
  let i = 0;
  const skip = (): void => {
    while (/\s/.test(dsn[i] ?? '')) i += 1;
  };
  for (skip(); i < dsn.length; skip()) {
    const key = /^[A-Za-z_][A-Za-z0-9_]*/.exec(dsn.slice(i))?.[0];
    if (key === undefined) throw invalid('expected keyword=value pairs');
    i += key.length;
    skip();
    if (dsn[i] !== '=') throw invalid(`missing "=" after ${JSON.stringify(key)}`);
    i += 1;
    skip();
    let value = '';
    if (dsn[i] === "'") {
      i += 1;
      while (i < dsn.length && dsn[i] !== "'") {
        if (dsn[i] === '\\') i += 1;
        value += dsn[i] ?? '';
        i += 1;
      }
      if (dsn[i] !== "'") throw invalid(`unterminated quoted value for ${JSON.stringify(key)}`);
      i += 1;
    } else {
      while (i < dsn.length && !/\s/.test(dsn[i] ?? '')) {
        if (dsn[i] === '\\') i += 1;
        value += dsn[i] ?? '';
        i += 1;
      }
    }
    values.set(key, value);
  }
  const take = (key: string): string | undefined => {
    const value = values.get(key);
    values.delete(key);
    return value;
  };
  const host = take('host');
  if (host?.includes(',')) throw invalid('several hosts are not supported: name one host');
  const port = take('port');
  if (port !== undefined && !/^\d+$/.test(port)) throw invalid('the port is not a number');
  return { user: take('user'), password: take('password'), host, port, database: take('dbname'), params: values };
}

// Either form of connection string.
export function parsePostgresDsn(dsn: string): PostgresDsn {
  if (isUrl(dsn)) return parseUrl(dsn);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(dsn)) throw invalid('the scheme must be postgresql:// or postgres://');
  return parseKeywordValue(dsn);
}

// The connection string with a literal password replaced by `xxxxx`; a templated one keeps its
// `{{password}}`, which holds nothing secret.
export function redactPostgresDsn(dsn: string): string {
  if (isUrl(dsn)) {
    const start = dsn.indexOf('://') + 3;
    const authorityEnd = dsn.slice(start).search(/[/?#]/);
    const authority = authorityEnd === -1 ? dsn.slice(start) : dsn.slice(start, start + authorityEnd);
    const at = authority.lastIndexOf('@');
    const colon = authority.indexOf(':');
    if (at === -1 || colon === -1 || colon > at) return dsn;
    const password = authority.slice(colon + 1, at);
    if (password === '' || password === '{{password}}') return dsn;
    return dsn.slice(0, start + colon + 1) + 'xxxxx' + dsn.slice(start + at);
  }
  return dsn.replace(/(^|\s)(password\s*=\s*)('(?:[^'\\]|\\.)*'|(?:[^\s\\]|\\.)*)/g, (whole, lead: string, key: string, value: string) =>
    value === '' || value === '{{password}}' || value === "'{{password}}'" ? whole : `${lead}${key}xxxxx`,
  );
}
