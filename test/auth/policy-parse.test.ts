import { describe, expect, it } from 'vitest';
import { isSecretrunError } from '../../src/errors.js';
import { parsePolicy } from '../../src/auth/policy-parse.js';
import type { PathRule, Policy } from '../../src/auth/policy.js';

// The model without the layout (comments, key order), which only `policy fmt` reads.
function rulesOf(policy: Policy): Array<Omit<PathRule, 'layout'>> {
  return policy.rules.map(({ layout: _layout, ...rule }) => rule);
}

function parseError(text: string): { message: string; hint: string | undefined; code: string } {
  try {
    parsePolicy('p', text);
  } catch (error) {
    if (!isSecretrunError(error)) throw error;
    return { message: error.message, hint: error.hint, code: error.code };
  }
  return expect.fail(`no error for ${JSON.stringify(text)}`);
}

describe('parsing the HCL form', () => {
  it('reads path blocks with every key Vault accepts', () => {
    const policy = parsePolicy(
      ' MyApp ',
      `path "secret/data/app/*" {
  capabilities = ["create", "read", "update", "patch", "delete", "list", "sudo", "subscribe", "recover"]
  required_parameters = ["bar"]
  allowed_parameters = {
    "bar" = ["zip", "zap*"]
    "n"   = [1, 2.5, true, ["nested"], { "k" = "v" }]
  }
  denied_parameters = { "*" = [] }
  min_wrapping_ttl = "1s"
  max_wrapping_ttl = 90
  subscribe_event_types = ["kv*"]
  comment = "for the app"
}
path "/legacy" { policy = "read" }
`,
    );
    expect(policy.name).toBe('myapp');
    expect(rulesOf(policy)).toEqual([
      {
        path: 'secret/data/app/*',
        capabilities: ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'subscribe', 'recover'],
        requiredParameters: ['bar'],
        allowedParameters: [
          { name: 'bar', values: ['zip', 'zap*'] },
          { name: 'n', values: [1, 2.5, true, ['nested'], { k: 'v' }] },
        ],
        deniedParameters: [{ name: '*', values: [] }],
        minWrappingTtl: { written: '1s', seconds: 1 },
        maxWrappingTtl: { written: 90, seconds: 90 },
        subscribeEventTypes: ['kv*'],
        comment: 'for the app',
      },
      { path: 'legacy', policy: 'read' },
    ]);
  });

  it('accepts what HCL allows: no line breaks, commas between items, block-form maps, a name, templated paths', () => {
    const oneLine = parsePolicy('p', 'name = "ignored" path "a" { capabilities = ["read",], policy = "write", allowed_parameters { "x" = [] } }');
    expect(rulesOf(oneLine)).toEqual([{ path: 'a', capabilities: ['read'], policy: 'write', allowedParameters: [{ name: 'x', values: [] }] }]);
    expect(parsePolicy('p', 'path "secret/data/{{identity.entity.id}}/*" { capabilities = ["read"] }').rules[0]?.path).toBe('secret/data/{{identity.entity.id}}/*');
    expect(parsePolicy('p', '').rules).toEqual([]);
    expect(parsePolicy('p', '# only a comment\n').rules).toEqual([]);
  });

  it('ignores the three comment forms', () => {
    const commented = parsePolicy(
      'p',
      `# hash
// slashes
path "a" { /* inline */ capabilities = ["read"] # after
  /* a block
     over lines */
}
`,
    );
    expect(rulesOf(commented)).toEqual(rulesOf(parsePolicy('p', 'path "a" { capabilities = ["read"] }')));
  });

  it('reads string escapes and heredocs', () => {
    const policy = parsePolicy(
      'p',
      `path "a\\tb\\u00e9\\"\\\\\\x41\\101" {
  comment = <<EOF
first
  second
EOF
}
path "b" {
  comment = <<-END
    first
      second
    END
}
path "c" {\r\n  comment = <<EOF\r\nwindows\r\nEOF\r\n}\r\n`,
    );
    expect(policy.rules.map((rule) => [rule.path, rule.comment])).toEqual([
      ['a\tbé"\\AA', 'first\n  second\n'],
      ['b', 'first\n  second\n'],
      ['c', 'windows\n'],
    ]);
  });
});

