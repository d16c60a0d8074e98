import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  explainConfig,
  fromEnv,
  fromObject,
  getIn,
  loadConfig,
  resetConfigCache,
} from '../../src/index.js';
import { parseLayerText } from '../../src/parse.js';
import { loadFresh } from '../../src/testing.js';

// Property-based checks of the merge, provenance, env mapping and freeze rules, on generated layers.

afterEach(() => resetConfigCache());

const key = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,5}$/);
const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 8 }), fc.constant(null));
const leaf = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
const layer: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ node: Record<string, unknown> }>((tie) => ({
  node: fc.dictionary(key, fc.oneof({ depthSize: 'small', maxDepth: 3 }, leaf, tie('node')), { maxKeys: 4 }),
})).node;
const layers = fc.array(layer, { minLength: 1, maxLength: 4 });

const sources = (values: object[]) => values.map((v, i) => fromObject(v, { name: `L${i}` }));
const load = async (values: object[]) =>
  (await loadFresh({ sources: sources(values), overrides: 'ignore' })).config;

/**
 * Every leaf path of a generated layer (arrays are leaves). An empty object sets no leaf: objects
 * merge, so `{ i: {} }` over `{ i: { a: {} } }` leaves `i.a` in place.
 */
function leafPaths(value: Record<string, unknown>, prefix: string[] = []): [string[], unknown][] {
  return Object.entries(value).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? leafPaths(v as Record<string, unknown>, [...prefix, k])
      : [[[...prefix, k], v] as [string[], unknown]],
  );
}

function allFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(allFrozen);
}

describe('merge properties', () => {
  it('is deterministic', async () => {
    await fc.assert(
      fc.asyncProperty(layers, async (ls) => {
        expect(await load(ls)).toEqual(await load(ls));
      }),
    );
  });

  it('lets the last layer win for every leaf it sets', async () => {
    await fc.assert(
      fc.asyncProperty(layers, async (ls) => {
        const config = await load(ls);
        for (const [path, value] of leafPaths(ls[ls.length - 1] as Record<string, unknown>)) {
          expect(getIn(config, ...path)).toEqual(value);
        }
      }),
    );
  });

  it('is unchanged by an empty layer anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(layers, fc.nat(), async (ls, at) => {
        const withEmpty = [...ls];
        withEmpty.splice(at % (ls.length + 1), 0, {});
        expect(await load(withEmpty)).toEqual(await load(ls));
      }),
    );
  });

  it('names, for every leaf, a layer that holds that value at that path', async () => {
    await fc.assert(
      fc.asyncProperty(layers, async (ls) => {
        const config = await load(ls);
        for (const row of explainConfig(config)) {
          const holder = ls[Number(row.source.slice(1))] as Record<string, unknown>;
          expect(getIn(holder, ...row.path)).toEqual(row.value);
        }
      }),
    );
  });

  it('freezes every generated config all the way down', async () => {
    await fc.assert(
      fc.asyncProperty(layers, async (ls) => {
        expect(allFrozen(await load(ls))).toBe(true);
      }),
    );
  });
});

describe('env mapping properties', () => {
  const word = fc.stringMatching(/^[a-z]{1,6}$/);
  const segment = fc.array(word, { minLength: 1, maxLength: 3 });
  const path = fc.array(segment, { minLength: 1, maxLength: 3 });
  const camel = (words: string[]) =>
    words.map((w, i) => (i === 0 ? w : w[0]?.toUpperCase() + w.slice(1))).join('');

  it('round-trips a camelCase path through an APP_ variable name', async () => {
    await fc.assert(
      fc.asyncProperty(path, fc.string({ maxLength: 10 }), async (segments, value) => {
        const variable = `APP_${segments.map((words) => words.join('_').toUpperCase()).join('__')}`;
        const keys = segments.map(camel);
        fc.pre(!keys.some((k) => ['constructor', 'prototype', 'proto'].includes(k)));
        const { config } = await loadFresh({
          sources: [fromEnv({ prefix: 'APP_', env: { [variable]: value } })],
        });
        expect(getIn(config, ...keys)).toBe(value);
      }),
    );
  });
});

describe('hostile input properties', () => {
  const hostileKey = fc.oneof(
    key,
    fc.constantFrom('__proto__', 'constructor', 'prototype', '$default', '$override', ''),
  );
  const hostileValue = fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      fc.jsonValue({ maxDepth: 2 }),
      fc.dictionary(hostileKey, tie('v'), { maxKeys: 3 }),
      fc.array(tie('v'), { maxLength: 3 }),
    ),
  })).v;

  it('never fails with anything but a ConfigError, and never pollutes Object.prototype', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileValue, { minLength: 1, maxLength: 3 }), async (values) => {
        const asLayers = values.map((v) =>
          v !== null && typeof v === 'object' && !Array.isArray(v) ? v : { v },
        );
        const parsed = asLayers.map((l) => JSON.parse(JSON.stringify(l)));
        try {
          await loadConfig({ sources: sources(parsed), overrides: 'ignore', logger: { warn() {} } });
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
        }
        resetConfigCache();
        expect(Object.keys(Object.prototype)).toEqual([]);
      }),
    );
  });

  it('takes anything a user-written source returns, or fails with a ConfigError, never polluting', async () => {
    const anything = fc.anything({
      maxDepth: 4,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      key: fc.oneof(
        fc.string(),
        fc.constantFrom('__proto__', 'constructor', 'prototype', '$default', '$override'),
      ),
    });
    await fc.assert(
      fc.asyncProperty(anything, fc.boolean(), async (value, optional) => {
        const source = { name: 'gen', optional, load: async () => value as object };
        try {
          const config = await loadConfig({ sources: [source], overrides: 'ignore', logger: { warn() {} } });
          expect(Object.isFrozen(config)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
        }
        resetConfigCache();
        expect(Object.keys(Object.prototype)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('parses any text to an object or a PARSE_ERROR that does not quote it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 40 }),
        fc.constantFrom('json', 'json5'),
        async (text, format) => {
          try {
            const value = await parseLayerText(text, format as 'json' | 'json5', 'gen');
            expect(typeof value).toBe('object');
          } catch (err) {
            expect(err).toBeInstanceOf(ConfigError);
            expect((err as ConfigError).code).toBe('PARSE_ERROR');
            if (text.trim().length > 3) expect((err as ConfigError).message).not.toContain(text.trim());
          }
        },
      ),
    );
  });
});
