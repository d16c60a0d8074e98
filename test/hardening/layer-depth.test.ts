import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, resetConfigCache, type Source } from '../../src/index.js';
import { configError } from '../helpers.js';

/**
 * The checks a layer passes on its way into the merge, at their edges: nesting is allowed to
 * exactly 100 levels and refused at 101 (objects, arrays, and objects inside arrays alike), with a
 * message naming the first three keys of the path; forbidden keys are found inside arrays, inside
 * objects inside arrays, and inside an `$override`'s text, wherever they are.
 */

afterEach(() => resetConfigCache());

const user = (value: unknown): Source => ({ name: 'user', load: async () => value as object });
const load = (value: unknown) => loadConfig({ sources: [user(value)], logger: { warn() {} } });

/** `n` objects nested under `a`: the leaf is at path a.a...a (n keys). */
function objects(n: number): Record<string, unknown> {
  let value: unknown = 1;
  for (let i = 0; i < n; i++) value = { a: value };
  return value as Record<string, unknown>;
}

/** `n` arrays nested in one another around the number 1. */
function arrays(n: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < n; i++) value = [value];
  return value;
}

/** `n` levels alternating an object `{ b: ... }` and an array `[...]`, from an object. */
function mixed(n: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < n; i++) value = i % 2 === 0 ? { b: value } : [value];
  return value;
}

describe('nesting depth', () => {
  it('loads objects nested exactly 100 levels deep', async () => {
    const config = (await load(objects(100))) as Record<string, unknown>;
    expect(JSON.stringify(config)).toBe(JSON.stringify(objects(100)));
  });

  it('refuses objects nested 101 levels deep, naming the first three keys', async () => {
    const err = await configError(load(objects(101)));
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toBe('user: nesting deeper than 100 levels at a.a.a...');
    expect(err.details).toEqual({ source: 'user', path: ['a', 'a', 'a'] });
  });

  it('loads an array, an empty object and null at depth 100, where no key can follow', async () => {
    for (const value of [[1], {}, null]) {
      const layer = objects(100);
      let inner = layer;
      for (let i = 0; i < 99; i++) inner = inner.a as Record<string, unknown>;
      inner.a = value;
      expect(JSON.stringify(await load(layer))).toBe(JSON.stringify(layer));
    }
  });

  it('refuses a marker beside other keys, naming where', async () => {
    const err = await configError(load({ db: { pool: { $default: 1, max: 2 } } }));
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toBe('user: "$default" at db.pool must be the only key of its object');
    expect(err.details).toEqual({ source: 'user', path: ['db', 'pool'] });
  });

  it('refuses an empty object 101 levels deep (a branch, not a leaf)', async () => {
    const err = await configError(load(objects(100).a === undefined ? {} : { x: objects(100) }));
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.details).toEqual({ source: 'user', path: ['x', 'a', 'a'] });
  });

  it('loads arrays nested 100 levels deep under a key, and refuses 101', async () => {
    expect(await load({ list: arrays(100) })).toEqual({ list: arrays(100) });
    const err = await configError(load({ list: arrays(101) }));
    expect(err.message).toBe('user: nesting deeper than 100 levels at list[0][0]...');
    expect(err.details).toEqual({ source: 'user', path: ['list', '0', '0'] });
  });

  it('counts objects inside arrays as levels', async () => {
    expect(await load({ m: mixed(100) })).toEqual({ m: mixed(100) });
    const err = await configError(load({ m: mixed(101) }));
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toBe('user: nesting deeper than 100 levels at m.b[0]...');
  });

  it('refuses an $override text that is an object, however deep', async () => {
    for (const doc of [objects(100), objects(1)]) {
      expect(await configError(load({ x: { $override: doc } }))).toMatchObject({ code: 'PARSE_ERROR' });
    }
  });

  it('loads an array of 100,000 scalars without a check per item', async () => {
    const list = Array.from({ length: 100_000 }, (_, i) => i);
    expect(((await load({ list })) as { list: number[] }).list).toHaveLength(100_000);
  });
});

/** A path as messages write it: `a[0].b`. */
const where = (path: string[]) =>
  path.map((k, i) => (/^\d+$/.test(k) ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');

const FORBIDDEN: [string, unknown, string[]][] = [
  ['an object in an array', { list: [{ ok: 1 }, { constructor: 1 }] }, ['list', '1', 'constructor']],
  [
    'an object in an array in an object in an array',
    { a: [{ b: [{ prototype: 1 }] }] },
    ['a', '0', 'b', '0', 'prototype'],
  ],
  [
    'an object in an array of arrays',
    { a: [[{ ok: 1 }, { constructor: 2 }]] },
    ['a', '0', '1', 'constructor'],
  ],
  [
    'a null-prototype object in an array',
    { a: [Object.assign(Object.create(null), { prototype: 1 })] },
    ['a', '0', 'prototype'],
  ],
  [
    'an object built with a __proto__ literal in an array',
    { a: [{ __proto__: { polluted: true } }] },
    ['a', '0', '__proto__'],
  ],
  [
    'an $override text holding an object',
    { a: { $override: { constructor: 'x' } } },
    ['a', '$override', 'constructor'],
  ],
  [
    'an $override text holding an array of objects',
    { a: { $override: [{ prototype: 1 }] } },
    ['a', '$override', '0', 'prototype'],
  ],
];

describe('forbidden keys inside arrays', () => {
  it.each(FORBIDDEN)('refuses %s with UNSAFE_KEY and its path', async (_what, value, path) => {
    const err = await configError(load(value));
    expect(err.code).toBe('UNSAFE_KEY');
    expect(err.details).toEqual({ source: 'user', path });
    expect(err.message).toBe(
      `user: the key "${path.at(-1)}" at ${where(path)} is not allowed in configuration`,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves a class instance in an array alone (it is a value, not a layer)', async () => {
    const when = new Date(0);
    const config = (await load({ a: [when, { ok: [1, 2] }] })) as { a: unknown[] };
    expect(config.a[0]).toEqual(when);
    expect(config.a[1]).toEqual({ ok: [1, 2] });
  });
});
