import { invalidRequest } from '../errors.js';
import type { JsonObject, JsonValue } from '../json.js';
import { decodeBool, decodeDurationSeconds, decodeInt, given } from '../kv/field-decode.js';
import { parseCidrList } from './bound-cidrs.js';

// The token settings an auth method's users and roles carry (Vault's sdk/helper/tokenutil):
// parsed from a write, shown on a read, and turned into the token a login issues. Durations are
// whole seconds; 0 means "the method's or the system's default".

export interface TokenParams {
  token_bound_cidrs: string[];
  token_explicit_max_ttl: number;
  token_max_ttl: number;
  token_no_default_policy: boolean;
  token_num_uses: number;
  token_period: number;
  token_policies: string[];
  /** `default` = what the method issues (always a service token here). */
  token_type: 'default' | 'service';
  token_ttl: number;
}

// The fields every user or role path accepts (tokenutil.TokenFields).
export const tokenFieldNames = [
  'token_bound_cidrs',
  'token_explicit_max_ttl',
  'token_max_ttl',
  'token_no_default_policy',
  'token_num_uses',
  'token_period',
  'token_policies',
  'token_type',
  'token_ttl',
] as const;

// Settings of a user or role that set none.
export function emptyTokenParams(): TokenParams {
  return {
    token_bound_cidrs: [],
    token_explicit_max_ttl: 0,
    token_max_ttl: 0,
    token_no_default_policy: false,
    token_num_uses: 0,
    token_period: 0,
    token_policies: [],
    token_type: 'default',
    token_ttl: 0,
  };
}

// Vault's TypeCommaStringSlice: a list of strings, or one comma-separated string; trimmed, no empties.
export function decodeCommaList(value: JsonValue | undefined, field: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' || typeof value === 'number' ? String(value).split(',') : undefined;
  if (items === undefined || items.some((item) => typeof item !== 'string' && typeof item !== 'number')) {
    throw invalidRequest(`Field validation failed: error converting input for field "${field}": expected a list of strings or a comma-separated string`);
  }
  return items.map((item) => String(item).trim()).filter((item) => item !== '');
}

// Policy names as Vault keeps them (policyutil.ParsePolicies): trimmed, lower case, no
// duplicates, sorted; `root` alone when present.
export function sanitizePolicies(names: readonly string[]): string[] {
  const clean = names.map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  if (clean.includes('root')) return ['root'];
  return [...new Set(clean)].sort();
}

function nonNegativeSeconds(value: unknown, field: string): number {
  const seconds = decodeDurationSeconds(value, field);
  if (seconds < 0) throw invalidRequest(`'${field}' cannot be negative`);
  return seconds;
}

function decodeTokenType(value: unknown): TokenParams['token_type'] {
  if (value === '' || value === 'default' || value === 'default-service') return 'default';
  if (value === 'service') return 'service';
  if (value === 'batch' || value === 'default-batch') {
    throw invalidRequest(`token_type "${String(value)}" is not supported: secretrun issues service tokens (use "service" or "default")`);
  }
  throw invalidRequest(`invalid 'token_type' value ${JSON.stringify(value)}`);
}

// Applies the token fields present in `input` over `current` (tokenutil.ParseTokenFields), and
// checks the result; throws invalid_request naming the field at fault.
export function parseTokenFields(input: JsonObject, current: TokenParams): TokenParams {
  const next = { ...current };
  if (given(input, 'token_bound_cidrs')) next.token_bound_cidrs = parseCidrList(decodeCommaList(input['token_bound_cidrs'], 'token_bound_cidrs'), 'token_bound_cidrs');
  if (given(input, 'token_explicit_max_ttl')) next.token_explicit_max_ttl = nonNegativeSeconds(input['token_explicit_max_ttl'], 'token_explicit_max_ttl');
  if (given(input, 'token_max_ttl')) next.token_max_ttl = nonNegativeSeconds(input['token_max_ttl'], 'token_max_ttl');
  if (given(input, 'token_no_default_policy')) next.token_no_default_policy = decodeBool(input['token_no_default_policy'], 'token_no_default_policy');
  if (given(input, 'token_period')) next.token_period = nonNegativeSeconds(input['token_period'], 'token_period');
  if (given(input, 'token_policies')) next.token_policies = decodeCommaList(input['token_policies'], 'token_policies');
  if (given(input, 'token_type')) next.token_type = decodeTokenType(input['token_type']);
  if (given(input, 'token_num_uses')) {
    next.token_num_uses = decodeInt(input['token_num_uses'], 'token_num_uses');
    if (next.token_num_uses < 0) throw invalidRequest("'token_num_uses' cannot be negative");
  }
  if (given(input, 'token_ttl')) next.token_ttl = nonNegativeSeconds(input['token_ttl'], 'token_ttl');
  if (next.token_ttl > 0 && next.token_max_ttl > 0 && next.token_ttl > next.token_max_ttl) {
    throw invalidRequest("'token_ttl' cannot be greater than 'token_max_ttl'");
  }
  return next;
}

// The token fields of a read (tokenutil.PopulateTokenData), keys in Go's order.
export function renderTokenData(params: TokenParams): JsonObject {
  return {
    token_bound_cidrs: params.token_bound_cidrs,
    token_explicit_max_ttl: params.token_explicit_max_ttl,
    token_max_ttl: params.token_max_ttl,
    token_no_default_policy: params.token_no_default_policy,
    token_num_uses: params.token_num_uses,
    token_period: params.token_period,
    token_policies: params.token_policies,
    token_type: params.token_type,
    token_ttl: params.token_ttl,
  };
}

// Copies only the TokenParams fields out of a stored user or role (which holds more).
export function pickTokenParams(entry: TokenParams): TokenParams {
  const params = emptyTokenParams();
  for (const name of tokenFieldNames) (params as unknown as Record<string, unknown>)[name] = entry[name];
  return params;
}
