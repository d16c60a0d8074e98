import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  defineConfig,
  fromEnv,
  fromFile,
  fromObject,
  loadConfig,
  resetConfigCache,
  type Source,
} from '../src/index.js';
import { captureWarnings } from '../src/testing.js';
import { configError, fixture } from './helpers.js';

/** A user-written source that counts its loads and serves whatever `state.value` holds. */
function counting(initial: object | Error) {
  const state = { value: initial, loads: 0 };
  const source: Source = {
    name: 'counted',
    load: async () => {
      const value = state.value;
      state.loads++;
      await new Promise((r) => setTimeout(r, 1));
      if (value instanceof Error) throw value;
      return value;
    },
  };
  return { source, state };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  resetConfigCache();
});

const later = (ms: number) => vi.setSystemTime(Date.now() + ms);

describe('the config cache', () => {
  it('returns the same object on a warm call, without loading again', async () => {
    const { source, state } = counting({ a: 1 });
    const definition = defineConfig({ sources: [source] });
    const first = await definition.load();
    expect(await definition.load()).toBe(first);
    expect(state.loads).toBe(1);
  });

  it('hits the cache with equivalent options rebuilt inside the handler', async () => {
    const handler = () =>
      loadConfig({
        schema: schema,
        logger: captureWarnings(),
        maxAge: 60_000,
        sources: [
          fromFile(fixture('immuconf', 'a.json5')),
          fromObject({ b: 1 }),
          fromEnv({ prefix: 'APP_', env: {} }),
        ],
      });
    const schema = z.looseObject({});
    const first = await handler();
    expect(await handler()).toBe(first);
  });

  it('keys by source kind, location and optionality, and by schema identity', async () => {
    const a = await loadConfig({ sources: [fromFile(fixture('immuconf', 'a.json5'))] });
    expect(
      await loadConfig({ sources: [fromFile(fixture('immuconf', 'a.json5'), { optional: true })] }),
    ).not.toBe(a);
    expect(
      await loadConfig({ sources: [fromFile(fixture('immuconf', 'a.json5'))], schema: z.looseObject({}) }),
    ).not.toBe(a);
    expect(await loadConfig({ sources: [fromFile(fixture('immuconf', 'a.json5'))] })).toBe(a);
  });

  it('shares one in-flight load among 1,000 concurrent cold calls', async () => {
    const { source, state } = counting({ a: 1 });
    const results = await Promise.all(Array.from({ length: 1000 }, () => loadConfig({ sources: [source] })));
    expect(state.loads).toBe(1);
    expect(new Set(results).size).toBe(1);
  });

  it('does not cache a failed load: the next call tries again', async () => {
    const { source, state } = counting(new Error('down'));
    await configError(loadConfig({ sources: [source] }));
    state.value = { a: 1 };
    expect(await loadConfig({ sources: [source] })).toEqual({ a: 1 });
    expect(state.loads).toBe(2);
  });

  it('does the same for a definition', async () => {
    const { source, state } = counting(new Error('down'));
    const definition = defineConfig({ sources: [source] });
    await configError(definition.load());
    state.value = { a: 1 };
    expect(await definition.load()).toEqual({ a: 1 });
    expect(await loadConfig({ sources: [source] })).toBe(await definition.load());
  });

  it('forgets everything on resetConfigCache', async () => {
    const { source, state } = counting({ a: 1 });
    const definition = defineConfig({ sources: [source] });
    const first = await definition.load();
    resetConfigCache();
    const second = await definition.load();
    expect(second).not.toBe(first);
    expect(state.loads).toBe(2);
  });

  it('does not let a load in flight during resetConfigCache leak into the fresh cache', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let value = { a: 1 };
    const source: Source = {
      name: 'gated',
      load: async () => {
        const mine = value;
        await gate;
        return mine;
      },
    };
    const inFlight = loadConfig({ sources: [source] });
    await new Promise((r) => setTimeout(r, 5));
    resetConfigCache();
    value = { a: 2 };
    const fresh = loadConfig({ sources: [source] });
    release();
    expect(await inFlight).toEqual({ a: 1 });
    expect(await fresh).toEqual({ a: 2 });
    expect(await loadConfig({ sources: [source] })).toBe(await fresh);
  });
});

describe('maxAge', () => {
  it('serves the cached object within maxAge, then reloads', async () => {
    const { source, state } = counting({ a: 1 });
    const definition = defineConfig({ sources: [source], maxAge: 1000 });
    const first = await definition.load();
    later(999);
    expect(await definition.load()).toBe(first);
    expect(state.loads).toBe(1);
    // The reload comes between maxAge and 1.1 x maxAge (a moment drawn per load): by 1100 ms.
    later(101);
    state.value = { a: 2 };
    const second = await definition.load();
    expect(second).toEqual({ a: 2 });
    expect(state.loads).toBe(2);
  });

  it('returns the same object after maxAge when no layer changed', async () => {
    const { source, state } = counting({ a: 1 });
    const logger = captureWarnings();
    const definition = defineConfig({
      sources: [source, fromFile(fixture('immuconf', 'b.json5'))],
      maxAge: 1000,
      logger,
    });
    const first = await definition.load();
    // b.json5 replaces the unmarked `a`: warned when the config is built, not again when it is kept.
    expect(logger.codes()).toEqual(['UNEXPECTED_OVERRIDE']);
    later(5000);
    expect(await definition.load()).toBe(first);
    expect(state.loads).toBe(2);
    expect(logger.codes()).toEqual(['UNEXPECTED_OVERRIDE']);
  });

  it('keeps the last good config with a warning when a reload fails, and tries again after another maxAge', async () => {
    const { source, state } = counting({ a: 1 });
    const logger = captureWarnings();
    const definition = defineConfig({ sources: [source], maxAge: 1000, logger });
    const first = await definition.load();
    later(1100);
    state.value = new Error('S3 is down');
    expect(await definition.load()).toBe(first);
    expect(logger.codes()).toEqual(['RELOAD_FAILED']);
    expect(await definition.load()).toBe(first);
    expect(state.loads).toBe(2);
    later(1100);
    state.value = { a: 3 };
    expect(await definition.load()).toEqual({ a: 3 });
  });

  it('never serves a half-merged config when a reload fails midway', async () => {
    const good = counting({ a: 1 });
    const flaky = counting({ b: 1 });
    const definition = defineConfig({
      sources: [good.source, flaky.source],
      maxAge: 10,
      logger: captureWarnings(),
    });
    const first = await definition.load();
    later(11);
    good.state.value = { a: 2 };
    flaky.state.value = new Error('midway');
    const after = await definition.load();
    expect(after).toBe(first);
    expect(after).toEqual({ a: 1, b: 1 });
  });

  it('re-validates a changed layer and keeps the old config if the new one is invalid', async () => {
    const { source, state } = counting({ port: 1 });
    const logger = captureWarnings();
    const definition = defineConfig({
      sources: [source],
      maxAge: 10,
      schema: z.object({ port: z.number() }),
      logger,
    });
    const first = await definition.load();
    later(11);
    state.value = { port: 'nope' };
    expect(await definition.load()).toBe(first);
    expect(logger.warnings[0]?.details).toMatchObject({ code: 'RELOAD_FAILED', cause: 'VALIDATION_ERROR' });
  });
});
