import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRedactor, REDACTED, SHOW_ALL } from '../../src/cli/redact.js';
import { loadConfig, type Source } from '../../src/index.js';
import { markSecret } from '../../src/layer-meta.js';

describe('createRedactor', () => {
  it.each([
    'password',
    'dbPassword',
    'DB_PASSWORD',
    'clientSecret',
    'secrets',
    'token',
    'refreshToken',
    'apiKey',
    'api_key',
    'API-KEY',
    'privateKey',
    'private_key',
    'credential',
    'awsCredentials',
  ])('redacts a value whose key is %s', (key) => {
    const redactor = createRedactor([], []);
    expect(redactor.redact({ [key]: 'x', host: 'h' })).toEqual({ [key]: REDACTED, host: 'h' });
  });

  it.each(['host', 'keyId', 'publicKey', 'monkey', 'passage'])(
    'leaves a value whose key is %s alone',
    (key) => {
      expect(createRedactor([], []).redact({ [key]: 'v' })).toEqual({ [key]: 'v' });
    },
  );

  it('redacts a whole object under a secret key, and secret keys inside arrays', () => {
    const redactor = createRedactor([], []);
    expect(
      redactor.redact({ credentials: { user: 'u', pass: 'p' }, users: [{ name: 'a', password: 'p' }] }),
    ).toEqual({
      credentials: REDACTED,
      users: [{ name: 'a', password: REDACTED }],
    });
  });

  it('redacts paths the schema marks with .meta({ secret: true }), through records and arrays', () => {
    const schema = z.object({
      signing: z.object({ key: z.string().meta({ secret: true }), alg: z.string() }),
      tenants: z.record(z.string(), z.object({ dsn: z.string().meta({ secret: true }).optional() })),
    });
    const redactor = createRedactor([schema], []);
    expect(redactor.redact({ signing: { key: 'k', alg: 'HS256' }, tenants: { a: { dsn: 'd' } } })).toEqual({
      signing: { key: REDACTED, alg: 'HS256' },
      tenants: { a: { dsn: REDACTED } },
    });
    expect(redactor.isSecret(['signing', 'key'])).toBe(true);
    expect(redactor.isSecret(['signing', 'alg'])).toBe(false);
  });

  it('redacts a value reached below a secret path (explain rows, get)', () => {
    const redactor = createRedactor([], []);
    expect(redactor.redact('p', ['credentials', 'user'])).toBe(REDACTED);
    expect(redactor.redact({ a: 1 }, ['db'])).toEqual({ a: 1 });
  });

  it('redacts what a loaded config marks secret (a source-marked value), in every config it was given', async () => {
    const source: Source = {
      name: 'ssm:/app/',
      load: async () => {
        const layer = { vendor: { pin: 'pin-PLANTED-9', region: 'eu' } };
        markSecret(layer, [['vendor', 'pin']]);
        return layer;
      },
    };
    const marked = await loadConfig({ sources: [source] });
    const plain = { vendor: { pin: '1234', region: 'eu' } };
    const redactor = createRedactor([], [plain, marked]);
    expect(redactor.isSecret(['vendor', 'pin'])).toBe(true);
    expect(redactor.redact(plain)).toEqual({ vendor: { pin: REDACTED, region: 'eu' } });
    expect(redactor.scrub('bad pin pin-PLANTED-9')).toBe('bad pin [redacted]');
  });

  it('scrubs the secret values of a config from messages, longest first', () => {
    const config = { db: { password: 'hunter2-long', apiKey: 'hunter2' }, host: 'hunter' };
    const redactor = createRedactor([], [config]);
    expect(redactor.scrub('bad hunter2-long and hunter2 at hunter')).toBe(
      'bad [redacted] and [redacted] at hunter',
    );
  });

  it('does not scrub secrets shorter than 4 characters, which would shred ordinary words', () => {
    const redactor = createRedactor([], [{ token: 'a' }]);
    expect(redactor.scrub('a value')).toBe('a value');
  });

  it('changes nothing with SHOW_ALL (--show-secrets)', () => {
    const value = { password: 'p' };
    expect(SHOW_ALL.redact(value)).toBe(value);
    expect(SHOW_ALL.scrub('p')).toBe('p');
  });
});

describe('secret names and URL passwords', () => {
  it.each(['stripeKey', 'webhookSigningKey', 'signing_key', 'SIGNING_KEY', 'signing-key', 's3Key'])(
    'redacts a value whose key ends in a Key word: %s',
    (key) => {
      expect(createRedactor([], []).redact({ [key]: 'x', host: 'h' })).toEqual({
        [key]: REDACTED,
        host: 'h',
      });
    },
  );

  it.each(['keyPrefix', 'monkey', 'keyboard', 'key', 'turkey', 'publicKey', 'public_key', 'hockey_team'])(
    'leaves a value whose key is %s alone',
    (key) => {
      expect(createRedactor([], []).redact({ [key]: 'v' })).toEqual({ [key]: 'v' });
    },
  );

  it.each([
    ['databaseUrl', 'postgres://orders:s3cr3t-PLANTED@db/orders', 'postgres://orders:[redacted]@db/orders'],
    [
      'DATABASE_URL',
      'postgres://orders:s3cr3t-PLANTED@db:5432/orders',
      'postgres://orders:[redacted]@db:5432/orders',
    ],
    ['dsn', 'mysql://app:p@ss/w0rd-PLANTED@db.internal/app', 'mysql://app:[redacted]@db.internal/app'],
    ['redisUri', 'redis://:only-a-PLANTED-password@cache:6379', 'redis://:[redacted]@cache:6379'],
    ['sentryDsn', 'https://public@o1.ingest.sentry.io/2', 'https://public@o1.ingest.sentry.io/2'],
    ['webhookUrl', 'https://hooks.example.com/a/b', 'https://hooks.example.com/a/b'],
    ['host', 'postgres://orders:kept@db/orders', 'postgres://orders:kept@db/orders'],
  ])('shows %s with only its password redacted', (key, value, shown) => {
    const redactor = createRedactor([], []);
    expect(redactor.redact({ db: { [key]: value } })).toEqual({ db: { [key]: shown } });
    expect(redactor.redact(value, ['db', key])).toBe(shown);
  });

  it('scrubs a URL password from messages', () => {
    const redactor = createRedactor([], [{ databaseUrl: 'postgres://orders:s3cr3t-PLANTED@db/orders' }]);
    expect(redactor.scrub('could not reach postgres://orders:s3cr3t-PLANTED@db/orders')).toBe(
      'could not reach postgres://orders:[redacted]@db/orders',
    );
  });
});
