import { describe, expect, it } from 'vitest';
import { addressInCidrs, parseCidrList } from '../../src/auth/bound-cidrs.js';

describe('bound CIDRs', () => {
  it('parses blocks and single addresses, refusing anything else by name', () => {
    expect(parseCidrList(['10.0.0.0/8', ' 127.0.0.1', '::1'], 'token_bound_cidrs')).toEqual(['10.0.0.0/8', '127.0.0.1/32', '::1/128']);
    expect(() => parseCidrList(['10.0.0.0/33'], 'token_bound_cidrs')).toThrow('invalid CIDR in token_bound_cidrs: "10.0.0.0/33"');
    expect(() => parseCidrList(['example.com'], 'token_bound_cidrs')).toThrow('invalid CIDR');
    expect(() => parseCidrList(['10.0.0.0/x'], 'token_bound_cidrs')).toThrow('invalid CIDR');
  });

  it('matches IPv4 (also mapped into IPv6) and IPv6 addresses; no list allows all', () => {
    const cidrs = parseCidrList(['10.0.0.0/8', 'fd00::/8'], 'f');
    expect(addressInCidrs('10.9.8.7', cidrs)).toBe(true);
    expect(addressInCidrs('::ffff:10.9.8.7', cidrs)).toBe(true);
    expect(addressInCidrs('fd12::1', cidrs)).toBe(true);
    expect(addressInCidrs('11.0.0.1', cidrs)).toBe(false);
    expect(addressInCidrs('', cidrs)).toBe(false);
    expect(addressInCidrs('', [])).toBe(true);
  });
});
