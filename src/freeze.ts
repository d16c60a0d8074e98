/**
 * Freezes objects and arrays all the way down, in place; plain objects stay plain (no Proxy). Typed
 * arrays and Buffers (a certificate from a schema transform) are left as they are: JavaScript cannot
 * freeze an array buffer view with elements (`Object.freeze` throws).
 */
export function deepFreeze<T>(value: T, seen = new WeakSet<object>()): T {
  if (typeof value !== 'object' || value === null || seen.has(value) || ArrayBuffer.isView(value))
    return value;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key], seen);
  return Object.freeze(value);
}
