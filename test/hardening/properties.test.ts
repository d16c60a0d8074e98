import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLayerText } from '../../src/formats/index.js';
import {
  ConfigError,
  explainConfig,
  fromEnv,
  fromObject,
  getIn,
  loadConfig,
  resetConfigCache,
} from '../../src/index.js';
import { loadFresh } from '../../src/testing.js';
import { isObject, modelMerge } from './merge-model.js';

// Property-based checks of the merge, provenance, env mapping and freeze rules, on generated layers.

afterEach(() => resetConfigCache());

/**
 * Runs per property; mutation testing (vitest.mutation.config.ts) lowers it with
 * STRATACONF_PROPERTY_RUNS, as it repeats these tests for every mutant.
 */
const runs = (n: number) => Math.min(n, Number(process.env.STRATACONF_PROPERTY_RUNS) || n);

/**
 * Layers that collide: three keys, so layers keep setting the same paths; small value sets, so equal
 * values (no override) are common; arrays over arrays, objects over leaves and the reverse; Dates,
 * Buffers and markers among the values.
 */
const key = fc.constantFrom('a', 'b', 'c');
const scalar = fc.oneof(
  fc.integer({ min: 0, max: 2 }),
  fc.boolean(),
  fc.constantFrom('x', 'y', ''),
  fc.constant(null),
);
const nonPlain = fc.oneof(
  fc.constantFrom(0, 86_400_000).map((t) => new Date(t)),
  fc.constantFrom('k1', 'k2').map((s) => Buffer.from(s)),
);
const item = fc.oneof(scalar, nonPlain);
const leaf = fc.oneof(
  { weight: 3, arbitrary: scalar },
  { weight: 2, arbitrary: nonPlain },
  { weight: 2, arbitrary: fc.array(item, { maxLength: 2 }) },
  { weight: 1, arbitrary: fc.array(fc.record({ a: item }), { maxLength: 2 }) },
);
const layer: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{
  node: Record<string, unknown>;
  value: unknown;
}>((tie) => ({
  node: fc.dictionary(key, tie('value'), { maxKeys: 3 }),
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    { weight: 6, arbitrary: leaf },
    { weight: 3, arbitrary: tie('node') },
    { weight: 1, arbitrary: tie('node').map(($default) => ({ $default })) },
    { weight: 1, arbitrary: leaf.map(($default) => ({ $default })) },
    { weight: 1, arbitrary: fc.constant({ $override: 'set me' }) },
  ),
})).node;
const someLayer = fc.oneof(
  { weight: 4, arbitrary: layer.filter((l) => Object.keys(l).length > 0) },
  fc.constant({}),
);

/** A value of the same shape as `value` (same keys, same kinds of leaves), some parts changed or left out. */
function variant(value: unknown): fc.Arbitrary<unknown> {
  if (value instanceof Date) return fc.constantFrom(value.getTime(), 0, 86_400_000).map((t) => new Date(t));
  if (Buffer.isBuffer(value)) return fc.constantFrom(value.toString(), 'k1', 'k2').map((s) => Buffer.from(s));
  if (Array.isArray(value)) return fc.oneof(fc.constant([...value]), fc.array(item, { maxLength: 2 }));
  if (!isObject(value)) return fc.oneof(fc.constant(value), scalar, leaf);
  if ('$override' in value) return fc.oneof(fc.constant({ $override: 'set me' }), leaf);
  return fc.oneof({ weight: 4, arbitrary: sameKeys(value) }, leaf);
}

function sameKeys(value: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const shape = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, variant(v)]));
  return fc.record(shape, { requiredKeys: [] });
}

/** A first layer, then layers that are either new or variants of it: most paths collide. */
const layers = someLayer.chain((first) =>
  fc.array(fc.oneof(someLayer, sameKeys(first)), { maxLength: 3 }).map((rest) => [first, ...rest]),
);

/** User-written sources (Dates and Buffers pass through as they are), named L0, L1, ... */
const sources = (values: object[]) => values.map((v, i) => ({ name: `L${i}`, load: async () => v }));
const load = async (values: object[]) =>
  (await loadFresh({ sources: sources(values), overrides: 'ignore' })).config;

