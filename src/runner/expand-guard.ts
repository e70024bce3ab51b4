import { matchesAnyGlob } from './name-glob.js';

// Names that `expand` does not set unless the expansion lists them in `allow`. Whoever can
// write a secret chooses its field names, and each of these makes the command, or a program it
// starts, load or run code the value names, trust other certificates, or send its traffic (and
// credentials) elsewhere. `env:` entries are written by the manifest's author and never guarded.
export const guardedNames = [
  // Dynamic loaders (glibc ld.so, musl, macOS dyld): LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT...,
  // and glibc's iconv modules (GCONV_PATH, the pwnkit vector).
  'LD_*', 'DYLD_*', 'GCONV_PATH',
  // Where commands are found, and what shells run or change before a script's first line.
  'PATH', 'IFS', 'CDPATH', 'SHELL', 'ENV', 'BASH_ENV', 'BASH_FUNC_*', 'SHELLOPTS', 'BASHOPTS', 'PS4', 'PROMPT_COMMAND', 'ZDOTDIR',
  // Interpreters' start-up options, module paths and trust (code loaded into every process).
  'NODE_OPTIONS', 'NODE_PATH', 'NODE_EXTRA_CA_CERTS', 'NODE_TLS_REJECT_UNAUTHORIZED', 'NODE_REPL_EXTERNAL_MODULE', 'NPM_CONFIG_*',
  'PYTHON*', 'PERL5*', 'PERLLIB', 'RUBYOPT', 'RUBYLIB', 'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'CLASSPATH',
  // Git runs commands from its environment (GIT_SSH_COMMAND, GIT_EXEC_PATH, GIT_CONFIG_*...).
  'GIT_*',
  // Commands other programs start: editors, pagers, password prompts, less's preprocessor.
  'EDITOR', 'VISUAL', 'PAGER', 'LESSOPEN', 'LESSCLOSE', 'SSH_ASKPASS', 'SUDO_ASKPASS', 'BROWSER',
  // Trust and routing of TLS and HTTP.
  'SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY',
  // secretrun's and Vault's own settings and credentials (a nested secretrun or vault reads them).
  'SECRETRUN_*', 'VAULT_*',
] as const;

// The guarded names as one expression, compiled on first use (an expansion may have many fields).
let guarded: RegExp | undefined;

// Should `expand` refuse to set this name, given the expansion's `allow` patterns? Pure.
export function isGuardedName(name: string, allow: readonly string[]): boolean {
  guarded ??= new RegExp(`^(?:${guardedNames.map((pattern) => pattern.replace(/\*/g, '.*')).join('|')})$`);
  return guarded.test(name) && !matchesAnyGlob(name, allow);
}
