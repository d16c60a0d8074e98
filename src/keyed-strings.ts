import { ConfigError, formatPath } from './errors.js';
import { parseJson5Value } from './formats/json.js';
import type { ResolveContext } from './layer-meta.js';
import { isPlainObject, isUnsafeKey, lookup, type Node } from './layer-tree.js';
import { schemaKeys, schemaKind, type ValueKind } from './schema.js';

/**
 * Named strings to a layer, the way environment variables and SSM parameters become config: each
 * name's segments match the keys the schema and the lower layers already have, and each value is
 * coerced to what its path expects. Runs at merge time, after the lower layers are merged.
 */

/** One named string: an env variable or an SSM parameter, the path it resolved to and its text. */
export interface KeyedString {
  /** What it is called in messages: `APP_DB__PORT`, `/orders/prod/db/port`. */
  name: string;
  path: string[];
  raw: string;
  /** A value already typed by its store (an SSM StringList), set as it is. */
  value?: unknown;
  /** Set by fromEnv's `map` (the path is the user's), not derived from the name. */
  fromMap?: boolean;
}

/** How a store's names read in messages and details: `variable` (env), `parameter` (SSM). */
export type EntryLabel = 'variable' | 'parameter';

/** What a segment is compared by: case-insensitive, `_` and `-` ignored. */
function normalize(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** `THREAD_POOL` -> `threadPool`. */
export function camelCase(segment: string): string {
  const words = segment.toLowerCase().split(/[_-]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w : w[0]?.toUpperCase() + w.slice(1))).join('');
}

export function unsafeKey(source: string, entry: string, key: string, label: EntryLabel): ConfigError {
  return new ConfigError('UNSAFE_KEY', `${source}: ${entry} names the key "${key}", which is not allowed`, {
    source,
    [label]: entry,
    path: [key],
  });
}

/** Keys that exist at `path`: the schema's and the lower layers'. */
function knownKeys(schema: unknown, below: Node, path: string[]): string[] {
  const node = lookup(below, path);
  const fromLayers = node?.kind === 'branch' ? [...node.children.keys()] : [];
  return [...schemaKeys(schema, path), ...fromLayers];
}

/**
 * The path `segments` name: each matches a known key at its depth, else becomes `fallback(segment)`.
 */
export function resolveSegments(
  entry: string,
  segments: readonly string[],
  ctx: ResolveContext,
  opts: { label: EntryLabel; fallback?: (segment: string) => string },
): string[] {
  const path: string[] = [];
  for (const segment of segments) {
    if (segment === '') {
      throw new ConfigError('VALIDATION_ERROR', `${ctx.source}: ${entry} has an empty path segment`, {
        source: ctx.source,
        [opts.label]: entry,
      });
    }
    if (segment.toLowerCase().includes('__proto__'))
      throw unsafeKey(ctx.source, entry, '__proto__', opts.label);
    const wanted = normalize(segment);
    const key =
      knownKeys(ctx.schema, ctx.below, path).find((k) => normalize(k) === wanted) ??
      (opts.fallback ?? camelCase)(segment);
    if (isUnsafeKey(key) || key === '') throw unsafeKey(ctx.source, entry, key || segment, opts.label);
    path.push(key);
  }
  return path;
}

/** What the value at `path` should be: the schema says first, else the lower layer's value. */
function expectedKind(schema: unknown, below: Node, path: string[]): ValueKind {
  const fromSchema = schemaKind(schema, path);
  if (fromSchema !== 'unknown') return fromSchema;
  const node = lookup(below, path);
  if (node === undefined) return 'unknown';
  if (node.kind === 'branch') return 'object';
  const v = node.value;
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return typeof v as ValueKind;
  return isPlainObject(v) ? 'object' : 'unknown';
}

async function coerce(
  entry: KeyedString,
  kind: ValueKind,
  source: string,
  label: EntryLabel,
): Promise<unknown> {
  const { raw } = entry;
  const fail = (): never => {
    throw new ConfigError(
      'VALIDATION_ERROR',
      `${source}: ${entry.name} must be ${kind === 'array' || kind === 'object' ? `JSON5 ${kind === 'array' ? 'array' : 'object'} text` : `a ${kind}`} (for ${formatPath(entry.path)})`,
      { source, [label]: entry.name, path: entry.path, expected: kind },
    );
  };
  switch (kind) {
    case 'number': {
      const n = raw.trim() === '' ? Number.NaN : Number(raw);
      return Number.isFinite(n) ? n : fail();
    }
    case 'boolean': {
      const b = raw.trim().toLowerCase();
      if (b === 'true' || b === '1') return true;
      if (b === 'false' || b === '0') return false;
      throw new ConfigError(
        'VALIDATION_ERROR',
        `${source}: ${entry.name} must be a boolean: true, false, 1 or 0, in any case (for ${formatPath(entry.path)})`,
        { source, [label]: entry.name, path: entry.path, expected: kind },
      );
    }
    case 'array':
    case 'object': {
      const value = await parseJson5Value(raw).catch(fail);
      return (kind === 'array' ? Array.isArray(value) : isPlainObject(value)) ? value : fail();
    }
    default:
      return raw;
  }
}

function setIn(layer: Record<string, unknown>, path: string[], value: unknown): void {
  let node = layer;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (isPlainObject(next)) node = next;
    else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  node[path[path.length - 1] as string] = value;
}

/** Builds a layer from entries, each value coerced to what the schema (else the layer below) expects. */
export async function layerFromEntries(
  entries: readonly KeyedString[],
  ctx: ResolveContext,
  label: EntryLabel,
): Promise<Record<string, unknown>> {
  // Shallow paths first, so `APP_DB='{...}'` and `APP_DB__PORT=1` combine instead of erasing each other.
  const ordered = [...entries].sort((a, b) => a.path.length - b.path.length);
  const layer: Record<string, unknown> = {};
  for (const entry of ordered) {
    const value =
      entry.value !== undefined
        ? entry.value
        : await coerce(entry, expectedKind(ctx.schema, ctx.below, entry.path), ctx.source, label);
    setIn(layer, entry.path, value);
  }
  return layer;
}
