import { BlockList, isIP } from 'node:net';
import { invalidRequest } from '../errors.js';

// Address restrictions on tokens and credentials (`token_bound_cidrs`, `secret_id_bound_cidrs`):
// a list of CIDR blocks or single addresses, IPv4 or IPv6, matched against the client's address.

// Parses a list of CIDRs (`10.0.0.0/8`, `127.0.0.1`, `::1/128`) into canonical strings; a bad
// entry is a 400 naming the field and the entry.
export function parseCidrList(values: readonly string[], field: string): string[] {
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
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

// Is `address` inside one of the (parsed) CIDRs? An empty list allows every address; an
// address that is not an IP (a local, in-process request) is inside none.
export function addressInCidrs(address: string, cidrs: readonly string[]): boolean {
  if (cidrs.length === 0) return true;
  const plain = plainAddress(address);
  const family = isIP(plain);
  if (family === 0) return false;
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net = '', bits = '0'] = cidr.split('/');
    const netFamily = isIP(net);
    if (netFamily === family) list.addSubnet(net, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
  }
  return list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
}
