import { ConfigError, formatPath } from './errors.js';

/**
 * A layer as a tree of nodes: each leaf remembers which source set it, what it replaced, and whether
 * it is a `$default` or an `$override` placeholder. Converting a layer checks it on the way: forbidden
 * keys (`UNSAFE_KEY`), nesting depth and marker syntax (`PARSE_ERROR`). Merging is in merge.ts.
 */

export type Marker = 'none' | 'default' | 'override';

export interface Leaf {
  kind: 'leaf';
  value: unknown;
  source: string;
  marker: Marker;
  /** The `$override` doc string. */
  doc?: string;
  /** Earlier sources whose value this leaf replaced. */
  overridden: string[];
}

export interface Branch {
  kind: 'branch';
  children: Map<string, Node>;
  /** The layer that first brought this object (for an empty object's provenance). */
  source: string;
  /**
   * The root only: a layer that is a whole `{ "$override": "doc" }` (the config must come from a
   * later layer), until a later layer that sets something replaces it.
   */
  override?: Leaf;
}

export type Node = Leaf | Branch;

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Deeper than this is a broken or hostile layer, not configuration; stops stack exhaustion. */
export const MAX_DEPTH = 100;

export function isUnsafeKey(key: string): boolean {
  return UNSAFE_KEYS.has(key);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || !Object.hasOwn(proto, 'constructor');
}

export function createRoot(): Branch {
  return { kind: 'branch', children: new Map(), source: '' };
}

function unsafeKey(source: string, path: string[], key: string): ConfigError {
  const where = formatPath([...path, key]);
  return new ConfigError(
    'UNSAFE_KEY',
    `${source}: the key "${key}" at ${where} is not allowed in configuration`,
    {
      source,
      path: [...path, key],
    },
  );
}

function tooDeep(source: string, path: string[]): ConfigError {
  return new ConfigError(
    'PARSE_ERROR',
    `${source}: nesting deeper than ${MAX_DEPTH} levels at ${formatPath(path.slice(0, 3))}...`,
    { source, path: path.slice(0, 3) },
  );
}

/**
 * `[...path, key]`, without the iterator protocol a spread runs (a cold load runs this once per key,
 * mostly in V8's interpreter; `concat` is slower still, as it checks every argument for spreading).
 */
export function childPath(path: string[], key: string): string[] {
  const out = path.slice();
  out.push(key);
  return out;
}

/** Throws `UNSAFE_KEY` for a forbidden key, or a plain object built with a `__proto__` literal. */
function checkKeys(value: object, source: string, path: string[]): string[] {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && !Array.isArray(value))
    throw unsafeKey(source, path, '__proto__');
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (UNSAFE_KEYS.has(key)) throw unsafeKey(source, path, key);
  }
  return keys;
}

/** Checks a leaf's insides (arrays, objects in arrays) for unsafe keys and depth. */
function checkLeaf(value: unknown, source: string, path: string[], depth: number): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_DEPTH) throw tooDeep(source, path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      // Scalars in arrays need no check: skip the call (and the path) for them.
      if (typeof item === 'object' && item !== null)
        checkLeaf(item, source, childPath(path, String(i)), depth + 1);
    }
    return;
  }
  if (!isPlainObject(value)) return;
  const keys = checkKeys(value, source, path);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    checkLeaf(value[key], source, childPath(path, key), depth + 1);
  }
}

/** The first marker key of an object, if any. */
function findMarker(keys: string[]): '$override' | '$default' | undefined {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === '$override' || key === '$default') return key;
  }
  return undefined;
}

/**
 * An `$override`'s doc as text: a string (a number or a boolean written as one). Anything else (an
 * object, an array, null) is a broken marker, not a doc to print: `String()` of an object without a
 * prototype would even throw.
 */
function overrideDoc(doc: unknown, source: string, path: string[]): string {
  if (typeof doc === 'string') return doc;
  if (typeof doc === 'number' || typeof doc === 'boolean') return String(doc);
  throw new ConfigError(
    'PARSE_ERROR',
    `${source}: "$override" at ${formatPath(path)} takes a string (why the value is needed and where to set it)`,
    { source, path },
  );
}

/** A whole layer `{ "$default": value }`: the value becomes the layer, which only an object can be. */
function checkRootDefault(value: unknown, source: string): void {
  if (isPlainObject(value)) return;
  throw new ConfigError(
    'PARSE_ERROR',
    `${source}: a "$default" that is the whole layer must hold an object (a config is an object, not a single value)`,
    { source, path: [] },
  );
}

/**
 * A leaf's `overridden` until a merge replaces it. Leaves share it: it is only ever replaced, never
 * changed in place (frozen, so a change would throw), and a cold load then allocates one object
 * less per key, which the young-generation collections copy (measured in BENCHMARKS.md).
 */
const NOT_OVERRIDDEN = Object.freeze([]) as unknown as string[];

function leafNode(value: unknown, source: string, inDefault: boolean): Leaf {
  return { kind: 'leaf', value, source, marker: inDefault ? 'default' : 'none', overridden: NOT_OVERRIDDEN };
}

/**
 * Converts one layer's value (markers included) into a node tree, checking keys as it goes. A cold
 * load runs this once per key, mostly in V8's interpreter: indexed loops and `childPath` instead of
 * iterators and spreads, and a scalar child becomes a leaf without a call or a path of its own
 * (measured in BENCHMARKS.md).
 */
export function toNode(value: unknown, source: string, path: string[] = [], inDefault = false): Node {
  if (path.length > MAX_DEPTH) throw tooDeep(source, path);
  if (!isPlainObject(value)) {
    checkLeaf(value, source, path, path.length);
    return leafNode(value, source, inDefault);
  }
  const keys = checkKeys(value, source, path);
  const marker = findMarker(keys);
  if (marker !== undefined && keys.length > 1) {
    throw new ConfigError(
      'PARSE_ERROR',
      `${source}: "${marker}" at ${formatPath(path)} must be the only key of its object`,
      { source, path },
    );
  }
  if (marker === '$override') {
    // The doc is never walked, but a forbidden key in it is still a forbidden key in the layer.
    checkLeaf(value.$override, source, [...path, '$override'], path.length + 1);
    return {
      kind: 'leaf',
      value: undefined,
      source,
      marker: 'override',
      doc: overrideDoc(value.$override, source, path),
      overridden: NOT_OVERRIDDEN,
    };
  }
  if (marker === '$default') {
    if (path.length === 0) checkRootDefault(value.$default, source);
    return toNode(value.$default, source, path, true);
  }
  const children = new Map<string, Node>();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const child: unknown = value[key];
    // What toNode does for a scalar below the depth limit: a leaf, nothing to check.
    if ((typeof child !== 'object' || child === null) && path.length < MAX_DEPTH)
      children.set(key, leafNode(child, source, inDefault));
    else children.set(key, toNode(child, source, childPath(path, key), inDefault));
  }
  return { kind: 'branch', children, source };
}

/** Finds the node at `path`, or undefined. */
export function lookup(root: Node, path: readonly string[]): Node | undefined {
  let node: Node | undefined = root;
  for (const key of path) {
    if (node?.kind !== 'branch') return undefined;
    node = node.children.get(key);
  }
  return node;
}
