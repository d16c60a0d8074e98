import { afterEach, describe, expect, it } from 'vitest';
import {
  explainConfig,
  fromObject,
  loadConfig,
  type OverridePolicy,
  resetConfigCache,
} from '../src/index.js';
import { captureWarnings } from '../src/testing.js';
import { configError } from './helpers.js';

afterEach(() => resetConfigCache());

const named = (layers: object[]) => layers.map((value, i) => fromObject(value, { name: `L${i}` }));

async function merge(layers: object[], overrides: OverridePolicy = 'warn') {
  const logger = captureWarnings();
  const config = await loadConfig({ sources: named(layers), logger, overrides });
  return { config, warnings: logger.warnings.map((w) => w.message) };
}

describe('merge rules', () => {
  it.each([
    ['objects merge key by key', [{ a: { x: 1 } }, { a: { y: 2 } }], { a: { x: 1, y: 2 } }],
    ['a later scalar replaces an earlier one', [{ a: 1 }, { a: 2 }], { a: 2 }],
    ['arrays are replaced whole, never concatenated', [{ a: [1, 2, 3] }, { a: [9] }], { a: [9] }],
    ['null is a leaf that replaces', [{ a: { x: 1 } }, { a: null }], { a: null }],
    ['an object replaces a scalar', [{ a: 1 }, { a: { x: 1 } }], { a: { x: 1 } }],
    ['the last of three layers wins', [{ a: 1 }, { a: 2 }, { a: 3 }], { a: 3 }],
    ['an empty layer changes nothing', [{ a: { b: 1 } }, {}], { a: { b: 1 } }],
    ['a $default is used when nothing replaces it', [{ a: { $default: 1 } }], { a: 1 }],
    [
      'a $default object keeps the parts a later layer leaves',
      [{ a: { $default: { x: 1, y: 2 } } }, { a: { y: 3 } }],
      { a: { x: 1, y: 3 } },
    ],
    [
      'a value that replaces an $override replaces it whole',
      [{ a: { $override: 'set a' } }, { a: { x: 1 } }],
      { a: { x: 1 } },
    ],
    [
      'keys that only look like markers in a bigger object are data',
      [{ a: { $note: 'x', b: 1 } }],
      { a: { $note: 'x', b: 1 } },
    ],
  ])('%s', async (_rule, layers, expected) => {
    expect((await merge(layers)).config).toEqual(expected);
  });

  it.each([
    ['replacing an unmarked value', [{ a: 1 }, { a: 2 }], ['a from L0 was overridden by L1']],
    [
      'replacing an unmarked object with a scalar',
      [{ a: { x: 1 } }, { a: 2 }],
      ['a from L0 was overridden by L1'],
    ],
    [
      'every replaced value, not only the first layer',
      [{ a: 1 }, { a: 2 }, { a: 3 }],
      ['a from L0 was overridden by L1', 'a from L1 was overridden by L2'],
    ],
    [
      'a value set over a $default by one layer and replaced by the next',
      [{ a: { $default: 1 } }, { a: 2 }, { a: 3 }],
      ['a from L1 was overridden by L2'],
    ],
    [
      'an array of objects differs in one key of one item',
      [{ a: [{ x: 1, y: 2 }] }, { a: [{ x: 1, y: 3 }] }],
      ['a from L0 was overridden by L1'],
    ],
    [
      'an empty array replaces an empty object in an array',
      [{ a: [{}] }, { a: [[]] }],
      ['a from L0 was overridden by L1'],
    ],
    [
      'replacing a value with an empty object (naming the layer that did)',
      [{ a: 1 }, { a: {} }],
      ['a from L0 was overridden by L1'],
    ],
    [
      'a deep path is named with dots',
      [{ a: { b: { c: 1 } } }, { a: { b: { c: 2 } } }],
      ['a.b.c from L0 was overridden by L1'],
    ],
  ])('warns when %s', async (_rule, layers, warnings) => {
    expect((await merge(layers)).warnings).toEqual(warnings);
  });

  it.each([
    ['an equal value', [{ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 2 }] } }]],
    ['a $default', [{ a: { $default: 1 } }, { a: 2 }]],
    [
      'any part of a $default object',
      [{ a: { $default: { x: 1, y: { z: 2 } } } }, { a: { x: 5, y: { z: 6 } } }],
    ],
    ['a $default object replaced by a scalar', [{ a: { $default: { x: 1 } } }, { a: 'off' }]],
    ['an $override', [{ a: { $override: 'doc' } }, { a: 1 }]],
    ['a new key', [{ a: 1 }, { b: 2 }]],
  ])('is silent when replacing %s', async (_rule, layers) => {
    expect((await merge(layers)).warnings).toEqual([]);
  });

  it('reports every missing $override in one error, with its doc and source', async () => {
    const err = await configError(
      merge([
        {
          db: { host: { $override: 'Set the host' }, password: { $override: 'From Secrets Manager' } },
          port: { $override: 'Port' },
        },
        { port: 1 },
      ]),
    );
    expect(err.code).toBe('OVERRIDE_MISSING');
    expect(err.details.missing).toEqual([
      { path: ['db', 'host'], doc: 'Set the host', source: 'L0' },
      { path: ['db', 'password'], doc: 'From Secrets Manager', source: 'L0' },
    ]);
    expect(err.message).toContain('db.host: Set the host');
    expect(err.message).toContain('db.password: From Secrets Manager');
  });

  it('fails with OVERRIDE_FORBIDDEN listing every unexpected override under overrides: error', async () => {
    const err = await configError(merge([{ a: 1, b: 1 }, { a: 2 }, { b: 3 }], 'error'));
    expect(err.code).toBe('OVERRIDE_FORBIDDEN');
    expect(err.details.overrides).toEqual([
      { path: ['a'], from: ['L0'], by: 'L1' },
      { path: ['b'], from: ['L0'], by: 'L2' },
    ]);
  });

  it('stays silent under overrides: ignore', async () => {
    const { config, warnings } = await merge([{ a: 1 }, { a: 2 }], 'ignore');
    expect(config).toEqual({ a: 2 });
    expect(warnings).toEqual([]);
  });

  it('keeps a value set over a marker unmarked, so the next replacement warns', async () => {
    const { warnings } = await merge([{ a: { $override: 'x' } }, { a: 1 }, { a: 2 }]);
    expect(warnings).toEqual(['a from L1 was overridden by L2']);
  });

  it('rejects a marker that is not the only key of its object', async () => {
    const err = await configError(merge([{ a: { $default: 1, other: 2 } }]));
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toBe('L0: "$default" at a must be the only key of its object');
  });

  describe('a layer that is one marker', () => {
    it('fails with OVERRIDE_MISSING when a whole-layer $override is the last layer that sets anything', async () => {
      const err = await configError(merge([{ $override: 'the whole config comes from S3' }, {}]));
      expect(err.code).toBe('OVERRIDE_MISSING');
      expect(err.message).toBe(
        '1 value marked $override was not set by a later layer:\n  - (root): the whole config comes from S3 (marked in L0)',
      );
      expect(err.details.missing).toEqual([
        { path: [], doc: 'the whole config comes from S3', source: 'L0' },
      ]);
    });

    it('is replaced silently by a later layer that sets something, which records it as replaced', async () => {
      const { config, warnings } = await merge([{ $override: 'from S3' }, { a: { b: 1 } }]);
      expect(config).toEqual({ a: { b: 1 } });
      expect(warnings).toEqual([]);
      expect(explainConfig(config)).toEqual([
        { path: ['a', 'b'], value: 1, source: 'L1', overridden: ['L0'] },
      ]);
    });

    it('replaces the layers below it like any later layer: unmarked values warn, and a later layer must set it', async () => {
      const logger = captureWarnings();
      const err = await configError(
        loadConfig({ sources: named([{ a: 1, b: { $default: 2 } }, { $override: 'set it again' }]), logger }),
      );
      expect(err.code).toBe('OVERRIDE_MISSING');
      expect(logger.warnings.map((w) => w.message)).toEqual(['(root) from L0 was overridden by L1']);
      const { config } = await merge([{ a: 1 }, { $override: 'set it again' }, { c: 3 }], 'ignore');
      expect(config).toEqual({ c: 3 });
    });

    it('takes a whole-layer $default object as defaults a later layer may replace silently', async () => {
      const { config, warnings } = await merge([{ $default: { a: 1, b: 2 } }, { a: 3 }]);
      expect(config).toEqual({ a: 3, b: 2 });
      expect(warnings).toEqual([]);
    });

    it.each([
      ['a number', { $default: 5 }],
      ['an array', { $default: [1] }],
      ['null', { $default: null }],
      ['a $default of a $default scalar', { $default: { $default: 'x' } }],
    ])('fails with PARSE_ERROR for a whole-layer $default holding %s', async (_what, layer) => {
      const err = await configError(merge([{ a: 1 }, layer]));
      expect(err.code).toBe('PARSE_ERROR');
      expect(err.message).toBe(
        'L1: a "$default" that is the whole layer must hold an object (a config is an object, not a single value)',
      );
    });
  });

  it.each([
    ['an object without a prototype', Object.create(null)],
    ['an object', { where: 'S3' }],
    ['an array', ['S3']],
    ['null', null],
  ])(
    'fails with PARSE_ERROR, not SOURCE_UNAVAILABLE, for an $override doc that is %s',
    async (_what, doc) => {
      const err = await configError(merge([{ db: { password: { $override: doc } } }]));
      expect(err.code).toBe('PARSE_ERROR');
      expect(err.message).toBe(
        'L0: "$override" at db.password takes a string (why the value is needed and where to set it)',
      );
    },
  );

  it('records which earlier sources each value replaced, $default values included', async () => {
    const { config } = await merge([
      { a: { $default: 1 }, b: { $override: 'x' }, c: 1 },
      { a: 2, b: 2 },
      { a: 3 },
    ]);
    expect(explainConfig(config)).toEqual([
      { path: ['a'], value: 3, source: 'L2', overridden: ['L0', 'L1'] },
      { path: ['b'], value: 2, source: 'L1', overridden: ['L0'] },
      { path: ['c'], value: 1, source: 'L0', overridden: [] },
    ]);
  });

  describe('values that are not plain data (from a user-written source)', () => {
    const user = (layers: object[]) => layers.map((value, i) => ({ name: `L${i}`, load: async () => value }));
    async function mergeUser(layers: object[]) {
      const logger = captureWarnings();
      const config = await loadConfig({ sources: user(layers), logger });
      return { config, warnings: logger.warnings.map((w) => w.message), rows: explainConfig(config) };
    }

    it.each([
      ['a Date', new Date(0), new Date(86_400_000)],
      ['a Map', new Map([['region', 'eu']]), new Map([['region', 'us']])],
      ['a Set', new Set(['a']), new Set(['b'])],
      ['a Uint8Array', new Uint8Array([1, 2]), new Uint8Array([1, 3])],
      ['a Buffer', Buffer.from('old key'), Buffer.from('new key')],
      ['a RegExp', /a/, /b/],
      ['an ArrayBuffer', new ArrayBuffer(1), new ArrayBuffer(2)],
      ['a Date inside an array', [new Date(0)], [new Date(1)]],
      ['NaN by a number', Number.NaN, 0],
      ['an item with other keys, all undefined', [{ x: undefined }], [{ y: undefined }]],
    ])('replaces %s by a different one, warns, and names the later layer', async (_what, before, after) => {
      const { config, warnings, rows } = await mergeUser([{ v: before }, { v: after }]);
      expect(config.v).toStrictEqual(after);
      expect(warnings).toEqual(['v from L0 was overridden by L1']);
      expect(rows).toEqual([{ path: ['v'], value: after, source: 'L1', overridden: ['L0'] }]);
    });

    it.each([
      ['a Date', () => new Date(0)],
      ['a Map', () => new Map([['region', 'eu']])],
      ['a Buffer', () => Buffer.from('same key')],
      ['NaN', () => Number.NaN],
      ['NaN inside an array', () => [Number.NaN]],
    ])('keeps an equal %s silently, naming the first layer', async (_what, make) => {
      const { warnings, rows } = await mergeUser([{ v: make() }, { v: make() }]);
      expect(warnings).toEqual([]);
      expect(rows.map((row) => [row.source, row.overridden])).toEqual([['L0', []]]);
    });

    it.each([
      ['0 and -0 in an array', [0], [-0]],
      ['0 and -0 in an object in an array', [{ a: 0 }], [{ a: -0 }]],
      [
        'an object without a prototype and a plain one',
        [Object.assign(Object.create(null), { a: 1 })],
        [{ a: 1 }],
      ],
    ])('keeps equal values silently: %s', async (_what, before, after) => {
      const { warnings, rows } = await mergeUser([{ v: before }, { v: after }]);
      expect(warnings).toEqual([]);
      expect(rows.map((row) => row.source)).toEqual(['L0']);
    });

    it('replaces an undefined value with an object', async () => {
      const { config, warnings } = await mergeUser([{ a: undefined }, { a: { b: 1 } }]);
      expect(config).toEqual({ a: { b: 1 } });
      expect(warnings).toEqual(['a from L0 was overridden by L1']);
    });

    it('tells a Date from an empty object inside an array', async () => {
      const { warnings } = await mergeUser([{ v: [{}] }, { v: [new Date(0)] }]);
      expect(warnings).toEqual(['v from L0 was overridden by L1']);
    });
  });

  it('never shares objects with a fromObject layer, so freezing leaves the caller’s object alone', async () => {
    const mine = { list: [1, 2], nested: { deep: { x: 1 } }, items: [{ x: { y: 1 } }] };
    const { config } = await merge([mine]);
    expect(Object.isFrozen(mine.list)).toBe(false);
    expect(Object.isFrozen(mine.items[0])).toBe(false);
    expect(Object.isFrozen(mine.items[0]?.x)).toBe(false);
    expect(config).toEqual(mine);
  });
});
