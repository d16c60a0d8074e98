import { MAX_DEPTH } from '../layer-tree.js';
import type { YamlApi } from './yaml-package.js';

/**
 * How deep a YAML text nests, measured on the yaml package's token tree before it builds a document.
 * Building one recurses once per level, and the package stops a stack overflow only by catching it:
 * near the stack's end V8 can abort the whole process instead (seen with 20,000 `[`), so a layer
 * nested deeper than a configuration ever is never gets that far. The walk has its own stack.
 */

interface TokenLike {
  type?: string;
  offset?: number;
  value?: unknown;
  items?: { key?: unknown; value?: unknown }[];
}

/** The offset of the first collection nested deeper than `MAX_DEPTH`, or `undefined`. */
export function tooDeepAt(yaml: YamlApi, text: string): number | undefined {
  const pending: [TokenLike | undefined, number][] = [];
  for (const token of new yaml.Parser().parse(text)) pending.push([token as TokenLike, 0]);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [token, depth] = next;
    if (token === undefined || token === null) continue;
    if (token.type === 'document') pending.push([token.value as TokenLike, depth]);
    else if (Array.isArray(token.items)) {
      if (depth >= MAX_DEPTH) return token.offset ?? 0;
      for (const item of token.items) {
        pending.push([item.key as TokenLike, depth + 1], [item.value as TokenLike, depth + 1]);
      }
    }
  }
  return undefined;
}
