import { identity, internedId } from './identity.js';

/**
 * The content of a `fromObject` layer (or an explicit `env` object) as text, for the cache key: two
 * values with one text load equal configs. JSON is not enough: it writes a Map, a Set and a Buffer's
 * view as `{}`, drops `undefined` and functions, turns NaN into `null`, and throws on a bigint or a
 * cycle. Here every value a layer can hold is written by what it holds; what has no content form (a
 * class instance, a function, a symbol) is written by its identity, so it never matches another.
 */

/** Symbols have no content and cannot be WeakMap keys everywhere: numbered on first sight. */
const symbols = new Map<symbol, number>();

function symbolId(value: symbol): number {
  let id = symbols.get(value);
  if (id === undefined) {
    id = symbols.size + 1;
    symbols.set(value, id);
  }
  return id;
}

/** Bytes of a Buffer, a typed array, a DataView or an ArrayBuffer, tagged with the kind of view. */
function bytes(value: ArrayBufferView | ArrayBuffer): string {
  const view = ArrayBuffer.isView(value)
    ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
    : new Uint8Array(value);
  let hex = '';
  for (let i = 0; i < view.length; i++) hex += (view[i] as number).toString(16).padStart(2, '0');
  return `${Object.prototype.toString.call(value)}${hex}`;
}

/** A plain object: the merge reads its own enumerable string keys, in their order. */
function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || !Object.hasOwn(proto, 'constructor');
}

/** Thrown (and caught by {@link contentKey}) when a value refers back to an object it is inside. */
const CYCLE = Symbol('cycle');

function write(value: unknown, out: string[], path: Set<object>): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      // -0 and 0 are different leaves (Object.is), NaN is NaN: String() says so, JSON does not.
      out.push(Object.is(value, -0) ? '-0' : String(value));
      return;
    case 'bigint':
      out.push(`${value}n`);
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'undefined':
      out.push('undefined');
      return;
    case 'symbol':
      out.push(`symbol#${symbolId(value)}`);
      return;
    case 'function':
      out.push(`function#${identity(value)}`);
      return;
  }
  if (value === null) {
    out.push('null');
    return;
  }
  writeObject(value as object, out, path);
}

function writeObject(value: object, out: string[], path: Set<object>): void {
  if (path.has(value)) throw CYCLE;
  path.add(value);
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], out, path);
    }
    out.push(']');
  } else if (isPlain(value)) {
    out.push('{');
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      out.push(JSON.stringify(key), ':');
      write(record[key], out, path);
      out.push(',');
    }
    out.push('}');
  } else writeInstance(value, out, path);
  path.delete(value);
}

/** A value that is not plain data: by what it holds where that is all there is to it, else by identity. */
function writeInstance(value: object, out: string[], path: Set<object>): void {
  if (value instanceof Date) out.push(`Date(${value.getTime()})`);
  else if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) out.push(bytes(value));
  else if (value instanceof RegExp) out.push(`RegExp(${JSON.stringify(String(value))})`);
  else if (value instanceof Map) {
    out.push('Map{');
    for (const [k, v] of value) {
      write(k, out, path);
      out.push('=>');
      write(v, out, path);
      out.push(',');
    }
    out.push('}');
  } else if (value instanceof Set) {
    out.push('Set{');
    for (const item of value) {
      write(item, out, path);
      out.push(',');
    }
    out.push('}');
  } else if (value instanceof String || value instanceof Number || value instanceof Boolean) {
    out.push(`${Object.prototype.toString.call(value)}(`);
    write(value.valueOf(), out, path);
    out.push(')');
  } else out.push(`instance#${identity(value)}`);
}

/**
 * True when JSON writes `value` exactly: strings, finite numbers other than -0, booleans, null,
 * dense arrays and objects with `Object.prototype` (or none) of such values. Then the native
 * `JSON.stringify` is the content, which a handler that builds its layer on every call (a few
 * microseconds) is glad of; anything else takes the walk above.
 */
function isJsonExact(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (depth > 64) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isJsonExact(value[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      const record = value as Record<string, unknown>;
      for (const key in record) if (!isJsonExact(record[key], depth + 1)) return false;
      return true;
    }
    default:
      // undefined (in an array: a hole too), a bigint, a function, a symbol.
      return false;
  }
}

/**
 * `value`'s content as text: equal texts mean equal layers. A value that cannot be read through (a
 * cycle, a getter that throws, nesting deep enough to exhaust the stack) is known by its identity.
 * The two forms start with different letters, so a JSON text never equals a walked one.
 */
export function contentKey(value: object): string {
  try {
    if (isJsonExact(value, 0)) return `j${JSON.stringify(value)}`;
    const out: string[] = ['w'];
    write(value, out, new Set());
    return out.join('');
  } catch {
    return `#${identity(value)}`;
  }
}

/**
 * The cache identity of a `fromObject` layer: its content, interned to a number (so the key the
 * source carries holds no value). Here rather than in descriptor.ts, so only a handler that uses
 * fromObject bundles the content walk.
 */
export function objectKey(value: object): string {
  return `object#${internedId(contentKey(value))}`;
}
