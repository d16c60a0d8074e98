import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { explainConfig, fromEnv, fromObject, loadConfig, resetConfigCache } from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';
import { configError } from '../helpers.js';
import { sourceContract } from './contract.js';

const env = { APP_APP__NAME: 'contract', APP_APP__PORT: '8080' };
sourceContract({
  kind: 'fromEnv',
  schema: z.looseObject({ app: z.looseObject({ name: z.string(), port: z.number() }) }),
  make: () => fromEnv({ prefix: 'APP_', env: { ...env } }),
  remake: () => fromEnv({ prefix: 'APP_', env: { ...env } }),
});

afterEach(() => resetConfigCache());

const quiet = () => ({ logger: captureWarnings(), overrides: 'ignore' as const });

describe('fromEnv mapping', () => {
  it.each([
    ['APP_DB__HOST', {}, ['db', 'host']],
    ['APP_THREAD_POOL__SIZE', {}, ['threadPool', 'size']],
    ['APP_THREAD_POOL__SIZE', { thread_pool: { size: 1 } }, ['thread_pool', 'size']],
    ['APP_THREADPOOL__SIZE', { threadPool: { size: 1 } }, ['threadPool', 'size']],
    ['APP_API_KEY', { 'api-key': 'x' }, ['api-key']],
    ['APP_LOGLEVEL', { logLevel: 'info' }, ['logLevel']],
    ['APP_LOG_LEVEL', {}, ['logLevel']],
  ])('maps %s onto %j to the path %j', async (variable, below, path) => {
    const config = await loadConfig({
      ...quiet(),
      sources: [fromObject(below), fromEnv({ prefix: 'APP_', env: { [variable]: '2' } })],
    });
    const row = explainConfig(config).find((p) => p.source === 'env:APP_');
    expect(row?.path).toEqual(path);
  });

  it('matches keys from the schema when no layer has them yet', async () => {
    const schema = z.object({ dbHost: z.string(), retries: z.number().optional() });
    const config = await loadConfig({
      schema,
      sources: [fromEnv({ prefix: 'APP_', env: { APP_DB_HOST: 'h' } })],
    });
    expect(config).toEqual({ dbHost: 'h' });
  });

  it('uses a custom separator', async () => {
    const source = fromEnv({ prefix: 'APP_', separator: '.', env: { 'APP_db.host': 'h' } });
    expect(await loadConfig({ sources: [source] })).toEqual({ db: { host: 'h' } });
  });

  it('maps single variables to dotted paths with map, prefix or not', async () => {
    const source = fromEnv({ map: { 'db.password': 'DB_PASSWORD' }, env: { DB_PASSWORD: 'pw', OTHER: 'x' } });
    expect(await loadConfig({ sources: [source] })).toEqual({ db: { password: 'pw' } });
    expect(source.name).toBe('env');
  });

  it('ignores variables without the prefix', async () => {
    const source = fromEnv({ prefix: 'APP_', env: { HOME: '/root', APP_X: '1', APPX: '2' } });
    expect(await loadConfig({ sources: [source] })).toEqual({ x: '1' });
  });

  it('reads process.env when the load runs, not when the source is made', async () => {
    const source = fromEnv({ prefix: 'STRATA_TEST_' });
    vi.stubEnv('STRATA_TEST_MODE', 'late');
    expect(await loadConfig({ sources: [source] })).toEqual({ mode: 'late' });
  });

  it('throws USAGE at once without a prefix or a map', () => {
    expect(() => fromEnv({})).toThrowError(expect.objectContaining({ code: 'USAGE' }));
    expect(() => fromEnv({ prefix: '' })).toThrowError(expect.objectContaining({ code: 'USAGE' }));
  });

  it.each(['APP_CONSTRUCTOR__X', 'APP___PROTO____X', 'APP_A__PROTOTYPE'])(
    'fails %s with UNSAFE_KEY',
    async (variable) => {
      const err = await configError(
        loadConfig({ sources: [fromEnv({ prefix: 'APP_', env: { [variable]: '1' } })] }),
      );
      expect(err.code).toBe('UNSAFE_KEY');
      expect(err.message).toContain(variable);
      expect(Object.prototype).not.toHaveProperty('x');
    },
  );

  it('fails an unsafe key inside a JSON5 object value', async () => {
    const schema = z.object({ extra: z.record(z.string(), z.unknown()) });
    const source = fromEnv({ prefix: 'APP_', env: { APP_EXTRA: '{ "__proto__": { "polluted": 1 } }' } });
    expect((await configError(loadConfig({ schema, sources: [source] }))).code).toBe('UNSAFE_KEY');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('fromEnv coercion', () => {
  const schema = z.object({
    port: z.number().optional(),
    debug: z.boolean().default(false),
    hosts: z.array(z.string()).optional(),
    limits: z.object({ rps: z.number() }).optional(),
    name: z.string().optional(),
    timeout: z.string().transform(Number).pipe(z.number()).optional(),
    level: z.enum(['info', 'debug']).optional(),
    ratio: z.number().nullable().optional(),
  });
  const load = (vars: Record<string, string>) =>
    loadConfig({ schema, sources: [fromEnv({ prefix: 'APP_', env: vars })] });

  it.each([
    [{ APP_PORT: '8080' }, { port: 8080 }],
    [{ APP_PORT: ' 1.5 ' }, { port: 1.5 }],
    [{ APP_DEBUG: 'true' }, { debug: true }],
    [{ APP_DEBUG: '0' }, { debug: false }],
    [{ APP_DEBUG: 'FALSE' }, { debug: false }],
    [{ APP_HOSTS: '["a", "b"]' }, { hosts: ['a', 'b'] }],
    [{ APP_HOSTS: "['a', 'b',]" }, { hosts: ['a', 'b'] }],
    [{ APP_LIMITS: '{ rps: 10 }' }, { limits: { rps: 10 } }],
    [{ APP_NAME: '123' }, { name: '123' }],
    [{ APP_TIMEOUT: '30' }, { timeout: 30 }],
    [{ APP_LEVEL: 'debug' }, { level: 'debug' }],
    [{ APP_RATIO: '0.5' }, { ratio: 0.5 }],
  ])('coerces %j by the schema to %j', async (vars, expected) => {
    expect(await load(vars)).toEqual({ debug: false, ...expected });
  });

  it.each([
    [{ APP_PORT: 'eighty' }, 'APP_PORT', 'a number'],
    [{ APP_PORT: '' }, 'APP_PORT', 'a number'],
    [{ APP_DEBUG: 'yes' }, 'APP_DEBUG', 'a boolean: true, false, 1 or 0, in any case'],
    [{ APP_HOSTS: '{ a: 1 }' }, 'APP_HOSTS', 'JSON5 array text'],
    [{ APP_LIMITS: 'not json' }, 'APP_LIMITS', 'JSON5 object text'],
  ])(
    'fails %j with VALIDATION_ERROR naming the variable, never the value',
    async (vars, variable, expected) => {
      const err = await configError(load(vars));
      expect(err.code).toBe('VALIDATION_ERROR');
      expect(err.message).toContain(variable);
      expect(err.message).toContain(expected);
      for (const value of Object.values(vars))
        if (value.trim()) expect(JSON.stringify(err) + err.message).not.toContain(value);
    },
  );

  it('coerces by the lower layer’s type without a schema', async () => {
    const config = await loadConfig({
      ...quiet(),
      sources: [
        fromObject({ port: 1, debug: false, tags: ['x'], db: { opts: { a: 1 } }, name: 'n' }),
        fromEnv({
          prefix: 'APP_',
          env: {
            APP_PORT: '2',
            APP_DEBUG: '1',
            APP_TAGS: '["y"]',
            APP_DB__OPTS: '{ b: 2 }',
            APP_NAME: '42',
            APP_NEW: '7',
          },
        }),
      ],
    });
    // An object from env is an object like any other: it merges into the lower one, key by key.
    expect(config).toEqual({
      port: 2,
      debug: true,
      tags: ['y'],
      db: { opts: { a: 1, b: 2 } },
      name: '42',
      new: '7',
    });
  });

  it('never guesses a type: without a schema or a lower value, a value stays a string', async () => {
    const config = await loadConfig({
      sources: [fromEnv({ prefix: 'APP_', env: { APP_COUNT: '3', APP_ON: 'true' } })],
    });
    expect(config).toEqual({ count: '3', on: 'true' });
  });

  it('combines a whole-object variable with a deeper one', async () => {
    const logger = captureWarnings();
    const config = await loadConfig({
      sources: [
        fromEnv({ prefix: 'APP_', env: { APP_LIMITS__RPS: '5', APP_LIMITS: '{ rps: 1, burst: 2 }' } }),
      ],
      schema,
      logger,
    });
    // The schema's object strips the unknown `burst` (and says so); the deeper variable wins over the whole-object one.
    expect(config.limits).toEqual({ rps: 5 });
    expect(logger.warnings.map((w) => w.message)).toEqual([
      'limits.burst in APP_LIMITS is not in the schema',
    ]);
  });

  it('warns like any layer when it replaces an unmarked value', async () => {
    const logger = captureWarnings();
    await loadConfig({
      logger,
      sources: [
        fromObject({ port: 1 }, { name: 'base' }),
        fromEnv({ prefix: 'APP_', env: { APP_PORT: '2' } }),
      ],
    });
    expect(logger.warnings.map((w) => w.message)).toEqual(['port from base was overridden by env:APP_']);
  });
});
