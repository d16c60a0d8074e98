import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  defineConfig,
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
