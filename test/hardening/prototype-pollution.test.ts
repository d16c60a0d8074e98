import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fromEnv, fromFile, fromObject, loadConfig, resetConfigCache, type Source } from '../../src/index.js';
import { configError } from '../helpers.js';

// Every forbidden key, at every depth, from every source kind this suite can reach without S3 or the
// CLI (those have their own files), including inside $default and $override markers.

const dir = mkdtempSync(join(tmpdir(), 'strataconf-pollution-'));
const payload = { polluted: 'yes' };

const nest = (depth: number, key: string): Record<string, unknown> => {
  let value: Record<string, unknown> = { [key]: payload };
  for (let i = 0; i < depth; i++) value = { [`level${i}`]: value };
  return value;
};
const inDefault = (key: string) => ({ outer: { $default: { [key]: payload } } });
const deepInDefault = (key: string) => ({ outer: { $default: { a: { b: { [key]: payload } } } } });
const inArray = (key: string) => ({ list: [{ ok: 1 }, { [key]: payload }] });

/** JSON text with the key written literally (JSON.stringify of a JS object would drop __proto__). */
const text = (shape: (key: string) => Record<string, unknown>, key: string) =>
  JSON.stringify(shape('KEY')).replace('"KEY"', JSON.stringify(key));

const shapes: [string, (key: string) => Record<string, unknown>][] = [
  ['at the top', (k) => nest(0, k)],
  ['1 level deep', (k) => nest(1, k)],
  ['5 levels deep', (k) => nest(5, k)],
  ['inside a $default object', inDefault],
  ['deep inside a $default object', deepInDefault],
  ['inside an array', inArray],
];
const keys = ['__proto__', 'constructor', 'prototype'];

const fileSource = (ext: string) => (body: string, i: number) => {
  const path = join(dir, `${i}.${ext}`);
  writeFileSync(path, body);
  return fromFile(path);
};

const kinds: [string, (body: string, i: number) => Source][] = [
  ['a JSON file', fileSource('json')],
  ['a JSON5 file', fileSource('json5')],
  ['fromObject', (body) => fromObject(JSON.parse(body))],
];

function untouched(): void {
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).includes('polluted')).toBe(false);
  expect(typeof Object.prototype.constructor).toBe('function');
  expect(Object.keys(Object)).toEqual([]);
}

afterEach(() => {
  resetConfigCache();
  untouched();
});

let n = 0;
describe.each(kinds)('UNSAFE_KEY from %s', (_kind, make) => {
  it.each(shapes.flatMap(([where, shape]) => keys.map((key) => [key, where, shape] as const)))(
    'refuses %s %s',
    async (key, _where, shape) => {
      const base = fromObject({ outer: { $default: { fine: true } } }, { name: 'base' });
      const err = await configError(loadConfig({ sources: [base, make(text(shape, key), n++)] }));
      expect(err.code).toBe('UNSAFE_KEY');
      expect((err.details.path as string[]).at(-1)).toBe(key);
      untouched();
    },
  );
});

describe('UNSAFE_KEY from an $override marker', () => {
  it.each(keys)('refuses %s as the key that holds a marker', async (key) => {
    const err = await configError(
      loadConfig({ sources: [fromObject(JSON.parse(`{"a":{"${key}":{"$override":"x"}}}`))] }),
    );
    expect(err.code).toBe('UNSAFE_KEY');
  });
});

describe('UNSAFE_KEY from env variables', () => {
  it.each([
    'APP___PROTO____X',
    'APP___proto____polluted',
    'APP_CONSTRUCTOR__PROTOTYPE__POLLUTED',
    'APP_A__B__CONSTRUCTOR',
    'APP_PROTOTYPE',
  ])('refuses %s', async (variable) => {
    const err = await configError(
      loadConfig({ sources: [fromEnv({ prefix: 'APP_', env: { [variable]: 'yes' } })] }),
    );
    expect(err.code).toBe('UNSAFE_KEY');
    expect(err.details.variable).toBe(variable);
  });

  it.each(['__proto__.polluted', 'a.constructor', 'prototype'])('refuses the map path %s', async (path) => {
    const err = await configError(
      loadConfig({ sources: [fromEnv({ map: { [path]: 'X' }, env: { X: 'yes' } })] }),
    );
    expect(err.code).toBe('UNSAFE_KEY');
  });
});
