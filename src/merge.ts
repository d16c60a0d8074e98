import { type Branch, childPath, isPlainObject, type Leaf, type Node } from './layer-tree.js';

/**
 * The merge rules: objects merge key by key; everything else is a leaf that a later layer replaces
 * whole. Replacing an unmarked value with a different one is reported; every replaced value is
 * checked, and the leaves that replace remember the sources they replaced (provenance).
 */

/** A layer replaced an unmarked value with a different one. */
export interface OverrideEvent {
  path: string[];
  /** Sources of the value that was replaced. */
  from: string[];
  /** The source that replaced it. */
  by: string;
}

function* leaves(node: Node): Generator<Leaf> {
  if (node.kind === 'leaf') yield node;
  else for (const child of node.children.values()) yield* leaves(child);
}

/** A value may be replaced silently when it is a marker, or an object made only of markers. */
function isReplaceableSilently(node: Node): boolean {
  for (const leaf of leaves(node)) if (leaf.marker === 'none') return false;
  return true;
}

type DeepStrictEqual = (a: unknown, b: unknown) => boolean;
let strictEqual: DeepStrictEqual | undefined;

/**
 * `node:util`'s `isDeepStrictEqual`, fetched on first use: an `import` of `node:util` from an ES
 * module loads Node internals (parse_args, mime, abort_controller) that a cold start never needs,
 * and only values that are not plain data (a Date, a Map, a Buffer from a user-written source) come
 * here. Node before 20.16 has no `getBuiltinModule`: such values then count as different, so a
 * replacement is reported rather than dropped.
 */
function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  strictEqual ??=
    (process.getBuiltinModule?.('node:util') as typeof import('node:util') | undefined)?.isDeepStrictEqual ??
    (() => false);
  return strictEqual(a, b);
}

/**
 * Equal values are no override. Plain objects and arrays are walked here (the common case, cheap on
 * a cold load); anything else (a Date, a Map, a Set, a typed array, a Buffer) is compared by
 * `isDeepStrictEqual`, since its own keys alone do not hold its value. NaN equals NaN, 0 equals -0.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const arrayA = Array.isArray(a);
  if (arrayA !== Array.isArray(b)) return false;
  if (!arrayA && !(isPlainObject(a) && isPlainObject(b))) return isDeepStrictEqual(a, b);
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(rb, k) && deepEqual((a as Record<string, unknown>)[k], rb[k]));
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/**
 * The general replacement below, for its common case (a leaf over a leaf), without walking either
 * side with generators: a cold load replaces every overridden key this way.
 */
function replaceLeaf(
  old: Leaf,
  incoming: Leaf,
  path: string[],
  report: (event: OverrideEvent) => void,
): Leaf {
  const from = [old.source];
  if (old.marker === 'none') report({ path, from, by: incoming.source });
  const history = unique([...old.overridden, old.source]);
  incoming.overridden = unique([...history, ...incoming.overridden]);
  return incoming;
}

/** Merges `incoming` over `old` at `path`, reporting unexpected overrides; returns the node to keep. */
export function mergeNode(
  old: Node | undefined,
  incoming: Node,
  path: string[],
  report: (event: OverrideEvent) => void,
): Node {
  if (old === undefined) return incoming;
  if (old.kind === 'branch' && incoming.kind === 'branch') {
    const children = old.children;
    incoming.children.forEach((child, key) => {
      children.set(key, mergeNode(children.get(key), child, childPath(path, key), report));
    });
    return old;
  }
  if (
    old.kind === 'leaf' &&
    incoming.kind === 'leaf' &&
    old.marker === 'none' &&
    deepEqual(old.value, incoming.value)
  ) {
    // An equal value is no override: keep the first source that set it, and any later marker is moot.
    return old;
  }
  if (old.kind === 'leaf' && incoming.kind === 'leaf') return replaceLeaf(old, incoming, path, report);
  const replaced = [...leaves(old)];
  const from = unique(replaced.map((leaf) => leaf.source));
  if (!isReplaceableSilently(old)) report({ path, from, by: incoming.source });
  const history = unique([...replaced.flatMap((leaf) => leaf.overridden), ...from]);
  for (const leaf of leaves(incoming)) leaf.overridden = unique([...history, ...leaf.overridden]);
  return incoming;
}

/**
 * Merges a whole layer into the root. A layer that is one `{ "$override": "doc" }` replaces the
 * config below it like any later layer (reporting the unmarked values it replaces), and the config
 * must then come from a later layer: the first later one that sets anything replaces it, silently.
 * A layer that sets nothing (`{}`) changes nothing, here as anywhere.
 */
export function mergeRoot(root: Branch, incoming: Node, report: (event: OverrideEvent) => void): void {
  if (incoming.kind === 'leaf') {
    // Only an $override gets here: a layer is an object, and a whole-layer $default must hold one.
    root.override = mergeNode(root.override ?? root, incoming, [], report) as Leaf;
    root.children.clear();
    return;
  }
  if (root.override === undefined) {
    mergeNode(root, incoming, [], report);
    return;
  }
  if (incoming.children.size === 0) return;
  mergeNode(root.override, incoming, [], report);
  root.override = undefined;
  root.source = incoming.source;
  for (const [key, child] of incoming.children) root.children.set(key, child);
}

/** An `$override` placeholder that no later layer set. */
export interface MissingOverride {
  path: string[];
  doc: string;
  source: string;
}

/** Copies plain data so the frozen result never shares objects with a caller's layer. */
function copyData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyData);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyData(value[key]);
  return out;
}

/**
 * A check run at each key of the merged tree while `materialize` walks it (the unknown-key check):
 * `child` gets the scope of the parent and returns its child's, or undefined to stop checking below.
 */
export interface KeyCheck<S> {
  root: S;
  child(scope: S, key: string, node: Node, parentPath: string[]): S | undefined;
}

/** Turns the merged tree into a plain object, listing every unset `$override`; runs `check` on the way. */
export function materialize<S>(
  root: Branch,
  check?: KeyCheck<S>,
): { value: Record<string, unknown>; missing: MissingOverride[] } {
  const missing: MissingOverride[] = [];
  const build = (node: Branch, path: string[], scope: S | undefined): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    node.children.forEach((child, key) => {
      const next = scope === undefined ? undefined : check?.child(scope, key, child, path);
      if (child.kind === 'branch') out[key] = build(child, childPath(path, key), next);
      else if (child.marker === 'override')
        missing.push({ path: childPath(path, key), doc: child.doc ?? '', source: child.source });
      else {
        const value = child.value;
        out[key] = typeof value === 'object' && value !== null ? copyData(value) : value;
      }
    });
    return out;
  };
  if (root.override !== undefined) {
    const { doc, source } = root.override;
    return { value: {}, missing: [{ path: [], doc: doc ?? '', source }] };
  }
  return { value: build(root, [], check?.root), missing };
}
