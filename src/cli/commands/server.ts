import { promises as fs } from 'node:fs';
import { tokenHelperPath } from '../../client/token-helper.js';
import { SecretrunError, isSecretrunError } from '../../errors.js';
import { describeFsError, renderFsFailure } from '../../fs/fs-error.js';
import { readServerConfig, type ServerConfig } from '../../http/server-config.js';
import type { VaultServerAddress } from '../../http/server.js';
import { startServer, type ServerSettings } from '../../http/start-server.js';
import { writePrivateFile } from '../../fs/private-file.js';
import { resolveProjectStorePath } from '../../store/project-discovery.js';
import { resolveStorePath } from '../../store/store-paths.js';
import { type Command } from '../command.js';
import { parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import type { CliIo } from '../io.js';
import { renderStoreCreated } from '../local-client.js';

const flags = [
  { name: 'dev', kind: 'bool', usage: 'Development mode: an in-memory store, a root token printed at start, plain HTTP on 127.0.0.1:8200.' },
  { name: 'dev-root-token-id', kind: 'string', usage: 'The root token of a dev server instead of a random one ($VAULT_DEV_ROOT_TOKEN_ID).' },
  { name: 'dev-listen-address', kind: 'string', usage: 'Address of a dev server, host:port ($VAULT_DEV_LISTEN_ADDRESS). Default 127.0.0.1:8200.' },
  { name: 'config', kind: 'string', usage: 'Server config file (YAML or JSON with Vault\'s storage/listener names).' },
  { name: 'store', kind: 'string', usage: 'The encrypted store file to serve. Defaults to the config\'s storage, else $SECRETRUN_STORE, else the project\'s .secretrun/store.json (this directory or the nearest parent holding secretrun.yaml or .secretrun/).' },
  { name: 'listen-address', kind: 'string', usage: 'Address to listen on, host:port (port 0 picks a free one). Overrides the config. Default 127.0.0.1:8200.' },
  { name: 'tls-cert-file', kind: 'string', usage: 'PEM certificate (chain) to serve HTTPS with; needs -tls-key-file.' },
  { name: 'tls-key-file', kind: 'string', usage: 'PEM private key of -tls-cert-file.' },
  {
    name: 'root-token-file',
    kind: 'string',
    usage: 'When the store has no root token yet, write the one created to this file (mode 0600) instead of printing it.',
  },
] as const satisfies readonly FlagSpec[];

// `host:port` → parts; `[::1]:8200` for IPv6.
export function parseListenAddress(text: string, flag: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65535) {
    throw new SecretrunError('usage', `invalid value "${text}" for flag -${flag}: expected host:port with a port from 0 to 65535`);
  }
  return { host: match[1] ?? match[2] ?? '127.0.0.1', port };
}

async function readPem(file: string, flag: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    throw new SecretrunError('input', `cannot read ${flag} ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
}

function align(rows: ReadonlyArray<[string, string]>): string[] {
  const width = Math.max(...rows.map(([name]) => name.length)) + 13;
  return rows.map(([name, value]) => `${name.padStart(width)}: ${value}`);
}

// The dev banner, in the shape of `vault server -dev`'s.
export function renderDevBanner(url: string, rootToken: string, tokenFile: string | undefined): string {
  return [
    'WARNING! dev mode is enabled! In this mode, secretrun runs entirely in-memory and',
    'everything written is lost when it stops.',
    tokenFile === undefined ? '' : `The root token is already saved for the CLI in ${tokenFile}.`,
    '',
    'You may need to set the following environment variables:',
    '',
    `    $ export VAULT_ADDR='${url}'`,
    '',
    'The root token is displayed below in case you want to re-authenticate.',
    '',
    `Root Token: ${rootToken}`,
    '',
    'Development mode should NOT be used in production installations!',
    '',
  ].join('\n');
}

async function settingsFrom(values: Record<string, string | boolean>, io: CliIo): Promise<ServerSettings> {
  const text = (name: string): string => (typeof values[name] === 'string' ? (values[name] as string) : '');
  const dev = values['dev'] === true;
  const config: ServerConfig | undefined = text('config') === '' ? undefined : await readServerConfig(text('config'));
  let listen: { host: string; port: number } = config?.listener ?? { host: '127.0.0.1', port: 8200 };
  if (dev) {
    const devAddress = text('dev-listen-address') || io.env['VAULT_DEV_LISTEN_ADDRESS'] || '';
    if (devAddress !== '') listen = parseListenAddress(devAddress, 'dev-listen-address');
  }
  if (text('listen-address') !== '') listen = parseListenAddress(text('listen-address'), 'listen-address');
  const certFile = text('tls-cert-file') || config?.listener.tls?.certFile || '';
  const keyFile = text('tls-key-file') || config?.listener.tls?.keyFile || '';
  if ((certFile === '') !== (keyFile === '')) {
    throw new SecretrunError('usage', 'TLS needs both a certificate and a key: give -tls-cert-file and -tls-key-file together');
  }
  const tls = certFile === '' ? undefined : { cert: await readPem(certFile, '-tls-cert-file'), key: await readPem(keyFile, '-tls-key-file') };
  let storePath: string | undefined;
  if (!dev) {
    if (text('store') !== '') storePath = resolveStorePath(io.cwd, io.env, text('store'));
    else if (config?.storage?.kind === 'memory') storePath = undefined;
    else if (config?.storage?.kind === 'file') storePath = resolveStorePath(io.cwd, {}, config.storage.path);
    else storePath = resolveProjectStorePath(io.cwd, io.env);
  }
  const devRootToken = text('dev-root-token-id') || io.env['VAULT_DEV_ROOT_TOKEN_ID'] || undefined;
  return {
    dev,
    devRootToken,
    storePath,
    host: listen.host,
    port: listen.port,
    tls,
    maxRequestBytes: config?.listener.maxRequestBytes,
    env: io.env,
    onStoreCreated: (creation) => io.stderr.write(renderStoreCreated(creation)),
    stdout: (text) => io.stdout.write(text),
    onCheckpointError: (error) =>
      io.stderr.write(`secretrun server: could not checkpoint the store's journal, its writes stay there and it is retried: ${isSecretrunError(error) ? error.message : renderFsFailure(describeFsError(error))}\n`),
  };
}

