import { SecretrunError } from '../errors.js';

// Which servers may receive the user's credentials. A token (or an AppRole secret-id) goes to
// the address the user chose — VAULT_ADDR or -address — or to one they listed in
// SECRETRUN_ALLOWED_ADDRESSES; an address written in a repository's secretrun.yaml is only a
// suggestion, since anyone who can open a pull request can change it. Plain http carries the
// token readable by anyone on the path, so it is used only for loopback unless the user sets
// SECRETRUN_ALLOW_HTTP=1.

type Env = Readonly<Record<string, string | undefined>>;

// The address a run reads from and, when the manifest named another, the one set aside.
export interface RunAddress {
  readonly address: string;
  /** The manifest's source.address when VAULT_ADDR was used instead of it. */
  readonly setAside: string | undefined;
}

function parseUrl(address: string): URL | undefined {
  try {
    return new URL(address);
  } catch {
    return undefined;
  }
}

// The scheme, host and port of an address: what decides who receives a request.
function originOf(address: string): string | undefined {
  const url = parseUrl(address);
  return url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') ? undefined : url.origin;
}

// The origins the user allowed in SECRETRUN_ALLOWED_ADDRESSES (comma- or space-separated URLs).
function allowedOrigins(env: Env): Set<string> {
  const allowed = new Set<string>();
  for (const entry of (env['SECRETRUN_ALLOWED_ADDRESSES'] ?? '').split(/[\s,]+/)) {
    if (entry === '') continue;
    const origin = originOf(entry);
    if (origin === undefined) {
      throw new SecretrunError('usage', `SECRETRUN_ALLOWED_ADDRESSES: "${entry}" is not an http(s) URL`, {
        hint: 'List addresses as VAULT_ADDR takes them, e.g. https://vault.example.com:8200, separated by commas.',
      });
    }
    allowed.add(origin);
  }
  return allowed;
}

// The server a run reads from: VAULT_ADDR when set, else the manifest's `source.address` if the
// user allowed it; undefined when neither names one (the local store). `file` names the
// manifest in the error.
export function chooseRunAddress(env: Env, manifestAddress: string | undefined, file: string): RunAddress | undefined {
  const chosen = env['VAULT_ADDR'] ?? '';
  if (chosen !== '') {
    const setAside = manifestAddress !== undefined && originOf(manifestAddress) !== originOf(chosen) ? manifestAddress : undefined;
    return { address: chosen, setAside };
  }
  if (manifestAddress === undefined) return undefined;
  const origin = originOf(manifestAddress);
  if (origin !== undefined && allowedOrigins(env).has(origin)) return { address: manifestAddress, setAside: undefined };
  throw new SecretrunError(
    'address_refused',
    `${file} names the server ${manifestAddress} (source.address), which you have not allowed: secretrun sends your token only to a server you chose`,
    { hint: 'Set VAULT_ADDR to your server, or add this address to SECRETRUN_ALLOWED_ADDRESSES (comma-separated) if you trust it.' },
  );
}

function isLoopback(hostname: string): boolean {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

// Refuses plain http to anything but this machine unless the user opted in.
export function checkTransport(url: URL, allowPlainHttp: boolean): void {
  if (url.protocol !== 'http:' || allowPlainHttp || isLoopback(url.hostname)) return;
  throw new SecretrunError('address_refused', `refusing to send a token over plain http to ${url.host}: anyone on the network path could read it`, {
    hint: 'Use https, or set SECRETRUN_ALLOW_HTTP=1 if the network between you and the server is trusted.',
  });
}

// Whether the user opted in to plain http beyond loopback.
export function plainHttpAllowed(env: Env): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(env['SECRETRUN_ALLOW_HTTP'] ?? '');
}