describe('the JSON form', () => {
  const hcl = `path "secret/data/*" {
  capabilities = ["read", "list"]
  allowed_parameters = { "foo" = [], "bar" = ["zip", 3, false] }
  required_parameters = ["foo"]
  max_wrapping_ttl = "5m"
}
path "sys/audit" {
  policy = "sudo"
}`;
  const json = `{
  "path": {
    "secret/data/*": {
      "capabilities": ["read", "list"],
      "allowed_parameters": {"foo": [], "bar": ["zip", 3, false]},
      "required_parameters": ["foo"],
      "max_wrapping_ttl": "5m"
    },
    "sys/audit": {"policy": "sudo"}
  }
}`;

  it('gives the same model as the HCL form', () => {
    expect(rulesOf(parsePolicy('p', json))).toEqual(rulesOf(parsePolicy('p', hcl)));
  });

  it('also takes a list of path objects', () => {
    const listed = '{"path": [{"secret/data/*": {"capabilities": ["read", "list"], "allowed_parameters": {"foo": [], "bar": ["zip", 3, false]}, "required_parameters": ["foo"], "max_wrapping_ttl": "5m"}}, {"sys/audit": {"policy": "sudo"}}]}';
    expect(rulesOf(parsePolicy('p', listed))).toEqual(rulesOf(parsePolicy('p', hcl)));
  });
});

describe('policies that do not parse', () => {
  // [policy text, "line:column", what the reason says]
  const malformed: Array<[string, string, string]> = [
    ['path "a" {\n  capabilities = ["read", "reed"]\n}', '2:27', 'path "a": invalid capability "reed"'],
    ['path "a" {\n  capabilities = ["read"\n}', '3:1', 'expected "," or "]" in the list, found "}"'],
    ['path "secret/* {\n}', '1:6', 'literal not terminated'],
    ['paths "a" {}', '1:1', 'invalid key "paths"'],
    ['path "a" {\n  capability = ["read"]\n}', '2:3', 'path "a": invalid key "capability"'],
    ['path "secret/*/config" { capabilities = ["read"] }', '1:14', 'path "secret/*/config": "*" is a glob only as the last character'],
    ['path "secret/+*" {}', '1:6', `path "secret/+*": invalid use of wildcards ('+*' is forbidden)`],
    ['path "a" { policy = "admin" }', '1:21', 'path "a": invalid policy "admin"'],
    ['path "a" {\n  comment = <<EOF\n  text\n}', '2:13', 'heredoc not terminated'],
    ['path "a\\q" {}', '1:8', 'invalid escape sequence "\\q"'],
    ['path "a" {\n  allowed_parameters = ["foo"]\n}', '2:24', 'path "a": allowed_parameters must be a map'],
    ['path "a" {\n  denied_parameters = { "fo*" = [] }\n}', '2:25', 'path "a": denied_parameters: parameter key "fo*" cannot contain a glob'],
    ['path "a" {\n  allowed_parameters = { "*" = ["x"] }\n}', '2:32', 'path "a": allowed_parameters: "*" takes only []'],
    ['path "a" {\n  allowed_parameters = { "Foo" = [], "foo" = ["x"] }\n}', '2:38', 'duplicate parameter "foo"'],
    ['path "a" {\n  required_parameters = ["*"]\n}', '2:26', 'wildcard is not permitted here'],
    ['path "a" {\n  mfa_methods = ["x"]\n}', '2:3', 'path "a": mfa_methods is a Vault Enterprise feature secretrun does not enforce'],
    ['path "a" {\n  max_wrapping_ttl = "ten"\n}', '2:22', 'path "a": error parsing max_wrapping_ttl: time: invalid duration "ten"'],
    ['path "a" {\n min_wrapping_ttl = 60\n max_wrapping_ttl = 30\n}', '3:2', 'max_wrapping_ttl cannot be less than min_wrapping_ttl'],
    ['path "a" {\n capabilities = ["read"]\n capabilities = ["list"]\n}', '3:2', 'path "a": duplicate key "capabilities"'],
    ['path "a" "b" {}', '1:10', 'a path block takes one pattern'],
    ['path = { "a" = {} }', '1:1', 'the pattern is missing'],
    ['path "a" { capabilities = ["read"]; }', '1:35', 'illegal char ";"'],
    ['path "a" {\n capabilities = ["read"]\n', '3:1', 'expected "}" to close the block, found the end of the policy'],
    ['path "a" { capabilities = "read" }', '1:27', 'capabilities must be a list of strings, found a string'],
    ['{"path": {"a": {"capabilities": ["read",]}}}', '1:41', 'expected a JSON value, found "]"'],
    ['{\n  "path": {\n    "a": {"capabilities": ["write"]}\n  }\n}', '3:28', 'path "a": invalid capability "write"'],
    ['{"path": {"a": {"capabilities": null}}}', '1:33', 'null is not a value a policy can hold'],
    ['{"path": "a"}', '1:10', '"path" must map patterns to rule objects, found a string'],
  ];

  it.each(malformed)('%j → %s', (text, position, reason) => {
    const error = parseError(text);
    expect(error.code).toBe('invalid_request');
    expect(error.message.startsWith(`failed to parse policy: At ${position}: `)).toBe(true);
    expect(error.message).toContain(reason);
    expect(error.hint).toBeTruthy();
  });
});
