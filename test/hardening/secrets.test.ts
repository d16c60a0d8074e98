import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  explainConfig,
  fromEnv,
  fromFile,
  fromObject,
  loadConfig,
  redact,
  resetConfigCache,
  type Source,
} from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';
import { expectNoSecrets, surfaces } from './leaks.js';

// Secret values planted in layers, then every error and warning path of the library: no planted
// string may appear in a message, details, stack, cause, JSON form or util.inspect form.

const SECRETS = ['hunter2-db-password', 'sk_live_51Hx9planted', 'AKIAPLANTEDSECRET77', 'tok-9f8e7d6c5b'];
const dir = mkdtempSync(join(tmpdir(), 'strataconf-secrets-'));
const file = (name: string, body: string) => {
  writeFileSync(join(dir, name), body);
  return fromFile(join(dir, name), { name });
};

afterEach(() => resetConfigCache());

const schema = z.object({
  db: z.object({ host: z.string(), port: z.number(), password: z.string().meta({ secret: true }) }),
  apiKey: z.string().min(64),
});

const cases: [string, string, () => { sources: Source[]; schema?: z.ZodType; overrides?: 'error' }][] = [
  [
    'JSON parse error',
    'PARSE_ERROR',
    () => ({ sources: [file('p.json', `{"db":{"password":"${SECRETS[0]}" "x": 1}}`)] }),
  ],
  ['JSON5 parse error', 'PARSE_ERROR', () => ({ sources: [file('p.json5', `{ apiKey: ${SECRETS[1]} }`)] })],
  [
    'validation error on a secret value',
    'VALIDATION_ERROR',
    () => ({
      schema,
      sources: [
        fromObject({ db: { host: 'h', port: SECRETS[0], password: SECRETS[3] }, apiKey: SECRETS[1] }),
      ],
    }),
  ],
  [
    'env coercion error',
    'VALIDATION_ERROR',
    () => ({ schema, sources: [fromEnv({ prefix: 'APP_', env: { APP_DB__PORT: SECRETS[2] } })] }),
  ],
  [
    'forbidden override of a secret',
    'OVERRIDE_FORBIDDEN',
    () => ({
      overrides: 'error',
      sources: [fromObject({ db: { password: SECRETS[0] } }), fromObject({ db: { password: SECRETS[3] } })],
    }),
  ],
  [
    'missing $override beside secrets',
    'OVERRIDE_MISSING',
    () => ({ sources: [fromObject({ token: SECRETS[3], db: { password: { $override: 'set it' } } })] }),
  ],
  [
    'unavailable source beside secrets',
    'SOURCE_UNAVAILABLE',
    () => ({ sources: [fromObject({ apiKey: SECRETS[1] }), fromFile(join(dir, 'missing.json'))] }),
  ],
  [
    'unsafe key beside secrets',
    'UNSAFE_KEY',
    () => ({ sources: [fromObject(JSON.parse(`{"a":"${SECRETS[0]}","__proto__":{}}`))] }),
  ],
];

describe('no secret in any error', () => {
  it.each(cases)('%s (%s)', async (_what, code, make) => {
    const logger = captureWarnings();
    const outcome = await loadConfig({ ...make(), logger }).catch((err: unknown) => err);
    expect(outcome).toBeInstanceOf(ConfigError);
    expect((outcome as ConfigError).code).toBe(code);
    expectNoSecrets(surfaces(outcome, logger.warnings), SECRETS);
  });
});

describe('no secret in any warning', () => {
  it('an unexpected override of a secret names the path and the sources only', async () => {
    const logger = captureWarnings();
    await loadConfig({
      logger,
      sources: [
        fromObject({ db: { password: SECRETS[0] } }, { name: 'base' }),
        fromObject({ db: { password: SECRETS[3] } }, { name: 'prod' }),
      ],
    });
    expect(logger.warnings.map((w) => w.message)).toEqual(['db.password from base was overridden by prod']);
    expectNoSecrets(surfaces(undefined, logger.warnings), SECRETS);
  });

  it('a dropped optional source and a failed reload carry no values', async () => {
    const logger = captureWarnings();
    let fail = false;
    const flaky: Source = {
      name: 'flaky',
      load: async () => {
        if (fail)
          throw new ConfigError(
            'PARSE_ERROR',
            'flaky: invalid JSON5 at line 1, column 1 (invalid character)',
          );
        return { apiKey: SECRETS[1] };
      },
    };
    const definition = {
      sources: [flaky, fromFile(join(dir, 'nope.json'), { optional: true })],
      logger,
      maxAge: 0,
    };
    await loadConfig(definition);
    fail = true;
    await loadConfig(definition);
    expect(logger.codes()[0]).toBe('SOURCE_DROPPED');
    expect(logger.codes()).toContain('RELOAD_FAILED');
    expectNoSecrets(surfaces(undefined, logger.warnings), SECRETS);
  });
});

describe('no secret when the loaded config itself is logged', () => {
  it('util.inspect of the config, of its parts, and its explain rows redact every planted secret', async () => {
    const config = await loadConfig({
      schema,
      sources: [
        fromObject({
          db: { host: 'h', port: 5432, password: SECRETS[0] },
          apiKey: `${SECRETS[1]}${'x'.repeat(64)}`,
        }),
      ],
    });
    const logged = [
      inspect(config, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      inspect(config.db),
      inspect(explainConfig(config), { depth: Number.POSITIVE_INFINITY }),
      JSON.stringify(redact(config)),
    ].join('\n');
    expectNoSecrets(logged, SECRETS);
    expect(config.db.password).toBe(SECRETS[0]);
  });
});
