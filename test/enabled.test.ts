import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  explainConfig,
  fromEnv,
  fromFile,
  fromObject,
  fromS3,
  loadConfig,
  resetConfigCache,
  type Source,
} from '../src/index.js';
import { captureWarnings } from '../src/testing.js';
import { configError } from './helpers.js';

afterEach(() => resetConfigCache());

const disabled: [string, () => Source][] = [
  ['fromFile', () => fromFile('/nowhere/config.local.json5', { enabled: false })],
  ['fromS3', () => fromS3('s3://cfg-bucket/local.json5', { enabled: false, optional: false })],
  ['fromEnv', () => fromEnv({ prefix: 'APP_', env: { APP_HOTS: 'x' }, enabled: false })],
  ['fromObject', () => fromObject({ hots: 'x', a: 2 }, { name: 'dev', enabled: false })],
  [
    'a user-written source',
    () => ({ name: 'mine', enabled: false, load: () => Promise.reject(new Error('never called')) }),
  ],
];

describe('enabled: false', () => {
  it.each(disabled)('skips %s without a word: no warning, no provenance, no failure', async (_kind, make) => {
    const logger = captureWarnings();
    const schema = z.object({ a: z.number() });
    const config = await loadConfig({
      schema,
      logger,
      sources: [fromObject({ a: 1 }, { name: 'base' }), make()],
    });
    expect(config).toEqual({ a: 1 });
    expect(explainConfig(config)).toEqual([{ path: ['a'], value: 1, source: 'base', overridden: [] }]);
    expect(logger.warnings).toEqual([]);
  });

  it('is left out of a failed load’s message as well', async () => {
    const err = await configError(
      loadConfig({
        sources: [
          fromObject({ a: { $override: 'set it' } }),
          fromFile('/nowhere/x.json5', { optional: true, enabled: false }),
        ],
        logger: captureWarnings(),
      }),
    );
    expect(err.code).toBe('OVERRIDE_MISSING');
    expect(err.message).not.toContain('dropped');
  });

  it('loads the source as usual when true', async () => {
    const config = await loadConfig({ sources: [fromObject({ a: 1 }, { enabled: true })] });
    expect(config).toEqual({ a: 1 });
  });

  it.each([
    ['fromFile', () => fromFile('x.json5', { enabled: 'no' as unknown as boolean })],
    ['fromS3', () => fromS3('s3://cfg-bucket/k', { enabled: 0 as unknown as boolean })],
    ['fromEnv', () => fromEnv({ prefix: 'A_', enabled: 'false' as unknown as boolean })],
    ['fromObject', () => fromObject({}, { enabled: null as unknown as boolean })],
  ])('%s refuses an enabled that is not a boolean (USAGE)', async (_kind, make) => {
    expect((await configError(make)).code).toBe('USAGE');
  });
});
