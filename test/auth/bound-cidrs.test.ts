import { describe, expect, it } from 'vitest';
import { addressInCidrs, cidrsWithin, parseCidrList } from '../../src/auth/bound-cidrs.js';

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

  it('tells whether one list of blocks lies inside another (a secret-id\'s CIDRs within its role\'s)', () => {
    const role = parseCidrList(['10.0.0.0/8', 'fd00::/8'], 'secret_id_bound_cidrs');
    expect(cidrsWithin(parseCidrList(['10.1.0.0/16', '10.2.3.4', 'fd00::1'], 'cidr_list'), role)).toBe(true);
    expect(cidrsWithin(parseCidrList(['10.0.0.0/7'], 'cidr_list'), role)).toBe(false);
    expect(cidrsWithin(parseCidrList(['11.0.0.0/16'], 'cidr_list'), role)).toBe(false);
    expect(cidrsWithin(parseCidrList(['::1'], 'cidr_list'), role)).toBe(false);
    expect(cidrsWithin(parseCidrList(['11.0.0.0/16'], 'cidr_list'), [])).toBe(true);
  });
});
