import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  defineConfig,
  fromEnv,
  fromFile,
  fromS3,
  loadConfig,
  resetConfigCache,
  type Source,
} from '../../src/index.js';
import { resetSharedClients } from '../../src/sources/s3/sdk.js';
import { tempDir } from '../helpers.js';
import { putObject, requestsFor, seedObjects, stubS3Env } from '../setup/s3.js';

/**
 * Load and concurrency with real sources (a file, an object on s3rver, env variables): cold calls
 * share one load per source, counted where the work happens (file opens, S3 GETs at the server, env
 * reads); `resetConfigCache` during a load keeps the fresh cache fresh. Failed reloads: see
 * reload-failures.test.ts.
 */

// Every file strataconf opens, by path (the file source opens through node:fs's callback API).
const opened = vi.hoisted(() => [] as string[]);
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const open = (...args: Parameters<typeof actual.open>) => {
    opened.push(String(args[0]));
    return actual.open(...args);
  };
  return { ...actual, open, default: { ...actual, open } };
});

const BUCKET = 'strataconf-hardening-load';
const dir = tempDir('load');
const FILE = join(dir, 'base.json5');
const CALLS = 1000;

/** An env whose every listing is counted (fromEnv lists the variables once per load). */
function countedEnv(vars: Record<string, string>) {
  const counter = { reads: 0 };
  const env = new Proxy(vars, {
    ownKeys(target) {
      counter.reads++;
      return Reflect.ownKeys(target);
    },
  });
  return { env, counter };
}

/** A user-written source that counts its loads and can be held until released. */
function heldSource(value: () => object) {
  const state = { loads: 0, release: () => {} };
  const source: Source = {
    name: 'held',
    async load() {
      state.loads++;
      if (state.loads === 1) await new Promise<void>((resolve) => (state.release = resolve));
      return value();
    },
  };
  return { source, state };
}

const getsOf = (key: string) => requestsFor(BUCKET, key).filter((r) => r.method === 'GET');
const opensOf = (path: string) => opened.filter((p) => p === path).length;

// Seeding is quick, but not within vitest's 10 s hook limit on a busy machine.
beforeAll(() => seedObjects(BUCKET, { 'cold.json5': "{ db: { pool: 10 }, region: 's3' }" }), 120_000);
beforeEach(() => {
  stubS3Env();
  opened.length = 0;
  writeFileSync(FILE, "{ service: 'orders', db: { host: 'localhost', pool: 2 } }");
});
afterEach(() => {
  resetConfigCache();
  resetSharedClients();
});

describe('1,000 concurrent cold calls', () => {
  it('with options rebuilt in every call, make one file read, one S3 GET and one env read', async () => {
    const { env, counter } = countedEnv({ APP_DB__HOST: 'from-env' });
    const handler = () =>
      loadConfig({
        sources: [
          fromFile(FILE),
          fromS3(`s3://${BUCKET}/cold.json5`),
          fromEnv({ prefix: 'APP_', env: env as Record<string, string> }),
        ],
        logger: { warn() {} },
      });
    const calls = Array.from({ length: CALLS }, handler);
    // Each build reads the env object for its cache key; what is counted from here is the loads' reads.
    counter.reads = 0;
    const configs = await Promise.all(calls);
    expect(configs[0]).toEqual({ service: 'orders', db: { host: 'from-env', pool: 10 }, region: 's3' });
    expect(new Set(configs).size).toBe(1);
    expect(opensOf(FILE)).toBe(1);
    expect(getsOf('cold.json5')).toHaveLength(1);
    expect(counter.reads).toBe(1);
  });

  it('of one definition with a user-written source, make one load of each source', async () => {
    await putObject(BUCKET, 'definition.json5', '{ db: { pool: 20 } }');
    const held = heldSource(() => ({ flags: { beta: true } }));
    const { env, counter } = countedEnv({ APP_DB__POOL: '30' });
    const definition = defineConfig({
      sources: [
        fromFile(FILE),
        fromS3(`s3://${BUCKET}/definition.json5`),
        held.source,
        fromEnv({ prefix: 'APP_', env: env as Record<string, string> }),
      ],
      logger: { warn() {} },
    });
    counter.reads = 0; // building fromEnv read the env object for its cache key: the loads' reads count
    const calls = Array.from({ length: CALLS }, () => definition.load());
    await vi.waitFor(() => expect(held.state.loads).toBe(1));
    held.state.release();
    const configs = await Promise.all(calls);
    expect(configs[0]).toEqual({
      service: 'orders',
      db: { host: 'localhost', pool: 30 },
      flags: { beta: true },
    });
    expect(new Set(configs).size).toBe(1);
    expect([opensOf(FILE), getsOf('definition.json5').length, held.state.loads, counter.reads]).toEqual([
      1, 1, 1, 1,
    ]);
  });
});

