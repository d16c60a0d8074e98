import { afterEach, describe, expect, it } from 'vitest';
import { fromEnv, fromObject, loadConfig, resetConfigCache } from '../../src/index.js';
import { configError } from '../helpers.js';

/**
 * The corners of env mapping that mutation testing found untested (see MUTATION.md): how names
 * match existing keys, which variables are read, in what order paths are set, and what a bad
 * variable's error says.
 */

afterEach(() => resetConfigCache());

type Env = Record<string, string>;
const load = (env: Env, lower: object = {}, map?: Record<string, string>) =>
  loadConfig({
    sources: [fromObject(lower, { name: 'lower' }), fromEnv({ prefix: 'APP_', env, map })],
    overrides: 'ignore',
  });

describe('env names against existing keys', () => {
  it.each([
    [
      'a key with underscores, from a name without them',
      { APP_DBHOST: 'b' },
      { db_host: 'a' },
      { db_host: 'b' },
    ],
    [
      'a key with dashes, from a name with underscores',
      { APP_LOG_LEVEL: 'b' },
      { 'log-level': 'a' },
      { 'log-level': 'b' },
    ],
    ['a new key, in camelCase', { APP_THREAD_POOL__SIZE: '4' }, {}, { threadPool: { size: '4' } }],
    ['a scalar below replaced by an object', { APP_DB: '1', APP_DB__HOST: 'h' }, {}, { db: { host: 'h' } }],
  ])('sets %s', async (_what, env, lower, expected) => {
    expect(await load(env, lower)).toEqual(expected);
  });

  it('resolves two names for one key the same whatever the order of the environment', async () => {
    const lower = { dbHost: 'a' };
    const one = await load({ APP_DB_HOST: 'x', APP_DBHOST: 'y' }, lower);
    resetConfigCache();
    const other = await load({ APP_DBHOST: 'y', APP_DB_HOST: 'x' }, lower);
    expect(one).toEqual(other);
  });

  it('reads only variables with the prefix and something after it', async () => {
    expect(await load({ APP_: 'x', OTHER: 'y', app_lower: 'z' })).toEqual({});
  });

  it('with a map only, reads only the mapped variables', async () => {
    const config = await loadConfig({
      sources: [
        fromEnv({
          map: { 'db.password': 'DB_PASSWORD', 'db.user': 'undefinedUser' },
          env: { DB_PASSWORD: 'p', undefinedUser: 'u', undefinedX: '1' },
        }),
      ],
    });
    expect(config).toEqual({ db: { password: 'p', user: 'u' } });
  });

  it('leaves the lower value in place when a mapped variable is not set', async () => {
    const config = await load({}, { db: { password: 'from-file' } }, { 'db.password': 'DB_PASSWORD' });
    expect(config).toStrictEqual({ db: { password: 'from-file' } });
  });

  it('sets a whole object from a mapped variable before a deeper prefixed one', async () => {
    const config = await load(
      { APP_DB__PORT: '1', DB_JSON: '{ host: "h" }' },
      { db: { host: 'a', port: 0 } },
      {
        db: 'DB_JSON',
      },
    );
    expect(config).toEqual({ db: { host: 'h', port: 1 } });
  });
});

describe('env values coerced by the lower layer’s value', () => {
  it.each([
    ['a number', { n: 1 }, { APP_N: ' 5 ' }, { n: 5 }],
    ['a boolean (any case, spaces around)', { b: false }, { APP_B: ' TRUE ' }, { b: true }],
    ['a boolean from 0', { b: true }, { APP_B: '0' }, { b: false }],
    ['a string', { s: 'a' }, { APP_S: '5' }, { s: '5' }],
    ['an array', { list: [1] }, { APP_LIST: '[2, 3]' }, { list: [2, 3] }],
    ['an object', { db: { host: 'a' } }, { APP_DB: '{ port: 2 }' }, { db: { host: 'a', port: 2 } }],
    ['nothing to go by (null below)', { x: null }, { APP_X: '5' }, { x: '5' }],
  ])('%s', async (_what, lower, env, expected) => {
    expect(await load(env, lower)).toEqual(expected);
  });

  it.each([
    ['a blank number', { n: 1 }, { APP_N: ' ' }, 'APP_N must be a number (for n)', 'number'],
    ['an endless number', { n: 1 }, { APP_N: 'Infinity' }, 'APP_N must be a number (for n)', 'number'],
    [
      'a boolean that is not one',
      { b: true },
      { APP_B: 'yes' },
      'APP_B must be a boolean: true, false, 1 or 0, in any case (for b)',
      'boolean',
    ],
    [
      'an array that is an object',
      { list: [1] },
      { APP_LIST: '{}' },
      'APP_LIST must be JSON5 array text (for list)',
      'array',
    ],
    [
      'an object that is an array',
      { o: { a: 1 } },
      { APP_O: '[1]' },
      'APP_O must be JSON5 object text (for o)',
      'object',
    ],
  ])(
    'fails with VALIDATION_ERROR for %s, naming the variable',
    async (_what, lower, env, message, expected) => {
      const err = await configError(load(env, lower));
      expect(err.code).toBe('VALIDATION_ERROR');
      expect(err.message).toBe(`env:APP_: ${message}`);
      const [variable] = Object.keys(env);
      expect(err.details).toMatchObject({ source: 'env:APP_', variable, expected });
    },
  );
});

describe('env names that are not allowed', () => {
  it.each([
    ['APP___PROTO__', '__proto__'],
    ['APP_CONSTRUCTOR', 'constructor'],
    ['APP_-', '-'],
  ])('fails %s with UNSAFE_KEY naming the key', async (variable, key) => {
    const err = await configError(load({ [variable]: '1' }));
    expect(err.code).toBe('UNSAFE_KEY');
    expect(err.message).toBe(`env:APP_: ${variable} names the key "${key}", which is not allowed`);
    expect(err.details).toEqual({ source: 'env:APP_', variable, path: [key] });
  });

  it.each([
    ['a.__proto__', '__proto__'],
    ['a..b', ''],
  ])('fails a map path %s with UNSAFE_KEY', async (path, key) => {
    const err = await configError(load({ V: '1' }, {}, { [path]: 'V' }));
    expect(err.details).toEqual({ source: 'env:APP_', variable: 'V', path: [key] });
  });

  it('fails an empty path segment with VALIDATION_ERROR', async () => {
    const err = await configError(load({ APP_DB____HOST: '1' }));
    expect(err.code).toBe('VALIDATION_ERROR');
    expect(err.message).toBe('env:APP_: APP_DB____HOST has an empty path segment');
    expect(err.details).toEqual({ source: 'env:APP_', variable: 'APP_DB____HOST' });
  });
});
