import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  defineConfig,
  fromEnv,
  fromFile,
  fromObject,
  loadConfig,
  resetConfigCache,
  type Source,
} from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';
import { configError, tempDir } from '../helpers.js';

/**
 * The cache corners mutation testing found untested (see MUTATION.md): what makes two loads the
 * same definition or not, bad options, the exact maxAge boundary, the reload-failure warning, and
 * a failed load that finishes after the cache was reset.
 */

afterEach(() => {
  vi.useRealTimers();
  resetConfigCache();
});

const dir = tempDir('cache');

describe('what makes two loads the same definition', () => {
  it('tells two short fromObject layers apart', async () => {
    expect(await loadConfig({ sources: [fromObject({ a: 1 })] })).toEqual({ a: 1 });
    expect(await loadConfig({ sources: [fromObject({ a: 2 })] })).toEqual({ a: 2 });
  });

  it('tells two long fromObject layers apart, and rebuilt ones hit the cache', async () => {
    const long = (n: number) => ({ text: `${n}`.repeat(600) });
    const first = await loadConfig({ sources: [fromObject(long(1))] });
    expect(await loadConfig({ sources: [fromObject(long(2))] })).toEqual(long(2));
    expect(await loadConfig({ sources: [fromObject(long(1))] })).toBe(first);
  });

  it('keeps an optional and a required missing file apart', async () => {
    const path = `${dir}/missing.json5`;
    const logger = captureWarnings();
    expect(await loadConfig({ sources: [fromFile(path, { optional: true })], logger })).toEqual({});
    const err = await configError(loadConfig({ sources: [fromFile(path)] }));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
  });

  it('keeps a user-written source apart once its optional flag changes', async () => {
    const absent: Source = { name: 'absent', optional: true, load: async () => undefined };
    expect(await loadConfig({ sources: [absent], logger: captureWarnings() })).toEqual({});
    absent.optional = false;
    expect((await configError(loadConfig({ sources: [absent] }))).code).toBe('SOURCE_UNAVAILABLE');
  });

  it("treats overrides left out and overrides: 'warn' as the same options", async () => {
    const first = await loadConfig({ sources: [fromObject({ a: 1 })] });
    expect(await loadConfig({ sources: [fromObject({ a: 1 })], overrides: 'warn' })).toBe(first);
  });
});

describe('bad options', () => {
  it.each([
    ['no options', undefined, 'loadConfig needs options with a sources array'],
    ['no sources', {}, 'loadConfig needs options with a sources array'],
    ['a source that is null', { sources: [null] }, 'every source needs a name and a load function'],
    ['a source without load', { sources: [{ name: 'x' }] }, 'every source needs a name and a load function'],
    [
      'a source without a name',
      { sources: [{ load: async () => ({}) }] },
      'every source needs a name and a load function',
    ],
  ])('fail with USAGE for %s', async (_what, options, message) => {
    const err = await configError(() => loadConfig(options as never));
    expect(err.code).toBe('USAGE');
    expect(err.message).toBe(message);
  });
});

describe('maxAge and reloads', () => {
  it('reloads at exactly maxAge when the drawn spread is nil', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.spyOn(Math, 'random').mockReturnValue(0);
    let loads = 0;
    const source: Source = { name: 'n', load: async () => ({ n: ++loads }) };
    const definition = defineConfig({ sources: [source], maxAge: 1000 });
    await definition.load();
    vi.setSystemTime(Date.now() + 999);
    expect(await definition.load()).toEqual({ n: 1 });
    vi.setSystemTime(Date.now() + 1);
    expect(await definition.load()).toEqual({ n: 2 });
  });

  it('warns with the reason when a reload fails', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    let fail = false;
    const source: Source = {
      name: 'flaky',
      load: async () => {
        if (fail) throw new Error('down');
        return { a: 1 };
      },
    };
    const logger = captureWarnings();
    const definition = defineConfig({ sources: [source], maxAge: 10, logger });
    await definition.load();
    fail = true;
    vi.setSystemTime(Date.now() + 11);
    await definition.load();
    expect(logger.warnings[0]?.message).toBe(
      'reload failed, serving the last good config: flaky failed to load: down',
    );
    expect(logger.warnings[0]?.details).toEqual({ code: 'RELOAD_FAILED', cause: 'SOURCE_UNAVAILABLE' });
  });

  it('keeps a newer load when an older one fails after the cache was reset', async () => {
    let loads = 0;
    let failOld: (err: Error) => void = () => {};
    const source: Source = {
      name: 's',
      load: () => {
        loads++;
        if (loads === 1) return new Promise((_, reject) => (failOld = reject));
        return Promise.resolve({ a: loads });
      },
    };
    const old = loadConfig({ sources: [source] }).catch((err: unknown) => err);
    await vi.waitFor(() => expect(loads).toBe(1));
    resetConfigCache();
    const fresh = await loadConfig({ sources: [source] });
    failOld(new Error('late'));
    await old;
    expect(await loadConfig({ sources: [source] })).toBe(fresh);
    expect(loads).toBe(2);
  });

  it('passes the options’ Lambda context to the load', async () => {
    const hangs: Source = { name: 'slow', optional: true, load: () => new Promise(() => {}) };
    const logger = captureWarnings();
    const context = { getRemainingTimeInMillis: () => 100 };
    expect(await loadConfig({ sources: [fromObject({ a: 1 }), hangs], logger, context })).toEqual({ a: 1 });
    expect(logger.warnings[0]?.message).toMatch(/^dropped optional source slow: Lambda deadline/);
  });
});

