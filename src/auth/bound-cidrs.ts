import type { BlockList } from 'node:net';
import { invalidRequest } from '../errors.js';

// Address restrictions on tokens and credentials (`token_bound_cidrs`, `secret_id_bound_cidrs`,
// a secret-id's `cidr_list`): a list of CIDR blocks or single addresses, IPv4 or IPv6, matched
// against the client's address. node:net is loaded on first use: the auth methods' routes are
// in the CLI's bundle, whose start-up loads nothing it does not need.

function net(): typeof import('node:net') {
  return process.getBuiltinModule('node:net');
}

// Parses a list of CIDRs (`10.0.0.0/8`, `127.0.0.1`, `::1/128`) into canonical strings; a bad
// entry is a 400 naming the field and the entry.
export function parseCidrList(values: readonly string[], field: string): string[] {
  const { isIP } = net();
  return values.map((raw) => {
    const text = raw.trim();
    const slash = text.indexOf('/');
    const address = slash === -1 ? text : text.slice(0, slash);
    const family = isIP(address);
    const bits = slash === -1 ? (family === 6 ? 128 : 32) : Number(text.slice(slash + 1));
    const max = family === 6 ? 128 : 32;
    if (family === 0 || !Number.isInteger(bits) || bits < 0 || bits > max || (slash !== -1 && !/^\d+$/.test(text.slice(slash + 1)))) {
      throw invalidRequest(`invalid CIDR in ${field}: "${text}" (use an address or address/prefix, e.g. 10.0.0.0/8)`);
    }
    return `${address}/${bits}`;
  });
}

// An IPv4 address seen through an IPv6 socket (`::ffff:10.0.0.1`) as the IPv4 address it is.
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && net().isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

// The (parsed) CIDRs of one family as a BlockList.
function blockListOf(cidrs: readonly string[], family: number): BlockList {
  const list = new (net().BlockList)();
  for (const cidr of cidrs) {
    const [address = '', bits = '0'] = cidr.split('/');
    if (net().isIP(address) === family) list.addSubnet(address, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

// Is `address` inside one of the (parsed) CIDRs? An empty list allows every address; an
// address that is not an IP (a local, in-process request) is inside none.
export function addressInCidrs(address: string, cidrs: readonly string[]): boolean {
  if (cidrs.length === 0) return true;
  const plain = plainAddress(address);
  const family = net().isIP(plain);
  if (family === 0) return false;
  return blockListOf(cidrs, family).check(plain, family === 6 ? 'ipv6' : 'ipv4');
}

// Does every (parsed) CIDR of `inner` lie inside one of `outer`? A secret-id's CIDRs must lie
// within its role's. An empty `outer` constrains nothing.
export function cidrsWithin(inner: readonly string[], outer: readonly string[]): boolean {
  if (outer.length === 0) return true;
  return inner.every((cidr) => {
    const [address = '', bits = '0'] = cidr.split('/');
    const family = net().isIP(address);
    return outer.some((wide) => Number(wide.split('/')[1] ?? '0') <= Number(bits) && blockListOf([wide], family).check(address, family === 6 ? 'ipv6' : 'ipv4'));
  });
}