// The first SIGINT or SIGTERM (the process's stop request), and a way to stop listening for it
// when the server never started.
function stopRequest(io: CliIo): { signal: Promise<string>; cancel: () => void } {
  let cancel: () => void = () => undefined;
  const signal = new Promise<string>((resolve) => {
    cancel = io.signals.subscribe(['SIGINT', 'SIGTERM'], (name) => {
      cancel();
      resolve(name);
    });
  });
  return { signal, cancel };
}

// The start-up banner up to (not including) the root token, in the shape of `vault server`'s.
function renderConfiguration(settings: ServerSettings, address: VaultServerAddress): string {
  return [
    '==> secretrun server configuration:',
    '',
    ...align([
      ['Api Address', address.url],
      ['Listener', `tcp (addr: "${address.host}:${address.port}", tls: "${settings.tls ? 'enabled' : 'disabled'}")`],
      ['Storage', settings.storePath === undefined ? 'inmem' : `file (path: ${settings.storePath})`],
    ]),
    '',
    '==> secretrun server started! Log data will stream in below:',
    '',
    '',
  ].join('\n');
}

// `server`: serve Vault's HTTP API over the store (or memory, with -dev) until stopped.
export const serverCommand: Command = {
  name: 'server',
  usage: 'secretrun server [options]',
  description:
    'Serves Vault\'s HTTP API (/v1/..., X-Vault-Token) over the encrypted store, so the vault CLI, curl, hvac and node-vault work against it. On the first start over a store a root token is created and shown once (only its hash is stored); `secretrun operator generate-root` makes a new one for whoever holds the store key. SIGINT or SIGTERM stops it after in-flight requests finish.\n\n  $ secretrun server -dev\n  $ secretrun server -store=.secretrun/store.json -listen-address=127.0.0.1:8200',
  flags,
  async run(argv, context) {
    const { io } = context;
    const { flags: values } = parseCommandLine('server', flags, argv, context, { min: 0, max: 0 });
    const settings = await settingsFrom(values, io);
    const tokenFile = values['root-token-file'];
    let bannerShown = false;
    // The token is shown (or saved) before its hash is committed: if that fails, the start fails
    // and the store keeps no root token that nobody has.
    const deliver = async (token: string, address: VaultServerAddress): Promise<void> => {
      let text: string;
      if (settings.dev) text = renderDevBanner(address.url, token, await saveDevToken(io, token));
      else if (tokenFile !== '') {
        await writePrivateFile(tokenFile, `${token}\n`).catch((error: unknown) => {
          throw new SecretrunError('input', `cannot write -root-token-file ${tokenFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'} (choose a writable path; nothing was stored)`);
        });
        text = `A root token was created for this store and written to ${tokenFile}; the store keeps only its hash.\n`;
      } else {
        text = `A root token was created for this store. It is shown only this once; the store keeps only its hash.\n\nRoot Token: ${token}\n`;
      }
      io.stdout.write(`${renderConfiguration(settings, address)}${text}\n`);
      bannerShown = true;
    };
    const stop = stopRequest(io);
    let server;
    try {
      server = await startServer(settings, deliver);
    } catch (error) {
      stop.cancel();
      throw error;
    }
    if (!bannerShown) io.stdout.write(renderConfiguration(settings, server.address));
    // Last, so whoever waits for this line (tests, scripts using port 0) has the whole banner.
    io.stdout.write(`secretrun server listening on ${server.address.url}\n`);
    // SIGHUP reopens the audit files, as Vault's reload does (log rotation renames them).
    const reload = io.signals.subscribe(['SIGHUP'], () => {
      server.reopenAudit();
      io.stdout.write('==> secretrun server reload triggered (SIGHUP): audit files reopened\n');
    });
    const signal = await stop.signal;
    reload();
    io.stdout.write(`==> secretrun server shutdown triggered (${signal}), finishing in-flight requests\n`);
    await server.close();
    return 0;
  },
};

// Like `vault server -dev`, log the CLI in by writing the token helper file ~/.vault-token.
async function saveDevToken(io: CliIo, token: string): Promise<string | undefined> {
  const home = io.env['HOME'];
  if (home === undefined || home === '') return undefined;
  const file = tokenHelperPath(io.env);
  try {
    await writePrivateFile(file, token);
    return file;
  } catch {
    return undefined;
  }
}
