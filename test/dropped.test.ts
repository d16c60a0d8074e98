import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromObject, loadConfig, resetConfigCache, type Source } from '../src/index.js';
import { unavailable } from '../src/layer-meta.js';
import { captureWarnings } from '../src/testing.js';
import { configError } from './helpers.js';

afterEach(() => resetConfigCache());

/** An optional source that is unavailable, as S3 is when access is denied. */
const denied: Source = {
  name: 's3://b/k',
  optional: true,
  load: () => Promise.reject(unavailable('s3://b/k', 'access denied')),
};

describe('a failed load names the optional sources it dropped', () => {
  it.each([
    [
      'OVERRIDE_MISSING',
      { sources: [fromObject({ db: { password: { $override: 'in S3' } } }), denied] },
      '1 value marked $override was not set by a later layer (dropped optional sources: s3://b/k: access denied):\n  - db.password: in S3 (marked in object)',
    ],
    [
      'VALIDATION_ERROR',
      { schema: z.object({ port: z.number() }), sources: [fromObject({}), denied] },
      'the config does not match the schema (1 issue) (dropped optional sources: s3://b/k: access denied):',
    ],
    [
      'UNKNOWN_KEY',
      { schema: z.object({}), unknownKeys: 'error' as const, sources: [fromObject({ x: 1 }), denied] },
      '1 key is not in the schema (dropped optional sources: s3://b/k: access denied):',
    ],
    [
      'OVERRIDE_FORBIDDEN',
      { overrides: 'error' as const, sources: [fromObject({ a: 1 }), denied, fromObject({ a: 2 })] },
      'unmarked values were overridden (mark them { "$default": ... } to allow it) (dropped optional sources: s3://b/k: access denied):',
    ],
    [
      'SOURCE_UNAVAILABLE',
      {
        sources: [
          denied,
          { name: 'late', load: () => new Promise<undefined>((r) => setTimeout(() => r(undefined), 20)) },
        ],
      },
      'late is unavailable: it returned nothing (dropped optional sources: s3://b/k: access denied)',
    ],
  ])('%s, in the first line of the message and in details', async (code, options, start) => {
    const err = await configError(loadConfig({ logger: captureWarnings(), ...options }));
    expect(err.code).toBe(code);
    expect(err.message.startsWith(start)).toBe(true);
    expect(err.details.droppedSources).toEqual([{ source: 's3://b/k', reason: 'access denied' }]);
  });

  it('leaves the message as it was when nothing was dropped', async () => {
    const err = await configError(loadConfig({ sources: [fromObject({ a: { $override: 'x' } })] }));
    expect(err.message).not.toContain('dropped');
    expect(err.details.droppedSources).toBeUndefined();
  });

  it('names an optional source dropped after the required source that failed, and warns for it before the error', async () => {
    const events: string[] = [];
    const logger = { warn: (message: string) => events.push(`warning: ${message}`) };
    const slowDenied: Source = {
      name: 's3://b/slow',
      optional: true,
      load: () =>
        new Promise((_, reject) => setTimeout(() => reject(unavailable('s3://b/slow', 'NoSuchKey')), 30)),
    };
    const broken: Source = { name: 'base', load: () => Promise.reject(unavailable('base', 'gone')) };
    const err = await configError(
      loadConfig({ logger, sources: [denied, broken, slowDenied] }).catch((e: unknown) => {
        events.push('error');
        throw e;
      }),
    );
    expect(err.message).toBe(
      'base is unavailable: gone (dropped optional sources: s3://b/k: access denied; s3://b/slow: NoSuchKey)',
    );
    expect(err.details.droppedSources).toEqual([
      { source: 's3://b/k', reason: 'access denied' },
      { source: 's3://b/slow', reason: 'NoSuchKey' },
    ]);
    expect(events).toEqual([
      'warning: dropped optional source s3://b/k: access denied',
      'warning: dropped optional source s3://b/slow: NoSuchKey',
      'error',
    ]);
  });

  it('fails with the first failing source in the order given, whichever failed first', async () => {
    const late: Source = {
      name: 'late',
      load: () => new Promise((_, reject) => setTimeout(() => reject(unavailable('late', 'gone')), 20)),
    };
    const early: Source = { name: 'early', load: () => Promise.reject(unavailable('early', 'gone')) };
    const err = await configError(loadConfig({ sources: [late, early] }));
    expect(err.message).toBe('late is unavailable: gone');
  });
});
