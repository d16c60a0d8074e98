import { ConfigError } from './errors.js';
import { type Branch, isPlainObject, type Node } from './merge.js';
import type { LoadOptions, Provenance } from './types.js';

interface Origin {
  root: Branch;
  options: LoadOptions;
}

/** The merged tree and options behind each loaded config, for `explainConfig` (rows computed lazily). */
const origins = new WeakMap<object, Origin>();

export function recordOrigin(config: object, root: Branch, options: LoadOptions): void {
  origins.set(config, { root, options });
}

/** The options a loaded config was built from (for `strataconf/testing`). */
export function optionsOf(config: unknown): LoadOptions | undefined {
  return typeof config === 'object' && config !== null ? origins.get(config)?.options : undefined;
}

/** The node at `path`, or the nearest leaf above it (an array holding the path, a transformed value). */
function nodeFor(root: Node, path: string[]): Node | undefined {
  let node: Node | undefined = root;
  for (const key of path) {
    if (node === undefined || node.kind === 'leaf') return node;
    node = node.children.get(key);
  }
  return node;
}

function row(root: Branch, path: string[], value: unknown): Provenance {
  const node = nodeFor(root, path);
  if (node?.kind === 'leaf') return { path, value, source: node.source, overridden: [...node.overridden] };
  return { path, value, source: node ? node.source : 'schema', overridden: [] };
}

/**
 * Where every leaf of a loaded config came from: the source that set it and the earlier sources
 * whose value it replaced. Arrays are leaves; a value only the schema supplied names `schema`.
 *
 * @example
 * ```ts
 * const config = await loadConfig(options);
 * for (const p of explainConfig(config)) console.log(p.path.join('.'), p.source, p.overridden);
 * ```
 */
export function explainConfig(config: unknown): Provenance[] {
  const root = typeof config === 'object' && config !== null ? origins.get(config)?.root : undefined;
  if (!root)
    throw new ConfigError('USAGE', 'explainConfig expects a config returned by loadConfig or load()');
  const rows: Provenance[] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const key of Object.keys(value)) walk(value[key], [...path, key]);
    } else rows.push(row(root, path, value));
  };
  walk(config, []);
  return rows;
}
