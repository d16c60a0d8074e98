import { isDeepStrictEqual } from 'node:util';

/** The contract's "equal value": a plain object is its keys and values, whatever its prototype (null or Object's). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  const proto = typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : undefined;
  if (proto === null || proto === Object.prototype) {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(plain(a), plain(b));
}

/**
 * A reference model of the merge rules, written from the contract rather than from src/merge.ts, for
 * the property tests: plain objects merge key by key, anything else is a leaf a later layer replaces
 * whole; `{ $default }` and `{ $override }` may be replaced silently; replacing any other value with
 * a different one is an unexpected override; an equal value is no override; every value keeps the
 * sources whose values it replaced.
 */

type Marker = 'none' | 'default' | 'override';
type ModelNode =
  | { leaf: true; value: unknown; source: string; marker: Marker; overridden: string[] }
  | { leaf: false; source: string; children: Map<string, ModelNode> };

export interface ModelEvent {
  path: string[];
  from: string[];
  by: string;
}

export interface ModelRow {
  path: string[];
  value: unknown;
  source: string;
  overridden: string[];
}

export interface ModelResult {
  /** The merged config, or the paths of the `$override`s no later layer set. */
  value: Record<string, unknown>;
  /** A layer that is `{ $default: <not an object> }`: no config root, a parse error. */
  invalidRoot?: boolean;
  missing: string[][];
  events: ModelEvent[];
  rows: ModelRow[];
}

/** A plain object: `{}`-made, or with no prototype at all. */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v));

function build(value: unknown, source: string, marker: Marker = 'none'): ModelNode {
  if (isObject(value) && Object.keys(value).length === 1 && '$override' in value)
    return { leaf: true, value: undefined, source, marker: 'override', overridden: [] };
  if (isObject(value) && Object.keys(value).length === 1 && '$default' in value)
    return build(value.$default, source, 'default');
  if (!isObject(value)) return { leaf: true, value, source, marker, overridden: [] };
  const children = new Map(Object.entries(value).map(([k, v]) => [k, build(v, source, marker)]));
  return { leaf: false, source, children };
}

function leavesOf(node: ModelNode): Extract<ModelNode, { leaf: true }>[] {
  return node.leaf ? [node] : [...node.children.values()].flatMap(leavesOf);
}

const union = (...lists: string[][]) => [...new Set(lists.flat())].sort();

function merge(old: ModelNode | undefined, next: ModelNode, path: string[], events: ModelEvent[]): ModelNode {
  if (old === undefined) return next;
  if (!old.leaf && !next.leaf) {
    for (const [k, child] of next.children)
      old.children.set(k, merge(old.children.get(k), child, [...path, k], events));
    return old;
  }
  if (old.leaf && next.leaf && old.marker === 'none' && sameValue(old.value, next.value)) return old;
  const replaced = leavesOf(old);
  if (replaced.some((leaf) => leaf.marker === 'none'))
    events.push({ path, from: union(replaced.map((l) => l.source)), by: next.source });
  const history = union(...replaced.map((l) => [...l.overridden, l.source]));
  for (const leaf of leavesOf(next)) leaf.overridden = union(history, leaf.overridden);
  return next;
}

function materialize(node: ModelNode, path: string[], out: ModelResult): unknown {
  if (node.leaf) {
    out.rows.push({ path, value: node.value, source: node.source, overridden: node.overridden });
    return node.value;
  }
  const value: Record<string, unknown> = {};
  for (const [k, child] of node.children) {
    if (child.leaf && child.marker === 'override') out.missing.push([...path, k]);
    else value[k] = materialize(child, [...path, k], out);
  }
  // An empty object is a row of its own, named after the layer that first brought it. (What it
  // replaced is not recorded: the library keeps no history for objects.)
  if (Object.keys(value).length === 0 && path.length > 0)
    out.rows.push({ path, value, source: node.source, overridden: [] });
  return value;
}

/**
 * Merges `layers` (named L0, L1, ...) by the rules above. A layer is a node like any value: a whole
 * layer `{ $override }` replaces the config below it, and must be replaced by a later layer; a layer
 * that sets nothing changes nothing (so it does not replace a whole-layer `$override` either); a
 * whole layer `{ $default: x }` with `x` not an object has no config root.
 */
export function modelMerge(layers: Record<string, unknown>[]): ModelResult {
  const events: ModelEvent[] = [];
  let root: ModelNode = { leaf: false, source: '', children: new Map() };
  for (const [i, layer] of layers.entries()) {
    const node = build(layer, `L${i}`);
    if (node.leaf && node.marker !== 'override')
      return { value: {}, missing: [], events, rows: [], invalidRoot: true };
    if (!node.leaf && node.children.size === 0) continue;
    root = merge(root, node, [], events);
  }
  const out: ModelResult = { value: {}, missing: [], events, rows: [] };
  if (root.leaf) out.missing.push([]);
  else out.value = materialize(root, [], out) as Record<string, unknown>;
  return out;
}
