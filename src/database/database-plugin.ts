import type { UsernameMetadata } from './username-template.js';

// What every database plugin does (Vault's dbplugin v5 Database interface, in secretrun's
// terms). A plugin owns a bounded pool of connections to one database; the engine above it
// decides when to create, renew, revoke and rotate, and keeps the leases and the passwords.

// Creating a dynamic user.
export interface CreateUserRequest {
  /** The new user's name, from generateUsername. */
  username: string;
  /** The role's creation statements (required). */
  statements: readonly string[];
  /** The role's rollback statements, run when creation fails part-way. */
  rollbackStatements: readonly string[];
  password: string;
  /** When the credentials expire (ms since the epoch): {{expiration}}. */
  expiration: number;
  /**
   * Called once the first statements are written to the database's connection, so that work
   * started then (the lease's durable write) overlaps the database's instead of delaying the
   * query.
   */
  onSent?: () => void;
}

// Moving a dynamic user's expiry (a lease renewal).
export interface RenewUserRequest {
  username: string;
  statements: readonly string[];
  expiration: number;
}

// Dropping a dynamic user (a lease revocation).
export interface RevokeUserRequest {
  username: string;
  /** The role's revocation statements; empty means the plugin's default drop. */
  statements: readonly string[];
}

// Setting a user's password (a static role's rotation).
export interface SetPasswordRequest {
  username: string;
  password: string;
  /** Rotation statements; empty means the plugin's default password change. */
  statements: readonly string[];
}

// One configured connection's plugin instance.
export interface DatabasePlugin {
  /** The plugin name, e.g. `postgresql-database-plugin`. */
  readonly pluginName: string;
  /** host:port/database, for messages. */
  readonly connection: string;
  /** Connects and pings; a SecretrunError('database') when the database cannot be reached. */
  verifyConnection(): Promise<void>;
  /**
   * A new user's name from the connection's username template. Separate from createUser so
   * that the engine can record the user's lease while the database creates it.
   */
  generateUsername(metadata: UsernameMetadata): string;
  /** Creates the user; no half-created user is left when it fails. */
  createUser(request: CreateUserRequest): Promise<void>;
  renewUser(request: RenewUserRequest): Promise<void>;
  /** Drops the user; a user that no longer exists is not an error (for the default drop). */
  revokeUser(request: RevokeUserRequest): Promise<void>;
  /** Whether a user of that name exists (a revocation that failed may have nothing to drop). */
  userExists(username: string): Promise<boolean>;
  setPassword(request: SetPasswordRequest): Promise<void>;
  /**
   * Changes the connection's own user's password to a newly generated one, reconnects with it
   * and returns it for the engine to store: afterwards only the engine knows it.
   */
  rotateRoot(statements: readonly string[]): Promise<{ password: string }>;
  /** Closes every pooled connection; the plugin reopens them if used again. */
  close(): Promise<void>;
}

// What a plugin takes from the world besides its configuration.
export interface PluginEffects {
  /** Milliseconds since the epoch (username templates' unix_time, timestamp). */
  now(): number;
  randomBytes(size: number): Uint8Array;
  /** A new password under the connection's password policy (rotate-root). */
  generatePassword(): string;
}
