import type { ApiClient } from '../api-client.js';
import type { ApiSecret } from '../format/secret-json.js';
import type { CliIo } from '../io.js';
import { loginWithApprole } from './login-approle.js';
import { loginWithToken } from './login-token.js';
import { loginWithUserpass } from './login-userpass.js';

// The auth methods `secretrun login -method=TYPE` knows, each a function from the command
// line's K=V configuration to the login response (Vault's LoginHandler.Auth). The login
// command does the rest: storing the token, printing, warnings. A method is added here, one
// entry, without touching the command.

// What a login method receives.
export interface LoginInput {
  /** The K=V arguments, as strings (`key=-` read stdin, `key=@file` a file); `mount` is set. */
  config: Readonly<Record<string, string>>;
  /** Where the method is enabled, with a trailing slash: -path, else `<type>/`. */
  mount: string;
  /** The server's client. Requests carry no token unless the method passes one (`token`). */
  client: ApiClient;
  io: CliIo;
  /** -non-interactive: never prompt. */
  nonInteractive: boolean;
}

// Logs in; the secret returned must carry an `auth` block. Throws a SecretrunError whose
// message follows "Error authenticating: " (a failed request: use apiError with action '').
export type LoginMethod = (input: LoginInput) => Promise<ApiSecret>;

// Method type → its login.
export const loginMethods: Readonly<Record<string, LoginMethod>> = {
  token: loginWithToken,
  userpass: loginWithUserpass,
  approle: loginWithApprole,
};
