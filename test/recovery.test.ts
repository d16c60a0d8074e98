import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  defineConfig,
  explainConfig,
  fromObject,
  fromSsm,
  resetConfigCache,
  type Source,
} from '../src/index.js';
import { captureWarnings } from '../src/testing.js';

/**
 * A fleet that cold-started against a throttled store must not run on its bundled defaults for the
 * rest of its life. An optional remote layer dropped for a reason that may pass (throttling, a 5xx,
 * the network, a timeout), or kept stale after a reload failed so, is read again by a later `load()`
 * at a moment drawn per environment between 10 and 60 s after the failure, even with `maxAge`
 * Infinity; until then `load()` serves what it has, without I/O. Only the layers the config lacks
 * are read again. A reload after `maxAge` comes at a moment between `maxAge` and 1.1 x `maxAge`.
 */

const ssm = mockClient(SSMClient);
const throttle = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
  });
const param = (name: string, value: string) => ({ Name: name, Type: 'String', Value: value });

/** SSM answers throttling while `down`, else the path's parameter; every call is counted. */
function store() {
  const state = { down: true, calls: 0, value: 'from-ssm' };
  ssm.on(GetParametersByPathCommand).callsFake(() => {
    state.calls++;
    if (state.down) throw throttle();
    return { Parameters: [param('/orders/prod/db/host', state.value)] };
  });
  return state;
}

/** A local layer that counts its reads. */
function counted(value: object): Source & { reads: number } {
  const source = {
    name: 'base',
    reads: 0,
    load: async () => {
      source.reads++;
      return value;
    },
  };
  return source;
}

const later = (ms: number) => vi.setSystemTime(Date.now() + ms);

beforeEach(() => {
  ssm.reset();
  // The SDK path with strataconf's own client (no credentials in the environment); nothing leaves.
  vi.stubEnv('AWS_ACCESS_KEY_ID', '');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ENDPOINT_URL_SSM', 'http://127.0.0.1:9');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  resetConfigCache();
});

/** A definition with a bundled default, the SSM layer, and a short timeoutMs (a throttle gives up at once). */
function definition(base: Source, opts: { maxAge?: number; timeoutMs?: number } = {}) {
  const logger = captureWarnings();
  const { timeoutMs = 300, ...rest } = opts;
  const config = defineConfig({
    sources: [base, fromSsm('/orders/prod/', { timeoutMs })],
    logger,
    overrides: 'ignore',
    ...rest,
  });
  return { config, logger };
}

