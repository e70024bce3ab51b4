import type { BlockList } from 'node:net';
import { invalidRequest } from '../errors.js';

// CIDR blocks as auth methods bind logins and tokens to them (`token_bound_cidrs`,
// `secret_id_bound_cidrs`, a secret-id's `cidr_list`): an address or an address/prefix, IPv4
// or IPv6; a client's IPv4 address seen as IPv6 (`::ffff:10.0.0.1`) matches IPv4 blocks. Matching
// uses node:net's BlockList, loaded only when a block is used (node:net is not otherwise loaded
// by the CLI at start-up).

// node:net, on first use.
function net(): typeof import('node:net') {
  return process.getBuiltinModule('node:net');
}

interface Block {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

function parseBlock(text: string): Block | undefined {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const version = net().isIP(address);
  if (version === 0) return undefined;
  const width = version === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(width) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > width) return undefined;
  return { address, prefix: Number(prefixText), family: version === 4 ? 'ipv4' : 'ipv6' };
}

// Validates a list of blocks as given (trimmed, empty entries dropped); refuses the first one
// that is not an address or address/prefix, naming it and the field.
export function parseCidrList(values: readonly string[], field: string): string[] {
  const blocks = values.map((value) => value.trim()).filter((value) => value !== '');
  for (const block of blocks) {
    if (parseBlock(block) === undefined) {
      throw invalidRequest(`invalid CIDR block ${JSON.stringify(block)} in ${field}: use an address or address/prefix such as 10.0.0.0/8 or 127.0.0.1`);
    }
  }
  return blocks;
}

function blockListOf(blocks: readonly string[]): BlockList {
  const list = new (net().BlockList)();
  for (const text of blocks) {
    const block = parseBlock(text);
    if (block !== undefined) list.addSubnet(block.address, block.prefix, block.family);
  }
  return list;
}

// Is `address` (a remote address as the socket reports it) inside one of `blocks`? An empty
// or unknown address (no connection, the in-process CLI) is inside none.
export function isAddressInBlocks(address: string, blocks: readonly string[]): boolean {
  const version = net().isIP(address);
  if (version === 0) return false;
  return blockListOf(blocks).check(address, version === 4 ? 'ipv4' : 'ipv6');
}

// Does every block of `inner` lie inside some block of `outer`? (A secret-id's CIDRs must be a
// subset of its role's.) An empty `outer` constrains nothing.
export function isCidrSubset(inner: readonly string[], outer: readonly string[]): boolean {
  if (outer.length === 0) return true;
  const parsedOuter = outer.map(parseBlock).filter((block): block is Block => block !== undefined);
  return inner.every((text) => {
    const block = parseBlock(text);
    if (block === undefined) return false;
    return parsedOuter.some((wide) => wide.family === block.family && wide.prefix <= block.prefix && blockListOf([`${wide.address}/${wide.prefix}`]).check(block.address, block.family));
  });
}
