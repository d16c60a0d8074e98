import { expect } from 'vitest';

/**
 * Shared by the prototype-pollution suites (files and fromObject, S3, CLI): where a forbidden key
 * can hide in a layer, the layer's text written with the key literally, and the check that
 * `Object.prototype` and `Object` are as they were when the suite started.
 */

export const UNSAFE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
export const PAYLOAD = { polluted: 'yes' };

type Shape = (key: string) => Record<string, unknown>;

const nest = (depth: number, key: string): Record<string, unknown> => {
  let value: Record<string, unknown> = { [key]: PAYLOAD };
  for (let i = 0; i < depth; i++) value = { [`level${i}`]: value };
  return value;
};

/** Where the key sits, by name; each shape puts the key `key` under that position. */
export const SHAPES: [string, Shape][] = [
  ['at the top', (k) => nest(0, k)],
  ['1 level deep', (k) => nest(1, k)],
  ['5 levels deep', (k) => nest(5, k)],
  ['inside a $default object', (k) => ({ outer: { $default: { [k]: PAYLOAD } } })],
  ['deep inside a $default object', (k) => ({ outer: { $default: { a: { b: { [k]: PAYLOAD } } } } })],
  [
    'inside a $default in a $default',
    (k) => ({ outer: { $default: { a: { $default: { [k]: PAYLOAD } } } } }),
  ],
  ['as the key holding an $override', (k) => ({ outer: { [k]: { $override: 'set it in prod' } } })],
  ['inside an $override value', (k) => ({ outer: { $override: { [k]: PAYLOAD } } })],
  ['inside an array', (k) => ({ list: [{ ok: 1 }, { [k]: PAYLOAD }] })],
  ['inside an array in a $default', (k) => ({ outer: { $default: [[{ [k]: PAYLOAD }]] } })],
];

/** The shapes crossed with the keys, as `[key, where, shape]` rows for `it.each`. */
export const CASES = SHAPES.flatMap(([where, shape]) =>
  UNSAFE_KEYS.map((key) => [key, where, shape] as const),
);

/** JSON text with the key written literally (JSON.stringify of a JS object would drop `__proto__`). */
export function jsonText(shape: Shape, key: string): string {
  return JSON.stringify(shape('KEY')).replace('"KEY"', JSON.stringify(key));
}

/**
 * The same layer in JSON5 syntax (bare keys, single quotes, a comment, trailing commas), so the json5
 * parser reads it: `JSON.parse` runs first and would accept plain JSON text in a `.json5` file.
 */
export function json5Text(shape: Shape, key: string): string {
  const bare = jsonText(shape, key)
    .replace(/"([A-Za-z_$][\w$]*)":/g, '$1:')
    .replace(/"([^"]*)"/g, "'$1'")
    .replace(/}$/, ',}');
  return `// a layer with a forbidden key\n${bare}\n`;
}

/** A value in YAML block style, keys written literally (plain scalars), `indent` spaces in. */
function yamlBlock(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    return value
      .map((item) => `\n${indent}-${yamlBlock(item, `${indent}  `).replace(/^\n\s*/, ' ')}`)
      .join('');
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([k, v]) => `\n${indent}${k}:${yamlBlock(v, `${indent}  `)}`)
      .join('');
  }
  return ` ${JSON.stringify(value)}`;
}

/** The same layer in YAML block style (the yaml parser reads it), with a comment, the key written literally. */
export function yamlText(shape: Shape, key: string): string {
  return `# a layer with a forbidden key${yamlBlock(shape('KEY'), '').replace(/^(\s*(?:- )*)KEY:/m, `$1${key}:`)}\n`;
}

const snapshot = (target: object) =>
  new Map(Reflect.ownKeys(target).map((k) => [k, Object.getOwnPropertyDescriptor(target, k)]));
const before = { proto: snapshot(Object.prototype), object: snapshot(Object) };

function sameAs(target: object, was: ReturnType<typeof snapshot>): void {
  const now = snapshot(target);
  expect([...now.keys()]).toEqual([...was.keys()]);
  for (const [k, d] of now) expect(d).toEqual(was.get(k));
}

/** `Object.prototype` and `Object` have exactly the properties (and values) they had at import. */
export function untouched(): void {
  sameAs(Object.prototype, before.proto);
  sameAs(Object, before.object);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys({})).toEqual([]);
}
