import { isAlias, isCollection, isPair, visit } from 'yaml';
import type { Alias, Document, LineCounter, Node } from 'yaml';
import type { ManifestProblem } from './schema-problems.js';
import { nodePosition } from './yaml-location.js';

// How many values aliases may add to a manifest. YAML aliases can multiply a few lines into
// billions of values (the "billion laughs"); a manifest sharing a list or two stays far below.
export const maxAliasValues = 10_000;

// Problems with a document's aliases, found before it is converted: one naming no anchor
// before it, one that contains itself, and the first alias at which aliases have added more
// than maxAliasValues values (each counted as what it expands to). Linear in the nodes.
export function checkAliases(doc: Document, lineCounter: LineCounter): ManifestProblem[] {
  const anchors = new Map<string, Node>();
  // Each alias's value: the anchor of that name last defined before it, as YAML resolves it.
  const targets = new Map<Alias, Node>();
  const sizes = new Map<Node, number>();
  const problems: ManifestProblem[] = [];
  let added = 0;
  const at = (alias: Alias, problem: string): void => {
    problems.push({ position: nodePosition(alias, lineCounter), path: '', problem });
  };
  visit(doc, {
    Node(_key, node) {
      if (!isAlias(node)) {
        if (node.anchor !== undefined) anchors.set(node.anchor, node);
        return undefined;
      }
      const target = anchors.get(node.source);
      if (target === undefined) {
        at(node, `invalid YAML: alias *${node.source} has no anchor &${node.source} before it`);
        return visit.BREAK;
      }
      targets.set(node, target);
      const size = sizeOf(target, targets, sizes, new Set());
      added += size;
      if (size === Infinity) at(node, `invalid YAML: alias *${node.source} is inside the value it names`);
      else if (added > maxAliasValues) at(node, `invalid YAML: aliases expand the manifest past ${maxAliasValues} values (at *${node.source}); write the values out`);
      return problems.length > 0 ? visit.BREAK : undefined;
    },
  });
  return problems;
}

// The number of values a node stands for once its aliases are expanded (Infinity for a cycle).
// Every alias inside a node comes before any alias naming that node, so its target is known.
function sizeOf(node: unknown, targets: Map<Alias, Node>, sizes: Map<Node, number>, open: Set<Node>): number {
  if (isAlias(node)) {
    const target = targets.get(node);
    return target === undefined ? 1 : sizeOf(target, targets, sizes, open);
  }
  if (isPair(node)) return sizeOf(node.key, targets, sizes, open) + sizeOf(node.value, targets, sizes, open);
  if (!isCollection(node)) return 1;
  const known = sizes.get(node);
  if (known !== undefined) return known;
  if (open.has(node)) return Infinity;
  open.add(node);
  let size = 1;
  for (const item of node.items) size += sizeOf(item, targets, sizes, open);
  open.delete(node);
  sizes.set(node, size);
  return size;
}
