/**
 * Identity numbers for cache keys: an object without a content form (a schema, a user-written
 * source, an SDK client) is known by a number given on first sight.
 */

const ids = new WeakMap<object, number>();
let nextId = 0;

/** A stable number for an object, for cache keys built from identity. */
export function identity(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = ++nextId;
    ids.set(value, id);
  }
  return id;
}

const interned = new Map<string, number>();

/**
 * A number per distinct text (a layer's content, an explicit env object's variables), so the key a
 * source carries is short and holds no value that may be secret. Numbers are never reused.
 */
export function internedId(text: string): number {
  let id = interned.get(text);
  if (id === undefined) {
    id = ++nextId;
    interned.set(text, id);
  }
  return id;
}

interface PartNode {
  next: Map<unknown, PartNode>;
  id?: number;
}
const partsRoot: PartNode = { next: new Map() };

/**
 * A number per distinct sequence of parts (an env object's names and values, in turn): each part is
 * one level of a tree of Maps, so no boundary between parts can be confused and no string is built.
 */
export function internedParts(parts: readonly unknown[]): number {
  let node = partsRoot;
  for (let i = 0; i < parts.length; i++) {
    let next = node.next.get(parts[i]);
    if (next === undefined) {
      next = { next: new Map() };
      node.next.set(parts[i], next);
    }
    node = next;
  }
  node.id ??= ++nextId;
  return node.id;
}
