import { describe, expect, it } from 'vitest';
import { defaultPolicyText } from '../../src/auth/builtin-policies.js';
import { parsePolicy } from '../../src/auth/policy-parse.js';
import { renderPolicy } from '../../src/auth/policy-render.js';
import type { Policy } from '../../src/auth/policy.js';

const format = (text: string): string => renderPolicy(parsePolicy('p', text));
const withoutLayout = (policy: Policy): unknown => policy.rules.map(({ layout: _layout, ...rule }) => rule);

const samples: Record<string, string> = {
  guide: `path "secret/data/myapp/*" {
capabilities = ["read"]
}
path "secret/data/api-keys/openai" {
capabilities = ["read"]
}
`,
  messy: `# The app's access.
path   "/secret/data/app/*"{capabilities=["read","list"] # reads
required_parameters=["version"]
    allowed_parameters {
      # only these
      "version" = []
      "Mode" = ["a*", 1, true, ["x"], { "k" = "v" }]
    }
  comment = <<EOF
two
lines
EOF
  max_wrapping_ttl=90
}  // trailing
/* closing
   remark */
`,
  legacy: 'path "a" { policy = "write" comment = "old style" } path "b" {}',
  json: '{"path": {"secret/*": {"capabilities": ["deny"]}, "sys/audit": {"capabilities": ["read", "sudo"], "denied_parameters": {"*": []}}}}',
  endOnly: '// nothing but a remark\n',
  empty: '',
  default: defaultPolicyText,
};

describe('policy fmt', () => {
  it('prints canonical HCL: two-space indent, aligned =, blocks apart, comments kept', () => {
    expect(format(samples.messy as string)).toBe(`# The app's access.
path "secret/data/app/*" {
  capabilities        = ["read", "list"] # reads
  required_parameters = ["version"]
  # only these
  allowed_parameters = {
    "version" = []
    "Mode"    = ["a*", 1, true, ["x"], { "k" = "v" }]
  }
  comment          = "two\\nlines\\n"
  max_wrapping_ttl = 90
} // trailing

/* closing
   remark */
`);
  });

  it('prints the guide policy as Vault users write it', () => {
    expect(format(samples.guide as string)).toBe(`path "secret/data/myapp/*" {
  capabilities = ["read"]
}

path "secret/data/api-keys/openai" {
  capabilities = ["read"]
}
`);
  });

  it('prints the JSON form and empty blocks as HCL', () => {
    expect(format(samples.json as string)).toBe(`path "secret/*" {
  capabilities = ["deny"]
}

path "sys/audit" {
  capabilities = ["read", "sudo"]
  denied_parameters = {
    "*" = []
  }
}
`);
    expect(format(samples.legacy as string)).toBe('path "a" {\n  policy  = "write"\n  comment = "old style"\n}\n\npath "b" {}\n');
    expect(format('')).toBe('');
  });

  it.each(Object.entries(samples))('is stable on %s: format(parse(format(p))) === format(p)', (_name, text) => {
    const once = format(text);
    expect(format(once)).toBe(once);
  });

  it.each(Object.entries(samples))('keeps the meaning of %s', (_name, text) => {
    expect(withoutLayout(parsePolicy('p', format(text)))).toEqual(withoutLayout(parsePolicy('p', text)));
  });

  it('keeps the meaning of the default policy text, which is already canonical', () => {
    expect(format(defaultPolicyText)).toBe(defaultPolicyText);
  });
});
