import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { changedPaths } from '../src/change.js';
import { ConfigError, defineConfig, explainConfig, resetConfigCache, type Source } from '../src/index.js';
import { captureWarnings } from '../src/testing.js';

/**
 * `definition.refresh()` reads the named layers again now (a secret rotated under a running
 * function), and `definition.onChange()` tells listeners what a new config changed.
 */

afterEach(() => {
  vi.useRealTimers();
  resetConfigCache();
});

/** A source whose value the test changes, counting its reads. */
function layer(name: string, value: object) {
  const state = { value, reads: 0 };
  const source: Source = {
    name,
    optional: false,
    load: async () => {
      state.reads++;
      // The same object while the value is unchanged: an unchanged layer is the same layer, as for
      // the built-in sources.
      return state.value;
    },
  };
  return { source, state };
}

describe('refresh', () => {
  it('reads the named layer again now and none of the others, whatever maxAge says', async () => {
    const base = layer('config.json5', { db: { host: 'db.internal', user: 'orders' } });
    const secret = layer('secret:orders/prod/db', { db: { password: 'old-password' } });
    const definition = defineConfig({ sources: [base.source, secret.source] });
    const first = await definition.load();
    secret.state.value = { db: { password: 'rotated-password' } };
    expect(await definition.load()).toBe(first);
    const refreshed = await definition.refresh({ sources: ['secret:orders/prod/db'] });
    expect(refreshed).toEqual({ db: { host: 'db.internal', user: 'orders', password: 'rotated-password' } });
    expect([base.state.reads, secret.state.reads]).toEqual([1, 2]);
    // Warm again: the refreshed config, no I/O.
    expect(await definition.load()).toBe(refreshed);
    expect([base.state.reads, secret.state.reads]).toEqual([1, 2]);
    expect(explainConfig(refreshed).find((r) => r.path.join('.') === 'db.password')?.source).toBe(
      'secret:orders/prod/db',
    );
  });

  it('returns the same object when the named layer did not change', async () => {
    const secret = layer('secret:s', { password: 'same' });
    const definition = defineConfig({ sources: [secret.source] });
    const first = await definition.load();
    expect(await definition.refresh({ sources: ['secret:s'] })).toBe(first);
    expect(secret.state.reads).toBe(2);
  });

  it('reads every layer when no source is named', async () => {
    const a = layer('a', { a: 1 });
    const b = layer('b', { b: 1 });
    const definition = defineConfig({ sources: [a.source, b.source] });
    await definition.load();
    b.state.value = { b: 2 };
    expect(await definition.refresh()).toEqual({ a: 1, b: 2 });
    expect([a.state.reads, b.state.reads]).toEqual([2, 2]);
  });

  it('loads the config when it was never loaded', async () => {
    const a = layer('a', { a: 1 });
    const definition = defineConfig({ sources: [a.source] });
    expect(await definition.refresh({ sources: ['a'] })).toEqual({ a: 1 });
    expect(a.state.reads).toBe(1);
  });

  it('shares one read among refreshes called at once', async () => {
    const secret = layer('secret:s', { password: 'one' });
    const definition = defineConfig({ sources: [secret.source] });
    await definition.load();
    secret.state.value = { password: 'two' };
    const [x, y] = await Promise.all([
      definition.refresh({ sources: ['secret:s'] }),
      definition.refresh({ sources: ['secret:s'] }),
    ]);
    expect(x).toBe(y);
    expect(secret.state.reads).toBe(2);
  });

  it('fails with USAGE naming the definition’s sources when a name is not one of them', async () => {
    const definition = defineConfig({
      sources: [layer('config.json5', {}).source, layer('secret:db', {}).source],
    });
    const err = (await definition
      .refresh({ sources: ['secret:dbb'] })
      .catch((e: unknown) => e)) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.code).toBe('USAGE');
    expect(err.message).toBe(
      'refresh: no source is named "secret:dbb"; this definition\'s sources are "config.json5", "secret:db"',
    );
  });

  it('keeps the last good config with RELOAD_FAILED when the refreshed layer does not validate', async () => {
    const secret = layer('secret:s', { port: 1 });
    const logger = captureWarnings();
    const definition = defineConfig({
      schema: z.object({ port: z.number() }),
      sources: [secret.source],
      logger,
    });
    const first = await definition.load();
    secret.state.value = { port: 'not a port' };
    expect(await definition.refresh({ sources: ['secret:s'] })).toBe(first);
    expect(logger.codes()).toEqual(['RELOAD_FAILED']);
  });
});

