import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';

// A PostgreSQL SCRAM-SHA-256 password verifier (`SCRAM-SHA-256$4096:salt$StoredKey:ServerKey`),
// which a connection with password_authentication=scram-sha-256 sends in place of the password:
// PostgreSQL stores it as is, so the password itself never reaches the server or its logs.

const iterations = 4096;

// The verifier of `password` with a 16-byte salt from `randomBytes`.
export function buildScramVerifier(password: string, randomBytes: (size: number) => Uint8Array): string {
  const salt = Buffer.from(randomBytes(16));
  // SASLprep leaves ASCII as it is; NFKC is its normalisation step for the rest.
  const prepared = /^[\x20-\x7e]*$/.test(password) ? password : password.normalize('NFKC');
  const salted = pbkdf2Sync(prepared, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
