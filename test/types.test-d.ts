import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  type ConfigDefinition,
  defineConfig,
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

  it('is a readonly record without a schema', async () => {
    const config = await loadConfig({ sources });
    expectTypeOf(config).toEqualTypeOf<{ readonly [x: string]: unknown }>();
  });

  it('carries the schema through defineConfig', async () => {
    const definition = defineConfig({ schema, sources });
    expectTypeOf(definition).toEqualTypeOf<ConfigDefinition<typeof schema>>();
    expectTypeOf((await definition.load()).db.host).toEqualTypeOf<string>();
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
