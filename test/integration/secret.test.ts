import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { fromObject, fromSecret, loadConfig, resetConfigCache } from '../../src/index.js';
import { secretMarkOf } from '../../src/layer-meta.js';
import { resetSecretsClients } from '../../src/sources/secrets-manager/sdk.js';
import { captureWarnings, type LocalAws, startLocalAws } from '../../src/testing.js';

/**
 * fromSecret against the local Secrets Manager of startLocalAws (signatures checked), by both
 * paths: the light transport (credentials in the environment) and the AWS SDK (a client given).
 */

const RDS = {
  username: 'orders',
  password: 'pw-from-secret',
  engine: 'postgres',
  host: 'orders.cluster-abc.us-east-1.rds.amazonaws.com',
  port: 5432,
  dbInstanceIdentifier: 'orders-prod',
};
let aws: LocalAws;
const schema = z.object({
  db: z.looseObject({ host: z.string(), port: z.number(), username: z.string(), password: z.string() }),
  apiKey: z.string().optional(),
});

beforeAll(async () => {
  aws = await startLocalAws({
    secrets: {
      // Rotated below: the first value becomes AWSPREVIOUS.
      'orders/prod/db': { ...RDS, password: 'old-pw' },
      'orders/prod/api-key': 'plain-api-key',
      'orders/prod/cert': new Uint8Array([1, 2]),
      'orders/prod/kms': '{}',
    },
  });
  aws.put({ secrets: { 'orders/prod/db': RDS } });
});
afterAll(() => aws.close());
beforeEach(() => {
  for (const [name, value] of Object.entries(aws.env)) vi.stubEnv(name, value);
});
afterEach(() => {
  aws.clearFaults();
  resetConfigCache();
  resetSecretsClients();
});

const ctx = () => ({ signal: new AbortController().signal, logger: captureWarnings() });
const sdkClient = () =>
  new SecretsManagerClient({
    endpoint: aws.endpoint,
    region: 'us-east-1',
    credentials: {
      accessKeyId: aws.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY ?? '',
      sessionToken: aws.env.AWS_SESSION_TOKEN ?? '',
    },
  });
/** What Secrets Manager answers when the role may not use the secret's KMS key. */
const kmsDenied = () =>
  aws.fail('secrets', {
    code: 'DecryptionFailure',
    message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
    times: Number.POSITIVE_INFINITY,
  });

describe.each([
  ['the light transport', () => ({})],
  ['the AWS SDK client', () => ({ client: sdkClient() })],
])('fromSecret through %s', (_path, opts) => {
  it('places an RDS secret at db, where a db schema reads it', async () => {
    const config = await loadConfig({
      schema,
      sources: [
        fromObject({ db: { host: 'localhost', port: 5433 } }),
        fromSecret('orders/prod/db', { ...opts(), at: 'db' }),
      ],
      overrides: 'ignore',
    });
    expect(config.db).toMatchObject({
      host: RDS.host,
      port: 5432,
      username: 'orders',
      password: 'pw-from-secret',
    });
  });

  it('marks every value of the layer secret', async () => {
    const layer = await fromSecret('orders/prod/db', { ...opts(), at: 'db' }).load(ctx());
    expect(secretMarkOf(layer)).toBe(true);
  });

  it('reads the version with another staging label', async () => {
    const config = await loadConfig({
      sources: [fromSecret('orders/prod/db', { ...opts(), at: 'db', versionStage: 'AWSPREVIOUS' })],
    });
    expect(config).toMatchObject({ db: { password: 'old-pw' } });
  });

  it('places a plain string at its path', async () => {
    const config = await loadConfig({
      schema,
      sources: [
        fromSecret('orders/prod/db', { ...opts(), at: 'db' }),
        fromSecret('orders/prod/api-key', { ...opts(), at: 'apiKey' }),
      ],
    });
    expect(config.apiKey).toBe('plain-api-key');
  });

  it.each([
    ['a plain string without at', 'orders/prod/api-key', /the secret is not a JSON object/],
    ['a binary secret', 'orders/prod/cert', /the secret is binary \(SecretBinary\)/],
  ])('fails %s with PARSE_ERROR, optional or not', async (_what, id, message) => {
    const err = await loadConfig({ sources: [fromSecret(id, opts())] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PARSE_ERROR', details: { source: `secret:${id}` } });
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('plain-api-key');
  });

  it.each([
    ['a missing secret', 'orders/prod/none', {}, 'secret not found (ResourceNotFoundException)'],
    [
      'a missing stage',
      'orders/prod/db',
      { versionStage: 'AWSPENDING' },
      'secret, or its version with the staging label AWSPENDING, not found (ResourceNotFoundException)',
    ],
    [
      'a KMS key the role may not use',
      'orders/prod/kms',
      {},
      "the secret's KMS key cannot decrypt it (DecryptionFailure): the role needs kms:Decrypt on the key",
    ],
  ])('drops %s with one warning', async (_what, id, more, reason) => {
    if (id === 'orders/prod/kms') kmsDenied();
    const logger = captureWarnings();
    const config = await loadConfig({
      sources: [fromObject({ a: 1 }), fromSecret(id, { ...opts(), ...more })],
      logger,
    });
    expect(config).toEqual({ a: 1 });
    expect(logger.warnings.map((w) => w.message)).toEqual([
      `dropped optional source secret:${id}: ${reason}`,
    ]);
  });
});

describe('fromSecret reloads', () => {
  it('keeps the same config while the secret is unchanged, and reads a rotated one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const load = () =>
        loadConfig({ schema, sources: [fromSecret('orders/prod/db', { at: 'db' })], maxAge: 10 });
      const first = await load();
      vi.setSystemTime(Date.now() + 11);
      expect(await load()).toBe(first);
      aws.put({ secrets: { 'orders/prod/db': { ...RDS, password: 'rotated' } } });
      vi.setSystemTime(Date.now() + 11);
      expect((await load()).db.password).toBe('rotated');
    } finally {
      aws.put({ secrets: { 'orders/prod/db': RDS } });
      vi.useRealTimers();
    }
  });

  it('keeps the last good layer when the network fails (SOURCE_STALE)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const logger = captureWarnings();
      const load = () =>
        loadConfig({ schema, sources: [fromSecret('orders/prod/db', { at: 'db' })], maxAge: 10, logger });
      const first = await load();
      // Up to 6 requests: 3 attempts, each sent again once when its kept-alive socket was reset.
      aws.fail('secrets', { code: 'ECONNRESET', times: 6 });
      vi.setSystemTime(Date.now() + 11);
      expect(await load()).toBe(first);
      expect(logger.codes()).toEqual(['SOURCE_STALE']);
      expect(logger.warnings[0]?.message).toMatch(
        /^kept the last good layer of secret:orders\/prod\/db: network error \(ECONNRESET\)/,
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('times out a stalled answer after timeoutMs', async () => {
    aws.fail('secrets', { code: 'Slow', delayMs: 60_000 });
    const err = await loadConfig({
      sources: [fromSecret('orders/prod/db', { at: 'db', optional: false, timeoutMs: 200 })],
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      'secret:orders/prod/db is unavailable: no answer within 200 ms (timeoutMs)',
    );
  });
});
