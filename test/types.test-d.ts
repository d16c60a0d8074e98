import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import {
  type ConfigDefinition,
  type ConfigPath,
  defineConfig,
  fromEnv,
  fromFile,
  fromObject,
  type LayerOf,
  loadConfig,
  type Source,
} from '../src/index.js';

const schema = z.object({
  db: z.object({ host: z.string(), port: z.number() }),
  tags: z.array(z.string()),
  region: z.string().default('eu-west-1'),
  timeout: z.string().transform(Number),
});
const sources: Source[] = [fromFile('config.json5')];

describe('types', () => {
  it('infers the schema output, deeply readonly', async () => {
    const config = await loadConfig({ schema, sources });
    expectTypeOf(config.db.port).toEqualTypeOf<number>();
    expectTypeOf(config.region).toEqualTypeOf<string>();
    expectTypeOf(config.timeout).toEqualTypeOf<number>();
    expectTypeOf(config.tags).toEqualTypeOf<readonly string[]>();
    expectTypeOf(config).toEqualTypeOf<{
      readonly db: { readonly host: string; readonly port: number };
      readonly tags: readonly string[];
      readonly region: string;
      readonly timeout: number;
    }>();
    // @ts-expect-error a frozen config cannot be assigned to
    config.db.port = 1;
    // @ts-expect-error the schema has no such key
    config.db.user;
  });

  it('takes a zod/mini schema and infers its output the same way', async () => {
    const mini = zm.object({
      db: zm.object({ host: zm.string(), port: zm.number() }),
      region: zm._default(zm.string(), 'x'),
    });
    const config = await defineConfig({ schema: mini, sources }).load();
    expectTypeOf(config).toEqualTypeOf<{
      readonly db: { readonly host: string; readonly port: number };
      readonly region: string;
    }>();
  });

  it('is a readonly record without a schema', async () => {
    const config = await loadConfig({ sources });
    expectTypeOf(config).toEqualTypeOf<{ readonly [x: string]: unknown }>();
  });

  it('carries the schema through defineConfig', async () => {
    const definition = defineConfig({ schema, sources });
    expectTypeOf(definition).toEqualTypeOf<ConfigDefinition<typeof schema>>();
    expectTypeOf((await definition.load()).db.host).toEqualTypeOf<string>();
  });

  it('types refresh() like load(), and what onChange hands its listener', async () => {
    const definition = defineConfig({ schema, sources });
    expectTypeOf((await definition.refresh({ sources: ['db'] })).db.host).toEqualTypeOf<string>();
    const unsubscribe = definition.onChange((change) => {
      expectTypeOf(change.config.db.host).toEqualTypeOf<string>();
      expectTypeOf(change.previous.db.host).toEqualTypeOf<string>();
      expectTypeOf(change.paths).toEqualTypeOf<string[][]>();
      expectTypeOf(change.sources).toEqualTypeOf<string[]>();
    });
    expectTypeOf(unsubscribe).toEqualTypeOf<() => void>();
  });

  it('types fromEnv map paths against the schema', () => {
    const secrets = z.object({
      db: z.object({ host: z.string(), password: z.string() }),
      pool: z.record(z.string(), z.number()),
    });
    expectTypeOf<ConfigPath<z.input<typeof secrets>>>().toEqualTypeOf<
      'db' | 'db.host' | 'db.password' | 'pool' | `pool.${string}`
    >();
    defineConfig({ schema: secrets, sources: [fromEnv({ map: { 'db.password': 'DB_PASSWORD' } })] });
    loadConfig({ schema: secrets, sources: [fromEnv({ map: { 'pool.size': 'POOL_SIZE' } })] });
    // @ts-expect-error the schema has no db.passwrod
    defineConfig({ schema: secrets, sources: [fromEnv({ map: { 'db.passwrod': 'DB_PASSWORD' } })] });
    loadConfig({
      schema: secrets,
      // @ts-expect-error the schema has no db.user
      sources: [fromFile('a.json5'), fromEnv({ prefix: 'APP_', map: { 'db.user': 'U' } })],
    });
    // Without a schema, or with a map built at run time, any path goes (the load reports unknown ones).
    defineConfig({ sources: [fromEnv({ map: { 'db.passwrod': 'DB_PASSWORD' } })] });
    const built: Record<string, string> = { 'db.passwrod': 'DB_PASSWORD' };
    defineConfig({ schema: secrets, sources: [fromEnv({ map: built })] });
  });
});

describe('LayerOf', () => {
  const definition = defineConfig({ schema, sources });
  type Layer = LayerOf<typeof definition>;

  it('takes any part of the schema input, each value or a marker, and a $schema key', () => {
    fromObject<Layer>({});
    fromObject<Layer>({ $schema: './layer.schema.json', db: { port: { $default: 5432 } } });
    fromObject<Layer>({ db: { host: { $override: 'set db.host in the stage layer' } } });
    fromObject<Layer>({ db: { $default: { host: 'localhost' } }, tags: ['a'] });
    // The input of a transform, not its output: timeout is a string in a layer.
    fromObject<Layer>({ timeout: '3000' });
    expectTypeOf<LayerOf<typeof schema>>().toEqualTypeOf<Layer>();
  });

  it('refuses a typo, a wrong type and a marker of the wrong shape at compile time', () => {
    // @ts-expect-error db.hots is a typo
    fromObject<Layer>({ db: { hots: 'x' } });
    // @ts-expect-error db.port is a number
    fromObject<Layer>({ db: { port: '5432' } });
    // @ts-expect-error $override takes a string
    fromObject<Layer>({ db: { host: { $override: 1 } } });
    // @ts-expect-error the $default of a number is a number
    fromObject<Layer>({ db: { port: { $default: 'x' } } });
    // @ts-expect-error an array is a whole value: no marker inside it
    fromObject<Layer>({ tags: [{ $default: 'a' }] });
    // @ts-expect-error the output of a transform is not what a layer holds
    fromObject<Layer>({ timeout: 3000 });
  });

  it('is a plain record for a definition without a schema', () => {
    expectTypeOf<LayerOf<ConfigDefinition<undefined>>>().toEqualTypeOf<Record<string, unknown>>();
  });
});
