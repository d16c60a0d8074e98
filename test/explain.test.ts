import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  explainConfig,
  fromFile,
  fromObject,
  getIn,
  loadConfig,
  resetConfigCache,
} from '../src/index.js';
import { captureWarnings } from '../src/testing.js';
import { configError, fixture } from './helpers.js';

afterEach(() => resetConfigCache());

describe('explainConfig', () => {
  it('names the source of every leaf and what it replaced', async () => {
    const config = await loadConfig({
      logger: captureWarnings(),
      sources: [
        fromFile(fixture('default-object', 'base.json5'), { name: 'base.json5' }),
        fromFile(fixture('default-object', 'prod.json5'), { name: 'prod.json5' }),
      ],
    });
    expect(explainConfig(config)).toEqual([
      { path: ['http', 'timeoutMs'], value: 1000, source: 'base.json5', overridden: [] },
      { path: ['http', 'retries'], value: 5, source: 'prod.json5', overridden: ['base.json5'] },
      { path: ['http', 'headers', 'user-agent'], value: 'strataconf', source: 'base.json5', overridden: [] },
      {
        path: ['http', 'headers', 'accept'],
        value: 'application/json',
        source: 'prod.json5',
        overridden: [],
      },
      { path: ['name'], value: 'orders', source: 'base.json5', overridden: [] },
    ]);
  });

  it('treats arrays and empty objects as leaves', async () => {
    const config = await loadConfig({
      sources: [fromObject({ list: [1, { a: 2 }], empty: {} }, { name: 'o' })],
    });
    expect(explainConfig(config)).toEqual([
      { path: ['list'], value: [1, { a: 2 }], source: 'o', overridden: [] },
      { path: ['empty'], value: {}, source: 'o', overridden: [] },
    ]);
  });

  it('refuses an object that no load returned', () => {
    expect(() => explainConfig({ a: 1 })).toThrowError(ConfigError);
  });
});

describe('fixture scenarios', () => {
  it('override-missing: lists both unset values with their docs, not the satisfied one', async () => {
    const err = await configError(
      loadConfig({
        sources: [
          fromFile(fixture('override-missing', 'base.json5')),
          fromFile(fixture('override-missing', 'prod.json5')),
        ],
      }),
    );
    expect(err.code).toBe('OVERRIDE_MISSING');
    expect((err.details.missing as { path: string[] }[]).map((m) => m.path.join('.'))).toEqual([
      'db.host',
      'db.password',
    ]);
    expect(err.message).toContain('db.host: Set db.host in the S3 layer or APP_DB__HOST');
    expect(err.message).toContain('db.password: Set APP_DB__PASSWORD from Secrets Manager');
  });

  it('default-object: later layers merge into a $default object silently', async () => {
    const logger = captureWarnings();
    const config = await loadConfig({
      logger,
      sources: [
        fromFile(fixture('default-object', 'base.json5')),
        fromFile(fixture('default-object', 'prod.json5')),
      ],
    });
    expect(getIn(config, 'http', 'retries')).toBe(5);
    expect(getIn(config, 'http', 'headers')).toEqual({
      'user-agent': 'strataconf',
      accept: 'application/json',
    });
    expect(logger.warnings).toEqual([]);
  });
});

describe('getIn', () => {
  it('reads array items by index', async () => {
    const config = await loadConfig({ sources: [fromObject({ servers: [{ port: 1 }, { port: 2 }] })] });
    expect(getIn(config, 'servers', 1, 'port')).toBe(2);
    expect(getIn(config)).toBe(config);
  });

  it('throws MISSING_KEY naming the path instead of returning undefined', async () => {
    const config = await loadConfig({ sources: [fromObject({ servers: [{ port: 1 }] })] });
    const err = await configError(() => getIn(config, 'servers', 3, 'port'));
    expect(err.code).toBe('MISSING_KEY');
    expect(err.message).toBe('the config has no value at servers[3]');
  });

  it('does not read inherited properties', async () => {
    const config = await loadConfig({ sources: [fromObject({ a: {} })] });
    expect((await configError(() => getIn(config, 'a', 'toString'))).code).toBe('MISSING_KEY');
  });
});
