import { readFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineConfig, fromObject, loadConfig, type Source } from '../src/index.js';
import { fixtureLayers, resetConfigCache, restoreConfigs, useConfig } from '../src/testing.js';
import { configError } from './helpers.js';
import { requestsFor, s3Env, seedObjects } from './setup/s3.js';

const schema = z.object({
  db: z.object({ host: z.string(), port: z.number().int().positive() }),
  features: z.object({ beta: z.boolean() }),
  retries: z.number().int().default(3),
});

/** A source that counts its loads: the definition's own layer, which useConfig must not read. */
function counted(value: object): Source & { loads: number } {
  const source = {
    name: 'counted',
    loads: 0,
    async load() {
      source.loads++;
      return value;
    },
  };
  return source;
}

const real = { db: { host: 'real.db', port: 1 }, features: { beta: false } };
const given = { db: { host: 'test.db', port: 2 }, features: { beta: true } };

afterEach(() => restoreConfigs());
afterAll(() => resetConfigCache());

describe('useConfig', () => {
  it('serves the given object, validated and frozen, without reading the sources', async () => {
    const source = counted(real);
    const definition = defineConfig({ schema, sources: [source], maxAge: 0 });
    const config = await useConfig(definition, { object: given });
    expect(config).toEqual({ ...given, retries: 3 });
    expect(Object.isFrozen(config.db)).toBe(true);
    // maxAge 0 would reload at every call: the test's config is served all the same.
    expect(await definition.load()).toBe(config);
    expect(await loadConfig({ schema, sources: [source], maxAge: 0 })).toBe(config);
    expect(source.loads).toBe(0);
  });

  it('builds the config from fixture layers', async () => {
    const definition = defineConfig({ schema, sources: [counted(real)] });
    const dir = new URL('../fixtures/testing/', import.meta.url);
    const config = await useConfig(definition, { layers: fixtureLayers(dir, 'base', 'prod') });
    expect(config.db).toEqual({ host: 'prod.db.internal', port: 5432 });
    expect(await definition.load()).toBe(config);
  });

  it('is undone by restoreConfigs: the definition reads its own sources again', async () => {
    const source = counted(real);
    const definition = defineConfig({ schema, sources: [source] });
    await useConfig(definition, { object: given });
    restoreConfigs();
    expect((await definition.load()).db.host).toBe('real.db');
    expect(source.loads).toBe(1);
  });

  it('puts back the config that was cached before it', async () => {
    const source = counted(real);
    const definition = defineConfig({ schema, sources: [source] });
    const before = await definition.load();
    await useConfig(definition, { object: given });
    await useConfig(definition, { object: { ...given, db: { host: 'second', port: 3 } } });
    expect((await definition.load()).db.host).toBe('second');
    restoreConfigs();
    expect(await definition.load()).toBe(before);
    expect(source.loads).toBe(1);
  });

  it('rejects a config the schema rejects, and leaves the definition as it was', async () => {
    const source = counted(real);
    const definition = defineConfig({ schema, sources: [source] });
    const bad = { object: { ...given, db: { host: 'x', port: -1 } } };
    expect(await configError(useConfig(definition, bad))).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect((await definition.load()).db.host).toBe('real.db');
  });

  it('says what it expects when called with something else', async () => {
    const definition = defineConfig({ schema, sources: [fromObject(real)] });
    const wrong = { file: 'x' } as unknown as { object: typeof given };
    expect(await configError(useConfig(definition, wrong))).toMatchObject({ code: 'USAGE' });
    const notDefinition = {} as unknown as typeof definition;
    expect(await configError(useConfig(notDefinition, { object: given }))).toMatchObject({ code: 'USAGE' });
  });
});

// The example function loads its config at module scope (`await config.load()`), from a file, S3
// and env. With useConfig it is tested as a whole, invoked like Lambda does, with no S3 and no network.
describe('a handler that loads at module scope, tested with useConfig', () => {
  const bucket = 'use-config-handler';
  const key = 'orders/production.json5';
  const context = { getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
  const env = {
    ...s3Env(),
    CONFIG_S3_URI: `s3://${bucket}/${key}`,
    APP_DB__PASSWORD: 'not-a-secret',
    AWS_LAMBDA_FUNCTION_NAME: 'orders',
  };
  type Example = typeof import('../examples/lambda-handler/handler.js');
  let config: typeof import('../examples/lambda-handler/config.js').config;
  const gets = () => requestsFor(bucket, key).length;

  beforeAll(async () => {
    const layer = new URL('../examples/lambda-handler/s3/production.json5', import.meta.url);
    await seedObjects(bucket, { [key]: await readFile(layer, 'utf8') });
    Object.assign(process.env, env);
    ({ config } = await import('../examples/lambda-handler/config.js'));
  });
  afterAll(() => {
    for (const name of Object.keys(env)) delete process.env[name];
  });

  it('imports and invokes the handler: no S3 request, no connection at all', async () => {
    const connect = vi.spyOn(Socket.prototype, 'connect');
    const before = gets();
    await useConfig(config, {
      object: {
        service: { name: 'orders', stage: 'staging' },
        db: { host: 'db.test', port: 5432, password: 'not-a-secret' },
        features: { greeting: 'hi', newCheckout: true },
        limits: { maxItems: 5 },
      },
    });
    const { handler }: Example = await import('../examples/lambda-handler/handler.js');
    const result = await handler({ customer: 'Ada', items: 2 }, context);
    expect(result).toMatchObject({ accepted: true, stage: 'staging', checkout: 'new', maxItems: 5 });
    expect(gets()).toBe(before);
    expect(connect).not.toHaveBeenCalled();
  });

  it('(the control) reads S3 at the local server once the test config is restored', async () => {
    const connect = vi.spyOn(Socket.prototype, 'connect');
    const before = gets();
    expect((await config.load()).service.stage).toBe('production');
    expect(gets()).toBeGreaterThan(before);
    expect(connect).toHaveBeenCalled();
  });
});
