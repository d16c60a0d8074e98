import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  explainConfig,
  fromEnv,
  fromObject,
  loadConfig,
  resetConfigCache,
  type Source,
} from '../src/index.js';
import { captureWarnings } from '../src/testing.js';
import { configError } from './helpers.js';

afterEach(() => resetConfigCache());

/** A source whose load resolves when the test says so. */
function gated(name: string, value: object | undefined, opts: { optional?: boolean } = {}) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const started = { value: false };
  const source: Source = {
    name,
    ...opts,
    load: async () => {
      started.value = true;
      await gate;
      return value;
    },
  };
  return { source, open, started };
}

describe('loadConfig pipeline', () => {
  it('starts every source before any finishes (concurrent loads)', async () => {
    const a = gated('a', { x: 1 });
    const b = gated('b', { y: 2 });
    const pending = loadConfig({ sources: [a.source, b.source] });
    await new Promise((r) => setTimeout(r, 5));
    expect([a.started.value, b.started.value]).toEqual([true, true]);
    b.open();
    a.open();
    expect(await pending).toEqual({ x: 1, y: 2 });
  });

  it('merges in the order given, whatever order the loads finish in', async () => {
    const logger = captureWarnings();
    const slowLow = gated('low', { v: 'low' });
    const fastHigh = gated('high', { v: 'high' });
    const pending = loadConfig({ sources: [slowLow.source, fastHigh.source], logger });
    fastHigh.open();
    await new Promise((r) => setTimeout(r, 5));
    slowLow.open();
    expect(await pending).toEqual({ v: 'high' });
  });

  it('accepts a user-written source', async () => {
    const custom: Source = { name: 'ssm:/app', load: async () => ({ fromSsm: true }) };
    const config = await loadConfig({ sources: [custom] });
    expect(explainConfig(config)).toEqual([
      { path: ['fromSsm'], value: true, source: 'ssm:/app', overridden: [] },
    ]);
  });

  it('drops an optional source that resolves undefined, with one warning', async () => {
    const logger = captureWarnings();
    const absent: Source = { name: 'maybe', optional: true, load: async () => undefined };
    expect(await loadConfig({ sources: [fromObject({ a: 1 }), absent], logger })).toEqual({ a: 1 });
    expect(logger.warnings.map((w) => w.message)).toEqual([
      'dropped optional source maybe: it returned nothing',
    ]);
  });

  it('fails with SOURCE_UNAVAILABLE when a required source resolves undefined', async () => {
    const absent: Source = { name: 'needed', load: async () => undefined };
    const err = await configError(loadConfig({ sources: [absent] }));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toBe('needed is unavailable: it returned nothing');
  });

  it('fails the load when a source throws, optional or not: broken is not absent', async () => {
    const broken: Source = {
      name: 'broken',
      optional: true,
      load: async () => Promise.reject(new Error('boom')),
    };
    const err = await configError(loadConfig({ sources: [broken] }));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toBe('broken failed to load: boom');
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('fails with PARSE_ERROR when a source resolves something that is not an object', async () => {
    const odd: Source = { name: 'odd', load: async () => [1, 2] };
    expect((await configError(loadConfig({ sources: [odd] }))).code).toBe('PARSE_ERROR');
  });

  it('stops waiting for a source near the Lambda deadline', async () => {
    const logger = captureWarnings();
    const hangs: Source = { name: 'slow', optional: true, load: () => new Promise(() => {}) };
    const context = { getRemainingTimeInMillis: () => 100 };
    // A source that never settles: had the deadline not stopped the wait, the test would time out.
    const config = await loadConfig({ sources: [fromObject({ a: 1 }), hangs], logger, context });
    expect(config).toEqual({ a: 1 });
    expect(logger.warnings[0]?.message).toMatch(/^dropped optional source slow: Lambda deadline/);
  });

  it('checks options: a bad overrides policy or maxAge is a USAGE error', async () => {
    const sources = [fromObject({ a: 1 })];
    expect((await configError(loadConfig({ sources, overrides: 'loud' as 'warn' }))).code).toBe('USAGE');
    expect((await configError(loadConfig({ sources, maxAge: -1 }))).code).toBe('USAGE');
    expect((await configError(loadConfig({} as never))).code).toBe('USAGE');
  });
});

describe('validation', () => {
  const schema = z.object({
    db: z.object({ host: z.string(), port: z.number() }),
    apiKey: z.string().min(30).meta({ secret: true }),
    region: z.string().default('eu-west-1'),
  });

  it('parses the merged config, so zod defaults and transforms apply', async () => {
    const config = await loadConfig({
      schema,
      sources: [fromObject({ db: { host: 'h', port: 1 }, apiKey: 'k'.repeat(30) })],
    });
    expect(config.region).toBe('eu-west-1');
    expect(explainConfig(config).find((p) => p.path[0] === 'region')).toEqual({
      path: ['region'],
      value: 'eu-west-1',
      source: 'schema',
      overridden: [],
    });
  });

  it('lists every issue with the layer that supplied the value, and never the value', async () => {
    const err = await configError(
      loadConfig({
        schema,
        sources: [
          fromObject({ db: { host: 'db.internal', port: '5432' } }, { name: 'base.json5' }),
          fromObject({ apiKey: 'sk_live_should_not_leak' }, { name: 's3://cfg/prod.json5' }),
        ],
      }),
    );
    expect(err.code).toBe('VALIDATION_ERROR');
    expect(err.details.issues).toEqual([
      { path: ['db', 'port'], message: expect.any(String), source: 'base.json5' },
      { path: ['apiKey'], message: expect.any(String), source: 's3://cfg/prod.json5' },
    ]);
    expect(err.message).toContain('db.port');
    expect(err.message).toContain('(from base.json5)');
    const everything = `${err.message}${JSON.stringify(err)}${err.stack}`;
    expect(everything).not.toContain('sk_live_should_not_leak');
    expect(everything).not.toContain('5432');
  });

  it('reports a missing value without a source', async () => {
    const err = await configError(
      loadConfig({ schema, sources: [fromObject({ db: { host: 'h', port: 1 } })] }),
    );
    expect(err.details.issues).toEqual([{ path: ['apiKey'], message: expect.any(String) }]);
  });

  it('runs async refinements', async () => {
    const asyncSchema = z.object({ a: z.number().refine(async (n) => n > 0, 'must be positive') });
    const err = await configError(loadConfig({ schema: asyncSchema, sources: [fromObject({ a: -1 })] }));
    expect(err.details.issues).toEqual([{ path: ['a'], message: 'must be positive', source: 'object' }]);
  });
  it('leaves no unhandled rejection behind when an async refine throws (it would end a Lambda process)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const throwing = z.object({
        a: z.string().refine(async () => {
          throw new TypeError('cannot check');
        }),
      });
      const err = await configError(loadConfig({ schema: throwing, sources: [fromObject({ a: 'x' })] }));
      expect(err.code).toBe('VALIDATION_ERROR');
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('the result', () => {
  it('is deep-frozen: objects and arrays throw on mutation in strict mode', async () => {
    const config = (await loadConfig({ sources: [fromObject({ a: { b: [1, { c: 2 }] } })] })) as {
      a: { b: [number, { c: number }] };
    };
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config.a.b[1] as { c: number }).c = 3;
    }).toThrow(TypeError);
    expect(() => {
      (config.a.b as unknown as number[]).push(4);
    }).toThrow(TypeError);
  });

  it('is a plain object, not a Proxy', async () => {
    const config = await loadConfig({ sources: [fromObject({ a: 1 })] });
    expect(Object.getPrototypeOf(config)).toBe(Object.prototype);
    expect(structuredClone(config)).toEqual({ a: 1 });
  });
});

