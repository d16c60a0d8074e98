import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { explainConfig, fromS3, loadConfig, resetConfigCache } from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';
import {
  base,
  GetObjectCommand,
  getObjectInputs,
  mockS3,
  networkError,
  objectOutput,
  s3Error,
  s3Fixture,
  stubOfflineAwsEnv,
  TARGET,
} from './s3-mock.js';

/** The warm lifecycle: maxAge, conditional GETs, 304, changes and failures on a reload. */

const s3 = mockS3();
const MAX_AGE = 60_000;
const logger = captureWarnings();
const load = (opts: { optional?: boolean; timeoutMs?: number } = {}) =>
  loadConfig({
    sources: [base(), fromS3(TARGET, opts)],
    maxAge: MAX_AGE,
    logger,
  });
const later = () => vi.setSystemTime(Date.now() + MAX_AGE * 1.1);
const serve = (name: string, etag: string) =>
  s3.on(GetObjectCommand).callsFake(objectOutput(s3Fixture(name), etag));

beforeEach(() => {
  s3.reset();
  logger.clear();
  stubOfflineAwsEnv();
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  resetConfigCache();
});

describe('fromS3 warm reloads', () => {
  it('serves the cached config within maxAge without asking S3', async () => {
    serve('prod.json5', '"e1"');
    const first = await load();
    vi.setSystemTime(Date.now() + MAX_AGE - 1);
    expect(await load()).toBe(first);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
  });

  it.each(['Unknown', '304', 'NotModified'])(
    'revalidates with IfNoneMatch and returns the same config on a 304 (error name %s)',
    async (name) => {
      serve('prod.json5', '"e1"');
      const first = await load();
      s3.on(GetObjectCommand, { IfNoneMatch: '"e1"' }).rejects(s3Error(name, 304));
      later();
      expect(await load()).toBe(first);
      expect(getObjectInputs(s3).map((input) => input.IfNoneMatch)).toEqual([undefined, '"e1"']);
      expect(logger.warnings).toEqual([]);
    },
  );

  it('returns the same config when a server ignores IfNoneMatch and resends the same ETag', async () => {
    serve('prod.json5', '"e1"');
    const first = await load();
    later();
    expect(await load()).toBe(first);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(2);
  });

  it('swaps in a new config when the object changed, with its new ETag in explainConfig', async () => {
    serve('prod.json5', '"e1"');
    const first = await load();
    serve('prod-v2.json5', '"e2"');
    later();
    const second = await load();
    expect(second).not.toBe(first);
    expect(first).toMatchObject({ db: { pool: 10 } });
    expect(second).toMatchObject({ db: { pool: 20 } });
    expect(explainConfig(second).find((r) => r.path.join('.') === 'db.pool')?.sourceVersion).toBe(
      'ETag "e2"',
    );
    expect(explainConfig(first).find((r) => r.path.join('.') === 'db.pool')?.sourceVersion).toBe('ETag "e1"');
  });

  it.each([
    ['a network error', () => networkError('ECONNRESET'), 'network error (ECONNRESET) after 2 attempts'],
    [
      'a 5xx',
      () => s3Error('InternalError', 500, 2),
      'S3 server error (InternalError, HTTP 500) after 2 attempts',
    ],
  ])(
    'keeps the last good layer on %s during a reload, with a SOURCE_STALE warning',
    async (_, error, reason) => {
      serve('prod.json5', '"e1"');
      const first = await load();
      s3.on(GetObjectCommand).rejects(error());
      later();
      expect(await load()).toBe(first);
      expect(logger.warnings).toEqual([
        {
          code: 'SOURCE_STALE',
          message: `kept the last good layer of ${TARGET}: ${reason}`,
          details: { code: 'SOURCE_STALE', source: TARGET, reason, etag: '"e1"' },
        },
      ]);
    },
  );

  it('keeps the last good layer on throttling during a reload, with a SOURCE_STALE warning', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    serve('prod.json5', '"e1"');
    const first = await load({ timeoutMs: 300 });
    s3.on(GetObjectCommand).rejects(s3Error('SlowDown', 503));
    later();
    expect(await load({ timeoutMs: 300 })).toBe(first);
    const reason =
      'throttled by S3 (SlowDown, HTTP 503); the next attempt would have waited 1.6 s, beyond the time left (timeoutMs, or the Lambda deadline)';
    expect(logger.warnings).toEqual([
      {
        code: 'SOURCE_STALE',
        message: `kept the last good layer of ${TARGET}: ${reason}`,
        details: { code: 'SOURCE_STALE', source: TARGET, reason, etag: '"e1"' },
      },
    ]);
  });

  it('keeps the last good layer when a reload times out', async () => {
    serve('prod.json5', '"e1"');
    const first = await load({ timeoutMs: 50 });
    s3.on(GetObjectCommand).callsFake(() => new Promise(() => {}));
    later();
    expect(await load({ timeoutMs: 50 })).toBe(first);
    expect(logger.warnings.map((w) => w.message)).toEqual([
      `kept the last good layer of ${TARGET}: no answer within 50 ms (timeoutMs)`,
    ]);
  });

  it('drops the layer when the object is gone on a reload, as a cold start would', async () => {
    serve('prod.json5', '"e1"');
    const first = await load();
    s3.on(GetObjectCommand).rejects(s3Error('NoSuchKey', 404));
    later();
    const second = await load();
    expect(second).toMatchObject({ db: { host: 'localhost', pool: 2 } });
    expect(first).toMatchObject({ db: { pool: 10 } });
    expect(logger.codes()).toEqual(['SOURCE_DROPPED']);
  });

  it('keeps the last good config with RELOAD_FAILED when the object turns corrupt, and retries after maxAge', async () => {
    serve('prod.json5', '"e1"');
    const first = await load();
    serve('corrupt.json5', '"bad"');
    later();
    expect(await load()).toBe(first);
    expect(logger.warnings).toMatchObject([
      {
        code: 'RELOAD_FAILED',
        message: `reload failed, serving the last good config: ${TARGET}: invalid JSON5 at line 3, column 3 (invalid character)`,
        details: { cause: 'PARSE_ERROR' },
      },
    ]);
    serve('prod-v2.json5', '"e2"');
    later();
    expect(await load()).toMatchObject({ db: { pool: 20 } });
  });

  it('keeps the last good config with RELOAD_FAILED when a required layer is denied on a reload', async () => {
    serve('prod.json5', '"e1"');
    const first = await load({ optional: false });
    s3.on(GetObjectCommand).rejects(s3Error('AccessDenied', 403));
    later();
    expect(await load({ optional: false })).toBe(first);
    expect(logger.codes()).toEqual(['RELOAD_FAILED']);
    expect(logger.warnings[0]?.message).toMatch(
      new RegExp(
        `^reload failed, serving the last good config: ${TARGET} is unavailable: access denied \\(AccessDenied\\)`,
      ),
    );
  });
});
