import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  explainConfig,
  fromObject,
  loadConfig,
  resetConfigCache as resetFromIndex,
  type Source,
} from '../src/index.js';
import {
  captureWarnings,
  fixtureLayers,
  loadFresh,
  resetConfigCache,
  withOverrides,
} from '../src/testing.js';
import { configError, fixture } from './helpers.js';

const dir = new URL('../fixtures/testing/', import.meta.url);
const schema = z.object({
  db: z.object({ host: z.string(), port: z.number().int().positive() }),
  features: z.object({ beta: z.boolean() }),
  retries: z.number().int(),
});

afterEach(() => resetConfigCache());

describe('fixtureLayers', () => {
  it('reads the named layers from the folder, lowest precedence first, named by file name', async () => {
    const sources = fixtureLayers(dir, 'base', 'prod');
    expect(sources.map((s) => s.name)).toEqual(['base.json5', 'prod.json5']);
    const { config } = await loadFresh({ schema, sources });
    expect(config).toEqual({
      db: { host: 'prod.db.internal', port: 5432 },
      features: { beta: true },
      retries: 3,
    });
    expect(explainConfig(config).find((row) => row.path.join('.') === 'db.host')).toMatchObject({
      source: 'prod.json5',
      overridden: ['base.json5'],
    });
  });

  it('prefers NAME.json5 to NAME.json, and reads exactly the file when the name has an extension', async () => {
    const json5 = await loadFresh({ sources: fixtureLayers(fixture('testing'), 'legacy') });
    const json = await loadFresh({ sources: fixtureLayers(fixture('testing'), 'legacy.json') });
    expect([json5.config.retries, json.config.retries]).toEqual([9, 5]);
  });

  it('finds NAME.yaml, else NAME.yml, when there is no JSON5 or JSON file of that name', async () => {
    const sources = fixtureLayers(fixture('testing'), 'legacy', 'stage', 'edge');
    expect(sources.map((s) => s.name)).toEqual(['legacy.json5', 'stage.yaml', 'edge.yml']);
    const { config, warnings } = await loadFresh({ sources: sources.slice(0, 2), overrides: 'ignore' });
    expect([config.retries, warnings]).toEqual([7, []]);
    expect((await loadFresh({ sources: sources.slice(2) })).config.retries).toBe(8);
  });

  it('drops a missing optional layer with one SOURCE_DROPPED warning', async () => {
    const sources = fixtureLayers(dir, 'base', 'prod', { name: 'local', optional: true });
    const { warnings } = await loadFresh({ schema, sources });
    expect(warnings.map((w) => [w.code, w.details.source])).toEqual([['SOURCE_DROPPED', 'local.json5']]);
    expect(warnings[0]?.message).toBe(
      'dropped optional source local.json5: file not found (nor local.json, local.yaml or local.yml)',
    );
  });

  it('fails a missing required layer with SOURCE_UNAVAILABLE', async () => {
    const error = await configError(loadFresh({ sources: fixtureLayers(dir, 'base', 'staging') }));
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(error.message).toBe(
      'staging.json5 is unavailable: file not found (nor staging.json, staging.yaml or staging.yml)',
    );
  });
});

describe('captureWarnings', () => {
  it('keeps each warning with its code and a copy of its details, and clears them', () => {
    const logger = captureWarnings();
    const details = { code: 'UNEXPECTED_OVERRIDE', path: ['retries'] };
    logger.warn('retries from base.json5 was overridden by prod.json5', details);
    logger.warn('no code here');
    details.code = 'CHANGED';
    expect(logger.codes()).toEqual(['UNEXPECTED_OVERRIDE', undefined]);
    expect(logger.warnings[0]).toEqual({
      message: 'retries from base.json5 was overridden by prod.json5',
      details: { code: 'UNEXPECTED_OVERRIDE', path: ['retries'] },
      code: 'UNEXPECTED_OVERRIDE',
    });
    logger.clear();
    expect(logger.warnings).toEqual([]);
  });

  it('receives the warnings of a load as its logger', async () => {
    const logger = captureWarnings();
    await loadConfig({
      sources: [fromObject({ retries: 3 }), fromObject({ retries: 4 }, { name: 'b' })],
      logger,
    });
    expect(logger.codes()).toEqual(['UNEXPECTED_OVERRIDE']);
  });
});

