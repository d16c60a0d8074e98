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
