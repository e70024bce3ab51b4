import { describe, expect, it } from 'vitest';
import { buildLoginDisplayName, buildLoginToken } from '../../src/auth/login-token.js';
import { emptyTokenParams, parseTokenFields, sanitizePolicies } from '../../src/auth/token-params.js';
import { isSecretrunError } from '../../src/errors.js';
import type { AuthMethod } from '../../src/sys/auth-methods.js';

function method(defaultTtl = 0, maxTtl = 0): AuthMethod {
  return {
    accessor: 'auth_userpass_1',
    config: { default_lease_ttl: defaultTtl, force_no_cache: false, max_lease_ttl: maxTtl, token_type: 'default-service' },
    description: '',
    external_entropy_access: false,
    local: false,
    options: null,
    plugin_version: '',
    running_plugin_version: '',
    running_sha256: '',
    seal_wrap: false,
    type: 'userpass',
    uuid: 'u',
  };
}

const identity = { name: 'alice', path: 'auth/userpass/login/alice', meta: { username: 'alice' } };

describe('token settings of users and roles', () => {
  it('parse as Vault does, over what was set before', () => {
    const parsed = parseTokenFields({ token_policies: 'a, B ,,c', token_ttl: '1h', token_max_ttl: 7200, token_num_uses: '3', token_bound_cidrs: ['10.0.0.0/8'] }, emptyTokenParams());
    expect(parsed).toMatchObject({ token_policies: ['a', 'B', 'c'], token_ttl: 3600, token_max_ttl: 7200, token_num_uses: 3, token_bound_cidrs: ['10.0.0.0/8'], token_type: 'default' });
    expect(parseTokenFields({ token_period: '5m' }, parsed)).toMatchObject({ token_ttl: 3600, token_period: 300 });
  });

  it('refuse contradictions and bad values, naming the field', () => {
    const message = (input: Record<string, unknown>): string => {
      try {
        parseTokenFields(input as never, emptyTokenParams());
        return 'accepted';
      } catch (error) {
        return isSecretrunError(error) ? error.message : String(error);
      }
    };
    expect(message({ token_ttl: '2h', token_max_ttl: '1h' })).toBe("'token_ttl' cannot be greater than 'token_max_ttl'");
    expect(message({ token_num_uses: -1 })).toBe("'token_num_uses' cannot be negative");
    expect(message({ token_max_ttl: '-5s' })).toBe("'token_max_ttl' cannot be negative");
    expect(message({ token_type: 'odd' })).toBe(`invalid 'token_type' value "odd"`);
    expect(message({ token_bound_cidrs: 'nope' })).toBe('invalid CIDR in token_bound_cidrs: "nope" (use an address or address/prefix, e.g. 10.0.0.0/8)');
  });

  it('sanitize policy names as Vault stores them', () => {
    expect(sanitizePolicies([' Dev ', 'ops', 'dev', ''])).toEqual(['dev', 'ops']);
    expect(sanitizePolicies(['dev', 'root'])).toEqual(['root']);
  });
});

describe('the token a login issues', () => {
  it('has the policies plus default, the user TTL or the method default, capped by the max', () => {
    const params = { ...emptyTokenParams(), token_policies: ['myapp-policy'] };
    expect(buildLoginToken(params, method(), 'userpass/', identity)).toMatchObject({
      policies: ['default', 'myapp-policy'],
      ttl: 2764800,
      maxTtl: 2764800,
      displayName: 'userpass-alice',
      path: 'auth/userpass/login/alice',
      meta: { username: 'alice' },
    });
    expect(buildLoginToken({ ...params, token_ttl: 600 }, method(3600), 'userpass/', identity).ttl).toBe(600);
    expect(buildLoginToken(params, method(3600), 'userpass/', identity).ttl).toBe(3600);
    expect(buildLoginToken({ ...params, token_ttl: 7200, token_max_ttl: 1800 }, method(), 'userpass/', identity)).toMatchObject({ ttl: 1800, maxTtl: 1800 });
    expect(buildLoginToken(params, method(0, 900), 'userpass/', identity)).toMatchObject({ ttl: 900, maxTtl: 900 });
    expect(buildLoginToken({ ...params, token_explicit_max_ttl: 60 }, method(), 'userpass/', identity)).toMatchObject({ ttl: 60, explicitMaxTtl: 60 });
  });

  it('leaves default out when asked, and gives root alone', () => {
    expect(buildLoginToken({ ...emptyTokenParams(), token_policies: ['a'], token_no_default_policy: true }, method(), 'userpass/', identity).policies).toEqual(['a']);
    expect(buildLoginToken({ ...emptyTokenParams(), token_policies: ['a', 'root'] }, method(), 'userpass/', identity).policies).toEqual(['root']);
  });

  it('lives one period at a time when periodic', () => {
    expect(buildLoginToken({ ...emptyTokenParams(), token_period: 300, token_ttl: 9999 }, method(), 'approle/', { ...identity, name: '' })).toMatchObject({ ttl: 300, period: 300, maxTtl: 0, displayName: 'approle' });
  });

  it('names the token by the method path and the user', () => {
    expect(buildLoginDisplayName('userpass/', 'alice')).toBe('userpass-alice');
    expect(buildLoginDisplayName('team/people/', 'bob')).toBe('team-people-bob');
    expect(buildLoginDisplayName('approle/', '')).toBe('approle');
  });
});
