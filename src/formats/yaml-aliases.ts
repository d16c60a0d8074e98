import type { Node } from 'yaml';
import type { YamlApi } from './yaml-package.js';

/**
 * Anchors and aliases checked before a YAML layer becomes an object: an alias must name an anchor
 * set before it, and not one of the collections it sits in (a cycle, which would make the layer an
 * endless object). The first alias is where a layer whose aliases expand too far is pointed at.
 */

/** What the walk found: the first broken alias and why, and the first alias at all. */
export interface AliasReport {
  broken?: { node: Node; reason: string };
  first?: Node;
}

/** Walks `root` in document order (anchors count from where they are set, as the yaml package resolves them). */
export function checkAliases(yaml: YamlApi, root: unknown): AliasReport {
  const report: AliasReport = {};
  const defined = new Set<string>();
  const open: string[] = [];
  const walk = (node: unknown): void => {
    if (report.broken || node === null || typeof node !== 'object') return;
    if (yaml.isAlias(node)) {
      report.first ??= node;
      if (!defined.has(node.source))
        report.broken = { node, reason: 'an alias with no anchor set before it' };
      else if (open.includes(node.source))
        report.broken = { node, reason: 'an alias inside the value its anchor names (a cycle)' };
      return;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor !== undefined) defined.add(anchor);
    if (anchor !== undefined) open.push(anchor);
    if (yaml.isMap(node)) {
      for (const pair of node.items) {
        walk(pair.key);
        walk(pair.value);
      }
    } else if (yaml.isSeq(node)) for (const item of node.items) walk(item);
    if (anchor !== undefined) open.pop();
  };
  walk(root);
  return report;
}
