import { ConfigError } from './errors.js';
import { layerVersion } from './layer-meta.js';
import { type Branch, isPlainObject, type Node } from './layer-tree.js';
import { redactAt } from './secrets.js';
import type { LoadOptions, Provenance } from './types.js';

interface Origin {
  root: Branch;
  options: LoadOptions;
  /** Source name -> the version of its layer this config was built from (S3: ETag, versionId). */
  versions: Map<string, string>;
}

/** The merged tree and options behind each loaded config, for `explainConfig` (rows computed lazily). */
const origins = new WeakMap<object, Origin>();

export function recordOrigin(
  config: object,
  root: Branch,
  options: LoadOptions,
  layers: readonly unknown[] = [],
): void {
  const versions = new Map<string, string>();
  for (const [i, layer] of layers.entries()) {
    const version = layerVersion(layer);
    const source = options.sources[i];
    if (version !== undefined && source) versions.set(source.name, version);
  }
  origins.set(config, { root, options, versions });
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

function row(origin: Origin, path: string[], value: unknown): Provenance {
  const node = nodeFor(origin.root, path);
  const source = node ? node.source : 'schema';
  const overridden = node?.kind === 'leaf' ? [...node.overridden] : [];
  const version = origin.versions.get(source);
  const provenance: Provenance = { path, value, source, overridden };
  // Readable as `row.sourceVersion`, but not enumerable: a row keeps its documented exact shape
  // `{ path, value, source, overridden }` for equality checks and JSON.
  if (version !== undefined)
    Object.defineProperty(provenance, 'sourceVersion', { value: version, enumerable: false });
  return provenance;
}

/** Options of {@link explainConfig}. */
export interface ExplainOptions {
  /**
   * Show secret values in the rows. By default a secret leaf's `value` is `"[redacted]"` (and an
   * array holding secrets is a redacted copy), so rows can go to a log as they are.
   * @default false
   */
  showSecrets?: boolean;
}

/**
 * Where every leaf of a loaded config came from: the source that set it and the earlier sources
 * whose value it replaced. Arrays are leaves; a value only the schema supplied names `schema`.
 * Secret values (the ones `redact` hides) show as `"[redacted]"` unless `showSecrets` is set.
 *
 * @example
 * ```ts
 * export const handler = async (event, context) => {
 *   const config = await definition.load({ context });
 *   for (const row of explainConfig(config)) console.debug(row.path.join('.'), 'from', row.source);
 * };
 * ```
 */
export function explainConfig(config: unknown, options: ExplainOptions = {}): Provenance[] {
  const origin = typeof config === 'object' && config !== null ? origins.get(config) : undefined;
  if (!origin)
    throw new ConfigError('USAGE', 'explainConfig expects a config returned by loadConfig or load()');
  const rows: Provenance[] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const key of Object.keys(value)) walk(value[key], [...path, key]);
    } else rows.push(row(origin, path, options.showSecrets ? value : redactAt(config, path, value)));
  };
  walk(config, []);
  return rows;
}
