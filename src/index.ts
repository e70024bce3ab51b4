// Library API: re-exports only.
export { SecretrunError, isSecretrunError } from './errors.js';
export type { ErrorCode } from './errors.js';
