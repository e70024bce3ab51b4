import { describe, expect, it } from 'vitest';
import { isAddressInBlocks, isCidrSubset, parseCidrList } from '../../src/auth/cidr.js';
import { isSecretrunError } from '../../src/errors.js';

describe('CIDR blocks', () => {
  it('matches IPv4, IPv6 and IPv4 seen as IPv6', () => {
    const blocks = parseCidrList(['10.0.0.0/8', ' 127.0.0.1 ', '', 'fd00::/8'], 'token_bound_cidrs');
    expect(blocks).toEqual(['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);
    expect(isAddressInBlocks('10.20.30.40', blocks)).toBe(true);
    expect(isAddressInBlocks('127.0.0.1', blocks)).toBe(true);
    expect(isAddressInBlocks('::ffff:127.0.0.1', blocks)).toBe(true);
    expect(isAddressInBlocks('127.0.0.2', blocks)).toBe(false);
    expect(isAddressInBlocks('fd12::1', blocks)).toBe(true);
    expect(isAddressInBlocks('::1', blocks)).toBe(false);
    expect(isAddressInBlocks('', blocks)).toBe(false);
  });

  it('refuses what is not a block, naming it and the field', () => {
    for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0/8', '::1/129', '1.2.3.4/']) {
      try {
        parseCidrList([bad], 'cidr_list');
        expect.fail(`accepted ${bad}`);
      } catch (error) {
        expect(isSecretrunError(error) && error.message).toBe(`invalid CIDR block ${JSON.stringify(bad)} in cidr_list: use an address or address/prefix such as 10.0.0.0/8 or 127.0.0.1`);
      }
    }
  });

  it('tells whether one list of blocks lies inside another', () => {
    expect(isCidrSubset(['10.1.0.0/16', '10.2.3.4'], ['10.0.0.0/8'])).toBe(true);
    expect(isCidrSubset(['10.0.0.0/7'], ['10.0.0.0/8'])).toBe(false);
    expect(isCidrSubset(['11.0.0.0/16'], ['10.0.0.0/8'])).toBe(false);
    expect(isCidrSubset(['fd00::1'], ['10.0.0.0/8'])).toBe(false);
    expect(isCidrSubset(['anything'], [])).toBe(true);
  });
});