describe('OVERRIDE_MISSING beside a key that looks like a typo of it', () => {
  const base = fromObject({ db: { host: { $override: 'set per stage' }, port: 5432 } }, { name: 'base' });
  const stage = fromObject({ db: { hots: 'db.prod' } }, { name: 's3://b/prod.json5' });

  it('names the near key and the source that set it, in the message and in details', async () => {
    const err = await configError(loadConfig({ sources: [base, stage], logger: captureWarnings() }));
    expect(err.message).toBe(
      '1 value marked $override was not set by a later layer:\n' +
        '  - db.host: set per stage (marked in base); db.hots from s3://b/prod.json5 looks like a typo of it',
    );
    expect(err.details.missing).toEqual([
      {
        path: ['db', 'host'],
        doc: 'set per stage',
        source: 'base',
        nearMiss: { path: ['db', 'hots'], source: 's3://b/prod.json5' },
      },
    ]);
  });

  it('names an environment variable as the variable', async () => {
    const env = fromEnv({ prefix: 'APP_', env: { APP_DB__HOTS: 'db.prod' } });
    const err = await configError(loadConfig({ sources: [base, env], logger: captureWarnings() }));
    expect(err.message).toContain('(marked in base); APP_DB__HOTS (db.hots) looks like a typo of it');
  });

  it('names it with a schema, where it is an unknown key, but never a key the schema declares', async () => {
    const schema = z.object({ db: z.object({ host: z.string(), hist: z.string().optional() }) });
    const hist = fromObject({ db: { hist: 'h' } }, { name: 'hist' });
    const typo = await configError(loadConfig({ schema, sources: [base, stage], logger: captureWarnings() }));
    expect(typo.message).toContain('db.hots from s3://b/prod.json5 looks like a typo of it');
    const declared = await configError(
      loadConfig({ schema, sources: [base, hist], logger: captureWarnings() }),
    );
    expect(declared.message).not.toContain('typo');
  });

  it('leaves the message as it was when no key beside it is near', async () => {
    const far = fromObject({ db: { name: 'orders' } }, { name: 'far' });
    const err = await configError(loadConfig({ sources: [base, far] }));
    expect(err.message).toBe(
      '1 value marked $override was not set by a later layer:\n  - db.host: set per stage (marked in base)',
    );
    expect(err.details.missing).toEqual([{ path: ['db', 'host'], doc: 'set per stage', source: 'base' }]);
  });
});

describe('a schema whose output is not an object', () => {
  it.each([
    ['a string', z.object({ a: z.string() }).transform((c) => c.a), 'a string'],
    ['null', z.object({ a: z.string() }).transform(() => null), 'null'],
  ])(
    'fails with VALIDATION_ERROR when it transforms the config to %s, not a crash',
    async (_what, schema, kind) => {
      const err = await configError(loadConfig({ schema, sources: [fromObject({ a: 'x' })] }));
      expect(err.code).toBe('VALIDATION_ERROR');
      expect(err.message).toContain(`the schema's output is ${kind}, not an object`);
    },
  );
});