/** The load's outcome in the model's terms: the value, the missing overrides, events and rows. */
async function observe(values: object[]) {
  const outcome = await loadFresh({ sources: sources(values) }).catch((err: unknown) => err as Error);
  if (outcome instanceof Error) {
    expect(outcome).toMatchObject({ code: 'OVERRIDE_MISSING' });
    const missing = (outcome as ConfigError).details.missing as { path: string[] }[];
    return { missing: missing.map((m) => m.path) };
  }
  const events = outcome.warnings.map(({ details }) => ({
    path: details.path,
    from: [...(details.from as string[])].sort(),
    by: details.by,
  }));
  const rows = explainConfig(outcome.config)
    .filter((row) => row.path.length > 0)
    .map((row) => ({ ...row, overridden: [...row.overridden].sort() }));
  return { value: outcome.config, missing: [], events, rows };
}

const byJson = <T>(items: T[]) => [...items].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));

/** Every leaf path of a layer with a value set in it (arrays and non-plain values are leaves). */
function leafPaths(value: Record<string, unknown>, prefix: string[] = []): string[][] {
  return Object.entries(value).flatMap(([k, v]) =>
    isObject(v) ? leafPaths(v as Record<string, unknown>, [...prefix, k]) : [[...prefix, k]],
  );
}

function allFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return true;
  return Object.isFrozen(value) && Object.values(value).every(allFrozen);
}

describe('merge properties', () => {
  it('generates layers that collide (else the properties below would test little)', () => {
    // Samples whose load succeeds: the ones where value, warnings and provenance get compared.
    const samples = fc
      .sample(layers, { numRuns: 500, seed: 1 })
      .filter((ls) => modelMerge(ls).missing.length === 0);
    const entries = (l: Record<string, unknown>) =>
      leafPaths(l).map((p) => [p.join('.'), getIn(l, ...p)] as const);
    const overlap = (p: string, q: string) => p === q || p.startsWith(`${q}.`) || q.startsWith(`${p}.`);
    const collide = (ls: Record<string, unknown>[], both: (x: unknown, y: unknown) => boolean) =>
      ls.some((l, i) =>
        entries(l).some(([p, v]) =>
          ls.slice(0, i).some((e) => entries(e).some(([q, w]) => overlap(p, q) && both(v, w))),
        ),
      );
    const conflicts = samples.filter((ls) => collide(ls, () => true));
    const arrayOverArray = samples.filter((ls) =>
      collide(ls, (v, w) => Array.isArray(v) && Array.isArray(w)),
    );
    expect(samples.length).toBeGreaterThan(300);
    expect(conflicts.length).toBeGreaterThan(150);
    expect(arrayOverArray.length).toBeGreaterThan(50);
  });

  it('merges as the reference model: value, missing overrides, warnings and provenance', async () => {
    await fc.assert(
      fc.asyncProperty(layers, async (ls) => {
        const expected = modelMerge(ls);
        const seen = await observe(ls);
        expect(byJson(seen.missing)).toEqual(byJson(expected.missing));
        if (expected.missing.length > 0) return;
        expect(seen.value).toEqual(expected.value);
        expect(byJson(seen.events ?? [])).toEqual(byJson(expected.events));
        expect(byJson(seen.rows ?? [])).toEqual(byJson(expected.rows));
      }),
      { numRuns: runs(300) },
    );
  });

  it('merges in the order given, whatever order the sources finish loading in', async () => {
    await fc.assert(
      fc.asyncProperty(layers, fc.scheduler(), async (ls, s) => {
        const delayed = ls.map((v, i) => ({ name: `L${i}`, load: () => s.schedule(Promise.resolve(v)) }));
        const loading = loadFresh({ sources: delayed, overrides: 'ignore' }).catch((err: unknown) => err);
        const outcome = await s.waitFor(loading);
        const expected = modelMerge(ls);
        if (expected.missing.length > 0) expect(outcome).toMatchObject({ code: 'OVERRIDE_MISSING' });
        else expect((outcome as { config: unknown }).config).toEqual(expected.value);
      }),
      { numRuns: runs(100) },
    );
  });

  it('is unchanged by an empty layer anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(layers, fc.nat(), async (ls, at) => {
        fc.pre(modelMerge(ls).missing.length === 0);
        const withEmpty = [...ls];
        withEmpty.splice(at % (ls.length + 1), 0, {});
        expect(await load(withEmpty)).toEqual(await load(ls));
      }),
      { numRuns: runs(100) },
    );
  });

  it('freezes every generated config all the way down', async () => {
    await fc.assert(
      fc.asyncProperty(layers, async (ls) => {
        fc.pre(modelMerge(ls).missing.length === 0);
        expect(allFrozen(await load(ls))).toBe(true);
      }),
      { numRuns: runs(100) },
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
      { numRuns: runs(100) },
    );
  });
});