describe('resetConfigCache during a load', () => {
  it('keeps the load in flight out of the fresh cache: later calls get the fresh config', async () => {
    await putObject(BUCKET, 'reset.json5', "{ version: 'old' }");
    const held = heldSource(() => ({}));
    const definition = defineConfig({
      sources: [fromFile(FILE), fromS3(`s3://${BUCKET}/reset.json5`), held.source],
      overrides: 'ignore',
    });
    const stale = definition.load();
    await vi.waitFor(() => expect(held.state.loads).toBe(1));
    // The world changes, the cache is reset, and a new load starts while the old one is still held.
    writeFileSync(FILE, "{ service: 'orders-v2' }");
    await putObject(BUCKET, 'reset.json5', "{ version: 'new' }");
    resetConfigCache();
    const fresh = await definition.load();
    expect(fresh).toEqual({ service: 'orders-v2', version: 'new' });
    held.state.release();
    // The old load's callers get its own result (what it read depends on timing), never the fresh one.
    expect(await stale).not.toBe(fresh);
    const gets = getsOf('reset.json5').length;
    // Warm calls after both loads finished: the fresh config, with no more I/O.
    for (const later of await Promise.all([definition.load(), definition.load()])) expect(later).toBe(fresh);
    const rebuilt = await loadConfig({
      sources: [fromFile(FILE), fromS3(`s3://${BUCKET}/reset.json5`), held.source],
      overrides: 'ignore',
    });
    expect(rebuilt).toBe(fresh);
    expect(getsOf('reset.json5').length).toBe(gets);
  });

  it('does not let an old load that fails after the reset evict the fresh entry', async () => {
    let fail = false;
    let release = () => {};
    const gated: Source = {
      name: 'gated',
      async load() {
        if (!fail) return {};
        await new Promise<void>((resolve) => (release = resolve));
        throw new Error('the old load broke');
      },
    };
    const options = { sources: [fromFile(FILE), gated], overrides: 'ignore' as const };
    fail = true;
    const old = loadConfig(options).catch((err: unknown) => err);
    await vi.waitFor(() => expect(opensOf(FILE)).toBe(1));
    resetConfigCache();
    fail = false;
    const fresh = await loadConfig(options);
    release();
    expect(await old).toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    expect(await loadConfig(options)).toBe(fresh);
    expect(opensOf(FILE)).toBe(2);
  });

  it('keeps a reload in flight at reset time out of the fresh cache', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      await putObject(BUCKET, 'reload-reset.json5', "{ version: 'v1' }");
      let hold = false;
      let release = () => {};
      const slow: Source = {
        name: 'slow',
        async load() {
          if (hold) await new Promise<void>((resolve) => (release = resolve));
          return {};
        },
      };
      const options = {
        sources: [fromS3(`s3://${BUCKET}/reload-reset.json5`), slow],
        maxAge: 1000,
        overrides: 'ignore' as const,
      };
      const first = await loadConfig(options);
      hold = true;
      await putObject(BUCKET, 'reload-reset.json5', "{ version: 'v2' }");
      vi.setSystemTime(Date.now() + 1100);
      const reloading = loadConfig(options);
      await vi.waitFor(() => expect(getsOf('reload-reset.json5')).toHaveLength(2));
      resetConfigCache();
      await putObject(BUCKET, 'reload-reset.json5', "{ version: 'v3' }");
      hold = false;
      const fresh = await loadConfig(options);
      expect(fresh).toEqual({ version: 'v3' });
      release();
      // The reload started before the reset serves its own callers (v2 or later: timing), not the cache.
      expect(await reloading).not.toBe(fresh);
      expect(await loadConfig(options)).toBe(fresh);
      expect(first).toEqual({ version: 'v1' });
    } finally {
      vi.useRealTimers();
    }
  });
});