describe('loadFresh', () => {
  it('reads the layers again on every call, where loadConfig serves its cache', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'strataconf-testing-'));
    try {
      await copyFile(fixture('testing', 'base.json5'), join(tmp, 'base.json5'));
      await writeFile(join(tmp, 'stage.json5'), "{ db: { host: 'one' } }");
      const options = { schema, sources: fixtureLayers(tmp, 'base', 'stage') };
      const cached = await loadConfig(options);
      await writeFile(join(tmp, 'stage.json5'), "{ db: { host: 'two' } }");
      expect((await loadConfig(options)).db.host).toBe('one');
      expect((await loadFresh(options)).config.db.host).toBe('two');
      expect((await loadFresh(options)).config).not.toBe((await loadFresh(options)).config);
      expect(cached.db.host).toBe('one');
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('returns the frozen config typed by the schema', async () => {
    const { config } = await loadFresh({ schema, sources: fixtureLayers(dir, 'base', 'prod') });
    expectTypeOf(config.db.port).toEqualTypeOf<number>();
    expect(Object.isFrozen(config.db)).toBe(true);
    expect(() => {
      (config.db as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('passes the warnings to a given logger too, so a failed load can still be asserted on', async () => {
    const logger = captureWarnings();
    const sources = fixtureLayers(dir, 'base', { name: 'prod-missing', optional: true });
    const error = await configError(loadFresh({ schema, sources, logger }));
    expect(error.code).toBe('OVERRIDE_MISSING');
    expect(error.message).toContain('db.host: the database host, set per stage');
    expect(logger.codes()).toEqual(['SOURCE_DROPPED']);
  });
});

describe('withOverrides', () => {
  it('returns a new frozen config with the patch on top, and leaves the original as it was', async () => {
    const { config } = await loadFresh({ schema, sources: fixtureLayers(dir, 'base', 'prod') });
    const patched = await withOverrides(config, { features: { beta: false }, db: { port: 6432 } });
    expect(patched).toEqual({
      db: { host: 'prod.db.internal', port: 6432 },
      features: { beta: false },
      retries: 3,
    });
    expect(config).toEqual({
      db: { host: 'prod.db.internal', port: 5432 },
      features: { beta: true },
      retries: 3,
    });
    expect(Object.isFrozen(patched.features)).toBe(true);
    expect(Object.isFrozen(config.features)).toBe(true);
    expect(explainConfig(patched).find((row) => row.path.join('.') === 'db.port')?.source).toBe(
      'test overrides',
    );
  });

  it('validates the patched config with the same schema', async () => {
    const { config } = await loadFresh({ schema, sources: fixtureLayers(dir, 'base', 'prod') });
    const error = await configError(withOverrides(config, { db: { port: -1 } }));
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.details.issues).toEqual([
      expect.objectContaining({ path: ['db', 'port'], source: 'test overrides' }),
    ]);
  });

  it('is not bounded by the deadline of the invocation that loaded the config', async () => {
    let remaining = 10_000;
    const context = { getRemainingTimeInMillis: () => remaining };
    const slow: Source = { name: 'slow', load: () => new Promise((r) => setTimeout(() => r({}), 30)) };
    const config = await loadConfig({
      schema,
      context,
      sources: [...fixtureLayers(dir, 'base', 'prod'), slow],
    });
    remaining = 0;
    expect((await withOverrides(config, { retries: 0 })).retries).toBe(0);
  });

  it('refuses an object that no strataconf load returned', async () => {
    const error = await configError(withOverrides({ retries: 1 }, { retries: 2 }));
    expect(error.code).toBe('USAGE');
  });
});

describe('resetConfigCache', () => {
  it('is the one strataconf exports, so a test can start each case with an empty cache', async () => {
    expect(resetConfigCache).toBe(resetFromIndex);
    const options = { sources: [fromObject({ retries: 1 })] };
    const first = await loadConfig(options);
    expect(await loadConfig(options)).toBe(first);
    resetConfigCache();
    expect(await loadConfig(options)).not.toBe(first);
  });
});