describe('hostile input properties', () => {
  const hostileKey = fc.oneof(
    fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,5}$/),
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

  /** Whether a forbidden key sits anywhere the merge walks (plain objects and arrays). */
  function hasUnsafeKey(value: unknown): boolean {
    if (Array.isArray(value)) return value.some(hasUnsafeKey);
    if (!isObject(value)) return false;
    return Object.keys(value).some(
      (k) => ['__proto__', 'constructor', 'prototype'].includes(k) || hasUnsafeKey(value[k]),
    );
  }

  it('never fails with anything but a ConfigError, and never pollutes Object.prototype', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileValue, { minLength: 1, maxLength: 3 }), async (values) => {
        const asLayers = values.map((v) => (isObject(v) ? v : { v }));
        const parsed = asLayers.map((l) => JSON.parse(JSON.stringify(l)));
        const outcome = await loadConfig({
          sources: sources(parsed),
          overrides: 'ignore',
          logger: { warn() {} },
        }).catch((err: unknown) => err);
        resetConfigCache();
        expect(Object.keys(Object.prototype)).toEqual([]);
        const model = modelMerge(parsed);
        if (outcome instanceof Error) {
          expect(outcome).toBeInstanceOf(ConfigError);
          expect(['UNSAFE_KEY', 'PARSE_ERROR', 'OVERRIDE_MISSING']).toContain((outcome as ConfigError).code);
          if ((outcome as ConfigError).code === 'UNSAFE_KEY') expect(parsed.some(hasUnsafeKey)).toBe(true);
          if ((outcome as ConfigError).code === 'OVERRIDE_MISSING') expect(model.missing).not.toEqual([]);
        } else {
          expect(model.invalidRoot).toBeUndefined();
          // A load that passed had no forbidden key to pass, and merged as the rules say.
          expect(parsed.some(hasUnsafeKey)).toBe(false);
          expect(outcome).toEqual(model.value);
          expect(allFrozen(outcome)).toBe(true);
        }
      }),
      { numRuns: runs(100) },
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
        const outcome = await loadConfig({
          sources: [source],
          overrides: 'ignore',
          logger: { warn() {} },
        }).catch((err: unknown) => err);
        resetConfigCache();
        expect(Object.keys(Object.prototype)).toEqual([]);
        if (outcome instanceof Error) {
          expect(outcome).toBeInstanceOf(ConfigError);
          const code = (outcome as ConfigError).code;
          expect(['UNSAFE_KEY', 'PARSE_ERROR', 'OVERRIDE_MISSING', 'SOURCE_UNAVAILABLE']).toContain(code);
          // Only a plain object is a layer; an absent (undefined) layer fails only when required.
          if (value === undefined) expect(code).toBe('SOURCE_UNAVAILABLE');
          else if (!isObject(value)) expect(code).toBe('PARSE_ERROR');
        } else {
          expect(value === undefined ? optional : isObject(value) && !hasUnsafeKey(value)).toBe(true);
          expect(Object.isFrozen(outcome)).toBe(true);
        }
      }),
      { numRuns: runs(500) },
    );
  });

  // Any text a parser may meet: garbage, and JSON with a few characters put in somewhere.
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc
      .tuple(fc.json({ maxDepth: 2 }), fc.nat(), fc.string({ minLength: 1, maxLength: 3 }))
      .map(
        ([json, at, junk]) =>
          json.slice(0, at % (json.length + 1)) + junk + json.slice(at % (json.length + 1)),
      ),
  );
  // A parse error says where and, in fixed words, why: never a character of the text (json5's own
  // messages quote the character it stopped at, which may be part of a secret).
  const REASONS = [
    'invalid character',
    'invalid end of input',
    'invalid identifier character',
    'invalid JSON',
    'unexpected end of input',
    'nested too deeply',
    'unreadable',
  ];
  const PARSE_MESSAGE = new RegExp(
    `^gen: (invalid JSON5? at line \\d+, column \\d+ \\((${REASONS.join('|')})\\)|the top level must be an object)$`,
  );

  it('parses any text to the object JSON5 reads, or a PARSE_ERROR that quotes none of it', async () => {
    const JSON5 = (await import('json5')).default;
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom('json', 'json5'), async (input, format) => {
        const outcome = await parseLayerText(input, format as 'json' | 'json5', 'gen').catch(
          (err: unknown) => err,
        );
        if (outcome instanceof Error) {
          expect(outcome).toMatchObject({ code: 'PARSE_ERROR' });
          expect(outcome.message).toMatch(PARSE_MESSAGE);
          expect(REASONS.concat('not an object')).toContain((outcome as ConfigError).details.reason);
        } else {
          expect(outcome).toEqual(format === 'json' ? JSON.parse(input) : JSON5.parse(input));
          expect(isObject(outcome)).toBe(true);
        }
      }),
      { numRuns: runs(300) },
    );
  });

  // The YAML layer's refusals, each in strataconf's fixed words (the yaml package's messages quote the text).
  const YAML_MESSAGE =
    /^gen: (invalid YAML at line \d+, column \d+ \([a-z][^()]*(\([^()]*\))?[^()]*\)|the top level must be a mapping \(an object\))$/;

  it('parses any text as YAML to an object, or a PARSE_ERROR in fixed words that quote none of it', async () => {
    const { parse } = await import('yaml');
    await fc.assert(
      fc.asyncProperty(text, fc.string({ minLength: 6, maxLength: 12 }), async (input, planted) => {
        const secret = `Zq${planted.replace(/[^A-Za-z0-9]/g, '')}9`;
        const withSecret = `${input}\nkey: ${secret}`;
        for (const candidate of [input, withSecret]) {
          const outcome = await parseLayerText(candidate, 'yaml', 'gen').catch((err: unknown) => err);
          if (outcome instanceof Error) {
            expect(outcome).toMatchObject({ code: 'PARSE_ERROR' });
            expect(outcome.message).toMatch(YAML_MESSAGE);
            expect(JSON.stringify([outcome.message, (outcome as ConfigError).details])).not.toContain(secret);
          } else {
            expect(isObject(outcome)).toBe(true);
            const { $schema: _dropped, ...plain } = parse(candidate, { stringKeys: true }) as Record<
              string,
              unknown
            >;
            expect(outcome).toEqual(plain);
          }
        }
      }),
      { numRuns: runs(300) },
    );
  });
});