describe('recovery of a dropped layer', () => {
  it('reads a throttled layer again at the moment drawn between 10 and 60 s, even with maxAge Infinity', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // recovery at 10 + 0.5 x 50 = 35 s
    const state = store();
    const base = counted({ db: { host: 'default' } });
    const { config, logger } = definition(base);
    const first = await config.load();
    expect(first).toEqual({ db: { host: 'default' } });
    expect(logger.codes()).toEqual(['SOURCE_DROPPED']);
    state.down = false;
    later(34_999);
    expect(await config.load()).toBe(first);
    expect(state.calls).toBe(1);
    later(1);
    const recovered = await config.load();
    expect(recovered).toEqual({ db: { host: 'from-ssm' } });
    expect(state.calls).toBe(2);
    // Only the layer it lacked was read again.
    expect(base.reads).toBe(1);
    expect(logger.codes()).toEqual(['SOURCE_DROPPED', 'SOURCE_RECOVERED']);
    expect(logger.warnings[1]?.details).toMatchObject({
      code: 'SOURCE_RECOVERED',
      source: 'ssm:/orders/prod/',
      was: 'dropped',
      downForMs: 35_000,
    });
    expect(explainConfig(recovered)).toEqual([
      { path: ['db', 'host'], value: 'from-ssm', source: 'ssm:/orders/prod/', overridden: ['base'] },
    ]);
    // Warm again: no I/O.
    later(3_600_000);
    expect(await config.load()).toBe(recovered);
    expect(state.calls).toBe(2);
  });

  it.each([
    [0, 10_000],
    [0.999_999, 59_999],
  ])(
    'draws the moment per environment (random %s: after %i ms), never sooner than 10 s',
    async (random, due) => {
      vi.spyOn(Math, 'random').mockReturnValue(random);
      const state = store();
      const { config } = definition(counted({ db: { host: 'default' } }));
      const first = await config.load();
      state.down = false;
      later(due - 1);
      expect(await config.load()).toBe(first);
      later(1);
      expect(await config.load()).toEqual({ db: { host: 'from-ssm' } });
    },
  );

  it('keeps the config it has when the retry fails again, and tries again within a minute', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const state = store();
    const { config, logger } = definition(counted({ db: { host: 'default' } }));
    const first = await config.load();
    later(10_000);
    expect(await config.load()).toBe(first);
    expect(state.calls).toBe(2);
    expect(logger.codes()).toEqual(['SOURCE_DROPPED', 'SOURCE_DROPPED']);
    state.down = false;
    later(9_999);
    expect(await config.load()).toBe(first);
    later(1);
    expect(await config.load()).toEqual({ db: { host: 'from-ssm' } });
    expect(state.calls).toBe(3);
  });

  it('does not read again a layer that is missing for good, until maxAge', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
    const { config, logger } = definition(counted({ db: { host: 'default' } }));
    const first = await config.load();
    expect(logger.warnings[0]?.details.reason).toBe('no parameter under /orders/prod/');
    later(3_600_000);
    expect(await config.load()).toBe(first);
    expect(ssm.commandCalls(GetParametersByPathCommand)).toHaveLength(1);
  });

  it('reloads as maxAge says when maxAge comes before the recovery moment', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // recovery at 35 s; maxAge 5 s x 1.05
    const state = store();
    const base = counted({ db: { host: 'default' } });
    const { config } = definition(base, { maxAge: 5000 });
    await config.load();
    state.down = false;
    later(5250);
    expect(await config.load()).toEqual({ db: { host: 'from-ssm' } });
    // A reload after maxAge reads every layer.
    expect(base.reads).toBe(2);
  });

  it('bounds a recovery by the Lambda deadline passed as context', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const state = store();
    // A long timeoutMs: only the invocation's deadline can end the retries.
    const { config, logger } = definition(counted({ db: { host: 'default' } }), { timeoutMs: 60_000 });
    const first = await config.load({ context: { getRemainingTimeInMillis: () => 300 } });
    later(10_000);
    // 300 ms left in the invocation: the load keeps 30 ms back, and the first wait (0.8 s) cannot fit.
    expect(await config.load({ context: { getRemainingTimeInMillis: () => 300 } })).toBe(first);
    expect(state.calls).toBe(2);
    expect(logger.warnings.at(-1)?.details.reason).toBe(
      'throttled by SSM (ThrottlingException, HTTP 400); the next attempt would have waited 0.8 s, beyond the time left (timeoutMs, or the Lambda deadline)',
    );
  });

  it('names the layers still dropped when the load a recovery runs fails', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    let down = true;
    ssm.on(GetParametersByPathCommand).callsFake((input: { Path?: string }) => {
      if (input.Path === '/orders/missing') return { Parameters: [] };
      if (down) throw throttle();
      return { Parameters: [param('/orders/prod/db/port', 'not-a-port')] };
    });
    const logger = captureWarnings();
    const config = defineConfig({
      schema: z.object({ db: z.object({ port: z.number() }) }),
      sources: [
        fromObject({ db: { port: { $default: 5432 } } }),
        fromSsm('/orders/missing/', { timeoutMs: 300 }),
        fromSsm('/orders/prod/', { timeoutMs: 300 }),
      ],
      logger,
    });
    const first = await config.load();
    down = false;
    later(10_000);
    // The recovered layer does not validate: the last good config stays, and the warning names the
    // layer that is still dropped, the likely cause a person looks for first.
    expect(await config.load()).toBe(first);
    expect(logger.codes()).toEqual(['SOURCE_DROPPED', 'SOURCE_DROPPED', 'RELOAD_FAILED']);
    expect(logger.warnings[2]?.message).toMatch(
      /\(dropped optional sources: ssm:\/orders\/missing\/: no parameter under \/orders\/missing\/\)$/,
    );
  });
});

describe('recovery of a stale layer', () => {
  it('reads a layer kept stale after a throttled reload again within a minute, whatever maxAge says', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const state = store();
    state.down = false;
    const base = counted({ db: { host: 'default' } });
    const { config, logger } = definition(base, { maxAge: 3_600_000 });
    const first = await config.load();
    expect(first).toEqual({ db: { host: 'from-ssm' } });
    state.down = true;
    state.value = 'rotated';
    later(3_600_000);
    expect(await config.load()).toBe(first);
    expect(logger.codes()).toEqual(['SOURCE_STALE']);
    state.down = false;
    later(10_000);
    expect(await config.load()).toEqual({ db: { host: 'rotated' } });
    expect(logger.codes()).toEqual(['SOURCE_STALE', 'SOURCE_RECOVERED']);
    expect(logger.warnings[1]?.details).toMatchObject({ was: 'stale' });
    expect(base.reads).toBe(2);
  });
});

describe('maxAge', () => {
  it('reloads at a moment between maxAge and 1.1 x maxAge, drawn at each load', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
    const base = counted({ a: 1 });
    const config = defineConfig({ sources: [base, fromObject({ b: 2 })], maxAge: 10_000 });
    await config.load();
    later(10_999);
    await config.load();
    expect(base.reads).toBe(1);
    later(1);
    await config.load();
    expect(base.reads).toBe(2);
  });
});