describe('onChange', () => {
  it('tells a listener the leaves and the sources that changed, not on the first load', async () => {
    const base = layer('base', { db: { host: 'a', port: 1 } });
    const secret = layer('secret:db', { db: { password: 'p1' } });
    const definition = defineConfig({ sources: [base.source, secret.source] });
    const changes: unknown[] = [];
    definition.onChange((change) => changes.push(change));
    const first = await definition.load();
    expect(changes).toEqual([]);
    secret.state.value = { db: { password: 'p2' } };
    const second = await definition.refresh({ sources: ['secret:db'] });
    expect(changes).toEqual([
      { config: second, previous: first, paths: [['db', 'password']], sources: ['secret:db'] },
    ]);
  });

  it('is called after a reload after maxAge that produced a new config, and not after one that did not', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const a = layer('a', { n: 1 });
    const definition = defineConfig({ sources: [a.source], maxAge: 1000 });
    const seen = vi.fn();
    definition.onChange(seen);
    await definition.load();
    vi.setSystemTime(Date.now() + 1000);
    await definition.load();
    expect(seen).not.toHaveBeenCalled();
    a.state.value = { n: 2 };
    vi.setSystemTime(Date.now() + 1000);
    await definition.load();
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen.mock.calls[0]?.[0]).toMatchObject({ paths: [['n']], sources: ['a'] });
  });

  it('reports a listener that throws, or rejects, as a warning without its message, and goes on', async () => {
    const a = layer('a', { password: 's3cr3t-value' });
    const logger = captureWarnings();
    const definition = defineConfig({ sources: [a.source], logger });
    const after = vi.fn();
    definition.onChange(() => {
      throw new TypeError('cannot reset the pool for s3cr3t-value');
    });
    definition.onChange(async () => {
      throw new RangeError('s3cr3t-value');
    });
    definition.onChange(after);
    await definition.load();
    a.state.value = { password: 'n3w-value' };
    expect(await definition.refresh()).toEqual({ password: 'n3w-value' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(after).toHaveBeenCalledTimes(1);
    expect(logger.warnings.map((w) => [w.code, w.details.error])).toEqual([
      ['CHANGE_LISTENER_FAILED', 'TypeError'],
      ['CHANGE_LISTENER_FAILED', 'RangeError'],
    ]);
    expect(JSON.stringify(logger.warnings)).not.toContain('s3cr3t');
  });

  it('stops calling a listener once it unsubscribed', async () => {
    const a = layer('a', { n: 1 });
    const definition = defineConfig({ sources: [a.source] });
    const seen = vi.fn();
    const unsubscribe = definition.onChange(seen);
    await definition.load();
    a.state.value = { n: 2 };
    await definition.refresh();
    unsubscribe();
    a.state.value = { n: 3 };
    await definition.refresh();
    expect(seen).toHaveBeenCalledTimes(1);
  });
});

describe('the changed paths', () => {
  it.each([
    ['a changed leaf', { db: { host: 'a', port: 1 } }, { db: { host: 'b', port: 1 } }, [['db', 'host']]],
    [
      'an added key',
      { a: 1 },
      { a: 1, b: { c: 2, d: 3 } },
      [
        ['b', 'c'],
        ['b', 'd'],
      ],
    ],
    ['a removed key', { a: 1, b: { c: 2 } }, { a: 1 }, [['b', 'c']]],
    ['an array (one leaf)', { hosts: ['a', 'b'] }, { hosts: ['a', 'c'] }, [['hosts']]],
    ['an equal array', { hosts: ['a', { x: 1 }] }, { hosts: ['a', { x: 1 }] }, []],
    ['a leaf that became an object', { db: 'url' }, { db: { host: 'h' } }, [['db'], ['db', 'host']]],
    [
      'deep nesting',
      { a: { b: { c: { d: 1, e: 2 } } } },
      { a: { b: { c: { d: 1, e: 3 } } } },
      [['a', 'b', 'c', 'e']],
    ],
    ['null and undefined', { a: null }, { a: undefined }, [['a']]],
    ['an empty object', { a: {} }, { a: { b: 1 } }, [['a'], ['a', 'b']]],
  ])('reports %s', (_what, before, after, paths) => {
    expect(changedPaths(before, after)).toEqual(paths);
  });
});
