import { SecretrunError } from '../errors.js';

// Password generation as Vault's password policies define it (helper/random): a length and
// charset rules, each requiring a minimum count of characters from its charset; the candidate
// alphabet is the union of the charsets. Candidates are drawn with rejection sampling (no
// character favoured) and redrawn until every rule passes. Named policies (sys/policies/password)
// parse into the same shape; without one, Vault's default policy applies.

// One `rule "charset"` block.
export interface CharsetRule {
  charset: string;
  minChars: number;
}

// A password policy: `length` and its rules.
export interface PasswordPolicy {
  length: number;
  rules: readonly CharsetRule[];
}

// Vault's default: 20 characters from [a-zA-Z0-9-], at least one lower, upper, digit and dash.
export const defaultPasswordPolicy: PasswordPolicy = {
  length: 20,
  rules: [
    { charset: 'abcdefghijklmnopqrstuvwxyz', minChars: 1 },
    { charset: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', minChars: 1 },
    { charset: '0123456789', minChars: 1 },
    { charset: '-', minChars: 1 },
  ],
};

// A charset's characters are Unicode code points, sorted and without repeats.
function alphabetOf(policy: PasswordPolicy): string[] {
  const points = new Set<number>();
  for (const rule of policy.rules) for (const char of rule.charset) points.add(char.codePointAt(0) ?? 0);
  return [...points].sort((a, b) => a - b).map((point) => String.fromCodePoint(point));
}

// The problems that make a policy unusable, in Vault's words (empty when it is fine).
export function checkPasswordPolicy(policy: PasswordPolicy): string[] {
  const problems: string[] = [];
  const minLength = policy.rules.reduce((sum, rule) => sum + rule.minChars, 0);
  if (!Number.isInteger(policy.length) || policy.length <= 0) problems.push('length must be > 0');
  else if (policy.length < minLength) problems.push(`specified rules require at least ${minLength} characters but ${policy.length} is specified`);
  const alphabet = alphabetOf(policy);
  if (alphabet.length === 0) problems.push('no charset specified');
  else if (alphabet.some((char) => /[\p{C}\p{Z}]/u.test(char) && char !== ' ')) problems.push('non-printable character in charset');
  if (alphabet.length > 256) problems.push('charset is too long: limited to 255 characters');
  return problems;
}

// `length` characters from the alphabet. A byte indexes the alphabet only below the largest
// multiple of its size that fits in a byte, so every character is equally likely.
function drawCandidate(alphabet: readonly string[], length: number, randomBytes: (size: number) => Uint8Array): string[] {
  const maxAllowed = Math.floor(256 / alphabet.length) * alphabet.length - 1;
  const chars: string[] = [];
  while (chars.length < length) {
    for (const byte of randomBytes(Math.floor(length * 1.5))) {
      if (byte > maxAllowed) continue;
      chars.push(alphabet[byte % alphabet.length] ?? '');
      if (chars.length === length) break;
    }
  }
  return chars;
}

function passes(rule: CharsetRule, candidate: readonly string[]): boolean {
  if (rule.minChars <= 0) return true;
  let count = 0;
  for (const char of candidate) if (rule.charset.includes(char) && ++count >= rule.minChars) return true;
  return false;
}

// Draws stop here: Vault gives up after one second; a count keeps this pure and deterministic.
const maxDraws = 100_000;

// Each policy's checked alphabet: checking a policy costs more than drawing a password from it,
// and every credentials read draws one (bench/database-server.mjs).
const checkedAlphabets = new WeakMap<PasswordPolicy, string[]>();

function checkedAlphabetOf(policy: PasswordPolicy): string[] {
  const known = checkedAlphabets.get(policy);
  if (known !== undefined) return known;
  const problems = checkPasswordPolicy(policy);
  if (problems.length > 0) throw new SecretrunError('invalid_request', `invalid password policy: ${problems.join('; ')}`);
  const alphabet = alphabetOf(policy);
  checkedAlphabets.set(policy, alphabet);
  return alphabet;
}

// A password satisfying `policy`, from the random bytes handed in.
export function generatePassword(policy: PasswordPolicy, randomBytes: (size: number) => Uint8Array): string {
  const alphabet = checkedAlphabetOf(policy);
  for (let draw = 0; draw < maxDraws; draw += 1) {
    const candidate = drawCandidate(alphabet, policy.length, randomBytes);
    if (policy.rules.every((rule) => passes(rule, candidate))) return candidate.join('');
  }
  throw new SecretrunError('invalid_request', 'unable to generate a password that satisfies the password policy', {
    hint: 'loosen the policy: fewer required characters or a longer length',
  });
}