describe('cache keys tell apart every pair of stacks that can read different values', () => {
  const env = (vars: Record<string, string>) => fromEnv({ prefix: 'APP_', env: vars });

  it('keeps two fromEnv sources with different explicit env objects apart', async () => {
    const a = await loadConfig({ sources: [env({ APP_HOST: 'a.internal' })] });
    const b = await loadConfig({ sources: [env({ APP_HOST: 'b.internal' })] });
    expect(a).toEqual({ host: 'a.internal' });
    expect(b).toEqual({ host: 'b.internal' });
  });

  it('gives a fromEnv reading process.env its own values, not an explicit env object’s', async () => {
    vi.stubEnv('APP_HOST', 'from-process');
    try {
      expect(await loadConfig({ sources: [env({ APP_HOST: 'explicit' })] })).toEqual({ host: 'explicit' });
      expect(await loadConfig({ sources: [fromEnv({ prefix: 'APP_' })] })).toEqual({ host: 'from-process' });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('keeps map variables of two explicit env objects apart', async () => {
    const mapped = (password: string) =>
      fromEnv({ map: { 'db.password': 'DB_PASSWORD' }, env: { DB_PASSWORD: password } });
    expect(await loadConfig({ sources: [mapped('one')] })).toEqual({ db: { password: 'one' } });
    expect(await loadConfig({ sources: [mapped('two')] })).toEqual({ db: { password: 'two' } });
  });

  it('hits the cache for a fromEnv rebuilt with equal variables, in any order, and variables outside the prefix ignored', async () => {
    const first = await loadConfig({ sources: [env({ APP_A: '1', APP_B: '2', OTHER: 'x' })] });
    expect(await loadConfig({ sources: [env({ APP_B: '2', APP_A: '1', OTHER: 'y' })] })).toBe(first);
  });

  it('treats process.env given as env like no env at all', async () => {
    const first = await loadConfig({ sources: [fromEnv({ prefix: 'APP_' })] });
    expect(await loadConfig({ sources: [fromEnv({ prefix: 'APP_', env: process.env })] })).toBe(first);
  });

  it('does not put an explicit env object’s values into the key a source carries', () => {
    const source = env({ APP_DB__PASSWORD: 'hunter2-secret' });
    const symbols = Object.getOwnPropertySymbols(source).filter(
      (s) => s.description === 'strataconf.sourceKey',
    );
    expect(symbols.map((s) => String((source as unknown as Record<symbol, unknown>)[s]))).toEqual([
      expect.not.stringContaining('hunter2'),
    ]);
  });

  it.each<[string, () => unknown, () => unknown]>([
    ['Maps', () => new Map([['a', 1]]), () => new Map([['a', 2]])],
    ['Sets', () => new Set([1, 2]), () => new Set([1, 3])],
    ['Dates', () => new Date(0), () => new Date(86_400_000)],
    ['Buffers', () => Buffer.from('k1'), () => Buffer.from('k2')],
    ['typed arrays', () => new Uint16Array([1, 2]), () => new Uint16Array([1, 3])],
    ['typed arrays of other kinds', () => new Uint8Array([1]), () => new Int8Array([1])],
    [
      'nested Maps',
      () => new Map([['m', new Map([['k', new Set(['x'])]])]]),
      () => new Map([['m', new Map([['k', new Set(['y'])]])]]),
    ],
    ['bigints', () => 1n, () => 2n],
    ['NaN and null', () => Number.NaN, () => null],
    ['0 and -0', () => 0, () => -0],
    ['undefined and a missing key', () => undefined, () => 'absent'],
    ['functions', () => () => 1, () => () => 1],
  ])(
    'keeps fromObject layers holding different %s apart, and rebuilt equal ones together',
    async (what, one, two) => {
      const layer = (make: () => unknown) => (make() === 'absent' ? {} : { v: make() });
      const first = await loadConfig({ sources: [fromObject(layer(one))] });
      const other = layer(two);
      const second = await loadConfig({ sources: [fromObject(other)] });
      expect(second).not.toBe(first);
      expect(isDeepStrictEqual({ ...second }, other)).toBe(true);
      // A function has no content: a rebuilt one is another function, and that is another layer.
      if (what !== 'functions') expect(await loadConfig({ sources: [fromObject(layer(one))] })).toBe(first);
    },
  );

  it('loads a fromObject layer holding a cycle or a bigint without throwing while building its key', async () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = new Map([['back', cyclic]]);
    expect(() => fromObject(cyclic)).not.toThrow();
    expect(() => fromObject({ big: 10n ** 30n })).not.toThrow();
    expect(await loadConfig({ sources: [fromObject({ big: 10n ** 30n })] })).toEqual({ big: 10n ** 30n });
  });
});
