/**
 * strataconf reads the four stores from startLocalAws with nothing but its env: on its own signed
 * requests (credentials in the environment, as on Lambda) and on the AWS SDK clients it creates
 * (credentials in a profile), through the AppConfig extension and through the AppConfigData API;
 * reloads see what `put` changed and keep the same config while nothing did.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { fromAppConfig, fromS3, fromSecret, fromSsm, loadConfig, resetConfigCache } from '../../src/index.js';
import { startLocalAws } from '../../src/testing.js';

const SEED = {
  s3: { 'my-config/orders/prod.json5': "{ db: { host: 'db.s3' }, limits: { maxItems: 5 } }" },
  ssm: {
    '/orders/prod/db/port': '5432',
    '/orders/prod/features': { value: 'a,b', type: 'StringList' as const },
    '/orders/prod/apiKey': { value: 'k-123', type: 'SecureString' as const },
  },
  secrets: { 'orders/prod/db': { password: 'pw-from-secret' } },
  appconfig: { 'orders/prod/flags': { content: { flags: { checkout: true } } } },
};

const schema = z.object({
  db: z.object({ host: z.string(), port: z.number(), password: z.string() }),
  limits: z.object({ maxItems: z.number() }),
  features: z.array(z.string()),
  apiKey: z.string(),
  flags: z.object({ checkout: z.boolean() }),
});

const sources = () => [
  fromS3('s3://my-config/orders/prod.json5', { optional: false }),
  fromSsm('/orders/prod/', { optional: false }),
  fromSecret('orders/prod/db', { at: 'db', optional: false }),
  fromAppConfig('orders/prod/flags', { optional: false }),
];

const EXPECTED = {
  db: { host: 'db.s3', port: 5432, password: 'pw-from-secret' },
  limits: { maxItems: 5 },
  features: ['a', 'b'],
  apiKey: 'k-123',
  flags: { checkout: true },
};

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'strataconf-local-aws-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));
afterEach(() => resetConfigCache());

const stub = (env: Record<string, string>) => {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
};

describe('strataconf against startLocalAws', () => {
  it('loads S3, SSM, secret and AppConfig (extension) layers on its own signed requests', async () => {
    await using aws = await startLocalAws(SEED);
    stub(aws.env);
    expect(await loadConfig({ schema, sources: sources() })).toEqual(EXPECTED);
    const asked = aws.requests.map((r) => `${r.service} ${r.operation} ${r.status}`).sort();
    expect(asked).toEqual([
      'appconfig Extension 200',
      's3 GetObject 200',
      'secrets GetSecretValue 200',
      'ssm GetParametersByPath 200',
    ]);
  });

  it('reads the AppConfigData API when the extension is off', async () => {
    await using aws = await startLocalAws(SEED, { appConfigExtension: false });
    stub(aws.env);
    expect(await loadConfig({ schema, sources: sources() })).toEqual(EXPECTED);
    const appconfig = aws.requests.filter((r) => r.service === 'appconfig').map((r) => r.operation);
    expect(appconfig).toEqual(['StartConfigurationSession', 'GetLatestConfiguration']);
  });

  it('loads the same layers through the AWS SDK clients strataconf creates (credentials in a profile)', async () => {
    await using aws = await startLocalAws(SEED, { appConfigExtension: false });
    const file = join(work, 'credentials');
    writeFileSync(
      file,
      `[local]\naws_access_key_id = ${aws.env.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${aws.env.AWS_SECRET_ACCESS_KEY}\naws_session_token = ${aws.env.AWS_SESSION_TOKEN}\n`,
    );
    stub({
      ...aws.env,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_SHARED_CREDENTIALS_FILE: file,
      AWS_CONFIG_FILE: join(work, 'no-config'),
      AWS_PROFILE: 'local',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(await loadConfig({ schema, sources: sources() })).toEqual(EXPECTED);
  });

  it('sees changes made with put on the next reload, and keeps the same config while nothing changed', async () => {
    await using aws = await startLocalAws(SEED);
    stub(aws.env);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const load = () => loadConfig({ schema, sources: sources(), maxAge: 1000 });
      const first = await load();
      vi.setSystemTime(Date.now() + 1200);
      expect(await load()).toBe(first);
      expect(aws.requests.find((r) => r.service === 's3' && r.status === 304)).toBeDefined();
      aws.put({
        ssm: { '/orders/prod/db/port': '6543' },
        secrets: { 'orders/prod/db': { password: 'rotated' } },
      });
      vi.setSystemTime(Date.now() + 1200);
      const changed = await load();
      expect(changed.db).toEqual({ host: 'db.s3', port: 6543, password: 'rotated' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops an optional layer the store refuses, and fails a required one, as with AWS', async () => {
    await using aws = await startLocalAws(SEED);
    stub(aws.env);
    aws.fail('secrets', { code: 'AccessDeniedException', times: Number.POSITIVE_INFINITY });
    const err = await loadConfig({ sources: sources() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    expect((err as Error).message).toMatch(/^secret:orders\/prod\/db is unavailable: access denied/);
  });
});