describe('cache key properties', () => {
  /**
   * Leaf values in groups whose members JSON writes alike (or cannot write at all): a key built from
   * JSON would give every member of a group one entry, though they load different configs.
   */
  const GROUPS: (() => unknown)[][] = [
    [() => 0, () => -0],
    [() => null, () => Number.NaN, () => Number.POSITIVE_INFINITY],
    [() => 1n, () => 2n],
    [() => new Map([['a', 1]]), () => new Map([['b', 1]]), () => new Set([1]), () => new Set([2])],
    [() => new Uint8Array([1]), () => new Int8Array([1]), () => ({ 0: 1 })],
    [() => Buffer.from('k1'), () => Buffer.from('k2')],
    [() => new Date(0), () => new Date(1)],
    [() => 'x', () => 'y'],
  ];
  interface LeafSpec {
    group: number;
    member: number;
  }
  type LayerSpec = Record<string, LeafSpec | Record<string, LeafSpec>>;
  type SourceSpec =
    | { kind: 'object'; layer: LayerSpec }
    | { kind: 'env'; env: Record<string, string>; map: boolean };

  const leaf = fc.record({ group: fc.nat(GROUPS.length - 1), member: fc.nat(3) });
  const layer: fc.Arbitrary<LayerSpec> = fc.dictionary(
    fc.constantFrom('a', 'b'),
    fc.oneof(leaf, fc.dictionary(fc.constantFrom('p', 'q'), leaf, { maxKeys: 2 })),
    { maxKeys: 2 },
  );
  const names = fc.constantFrom('APP_A', 'APP_B', 'OTHER', 'DB_PASS');
  const vars = fc.dictionary(names, fc.constantFrom('1', '2'), { maxKeys: 3 });
  const source: fc.Arbitrary<SourceSpec> = fc.oneof(
    fc.record({ kind: fc.constant('object' as const), layer }),
    fc.record({ kind: fc.constant('env' as const), env: vars, map: fc.boolean() }),
  );
  const stack = fc.array(source, { minLength: 1, maxLength: 2 });

  /** The same stack with other members of the same groups and other variable values: JSON alike. */
  const variantOf = (specs: SourceSpec[]): fc.Arbitrary<SourceSpec[]> =>
    fc.tuple(
      ...specs.map((s): fc.Arbitrary<SourceSpec> => {
        if (s.kind === 'env') {
          const values = Object.keys(s.env).map((name) =>
            fc.tuple(fc.constant(name), fc.constantFrom('1', '2')),
          );
          return fc.tuple(...values).map((entries) => ({ ...s, env: Object.fromEntries(entries) }));
        }
        const other = (l: LeafSpec) => fc.nat(3).map((member) => ({ group: l.group, member }));
        const entries = Object.entries(s.layer).map(([key, v]) =>
          'group' in v
            ? fc.tuple(fc.constant(key), other(v as LeafSpec))
            : fc.tuple(
                fc.constant(key),
                fc
                  .tuple(...Object.entries(v).map(([k, l]) => fc.tuple(fc.constant(k), other(l))))
                  .map((inner) => Object.fromEntries(inner)),
              ),
        );
        return fc.tuple(...entries).map((e) => ({ kind: 'object', layer: Object.fromEntries(e) }));
      }),
    );
  const pairs = fc.oneof(
    fc.tuple(stack, stack),
    stack.chain((one) => fc.tuple(fc.constant(one), variantOf(one))),
  );

  const value = ({ group, member }: LeafSpec) => {
    const members = GROUPS[group] as (() => unknown)[];
    return (members[member % members.length] as () => unknown)();
  };
  const materialize = (spec: LayerSpec) =>
    Object.fromEntries(
      Object.entries(spec).map(([k, v]) => [
        k,
        'group' in v
          ? value(v as LeafSpec)
          : Object.fromEntries(Object.entries(v).map(([p, l]) => [p, value(l)])),
      ]),
    );
  /** Builds every value anew: what a handler rebuilding its options on each call does. */
  const build = (specs: SourceSpec[]) =>
    specs.map((s) =>
      s.kind === 'object'
        ? fromObject(materialize(s.layer))
        : fromEnv({ prefix: 'APP_', env: { ...s.env }, ...(s.map ? { map: { pass: 'DB_PASS' } } : {}) }),
    );
  const quiet = { warn() {} };

  it('lets two stacks share a cached config only when they load equal configs, and rebuilt stacks always share', async () => {
    await fc.assert(
      fc.asyncProperty(pairs, async ([one, two]) => {
        resetConfigCache();
        // A load that fails (an env value that cannot replace an object) is not cached: nothing to share.
        const load = (specs: SourceSpec[]) =>
          loadConfig({ sources: build(specs), logger: quiet }).catch(() => undefined);
        const first = await load(one);
        const second = await load(two);
        if (first !== undefined && second === first) {
          const fresh = await loadFresh({ sources: build(two), logger: quiet });
          expect(isDeepStrictEqual(fresh.config, first)).toBe(true);
        }
        if (first !== undefined) expect(await load(one)).toBe(first);
      }),
      { numRuns: runs(300) },
    );
  });
});
