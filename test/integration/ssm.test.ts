import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { fromObject, fromSsm, loadConfig, resetConfigCache } from '../../src/index.js';
import { secretMarkOf } from '../../src/layer-meta.js';
import { resetSsmClients } from '../../src/sources/ssm/sdk.js';
import { captureWarnings, type LocalAws, startLocalAws } from '../../src/testing.js';

/**
 * fromSsm against the local SSM of startLocalAws (signatures checked), by both paths: the light
 * transport (credentials in the environment) and the AWS SDK (a client given).
 */

let aws: LocalAws;
const schema = z.object({
  db: z.object({ host: z.string(), port: z.number(), password: z.string() }),
  threadPool: z.object({ size: z.number() }),
  features: z.array(z.string()),
  debug: z.boolean(),
});

const PARAMS = {
  '/orders/prod/db/host': 'db.internal',
  '/orders/prod/db/port': '5432',
  '/orders/prod/db/password': { value: 'pw-from-ssm', type: 'SecureString' as const },
  '/orders/prod/THREAD_POOL/size': '8',
  '/orders/prod/features': { value: 'a,b,c', type: 'StringList' as const },
  '/orders/prod/debug': 'false',
  '/orders/staging/db/host': 'not this one',
};
/** More parameters than one page holds. */
const PAGED = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`/orders/paged/p${i}`, String(i)]));

beforeAll(async () => {
  aws = await startLocalAws({ ssm: { ...PARAMS, ...PAGED } });
});
afterAll(() => aws.close());
beforeEach(() => {
  for (const [name, value] of Object.entries(aws.env)) vi.stubEnv(name, value);
});
afterEach(() => {
  aws.clearFaults();
  resetConfigCache();
  resetSsmClients();
});

const sdkClient = () =>
  new SSMClient({
    endpoint: aws.endpoint,
    region: 'us-east-1',
    credentials: {
      accessKeyId: aws.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY ?? '',
      sessionToken: aws.env.AWS_SESSION_TOKEN ?? '',
    },
  });

describe.each([
  ['the light transport', () => ({})],
  ['the AWS SDK client', () => ({ client: sdkClient() })],
])('fromSsm through %s', (_path, opts) => {
  it('reads every parameter under the path, nested, typed by the schema', async () => {
    const config = await loadConfig({ schema, sources: [fromSsm('/orders/prod/', opts())] });
    expect(config).toEqual({
      db: { host: 'db.internal', port: 5432, password: 'pw-from-ssm' },
      threadPool: { size: 8 },
      features: ['a', 'b', 'c'],
      debug: false,
    });
  });

  it('asks for every page, recursively, decrypted, 10 at most per page', async () => {
    const before = aws.requests.length;
    await fromSsm('/orders/paged', opts()).load({
      signal: new AbortController().signal,
      logger: captureWarnings(),
    });
    const calls = aws.requests.slice(before);
    expect(calls.map((c) => c.status)).toEqual([200, 200]);
    expect(calls[0]?.input).toEqual({
      Path: '/orders/paged',
      Recursive: true,
      WithDecryption: true,
      MaxResults: 10,
    });
    expect(calls[1]?.input.NextToken).toEqual(expect.any(String));
  });

  it('marks SecureString values secret', async () => {
    const layer = await fromSsm('/orders/prod/', opts()).load({
      signal: new AbortController().signal,
      logger: captureWarnings(),
    });
    const resolved = await (layer as { resolve(c: object): Promise<object> }).resolve({
      source: 'ssm:/orders/prod/',
      schema,
      below: { kind: 'branch', children: new Map() },
    });
    expect(secretMarkOf(resolved)).toEqual([['db', 'password']]);
  });

  it('drops a path without parameters, with one warning', async () => {
    const logger = captureWarnings();
    const config = await loadConfig({
      sources: [fromObject({ a: 1 }), fromSsm('/orders/none/', opts())],
      logger,
    });
    expect(config).toEqual({ a: 1 });
    expect(logger.warnings.map((w) => w.message)).toEqual([
      'dropped optional source ssm:/orders/none/: no parameter under /orders/none/',
    ]);
  });

  it('fails a required path that is denied, naming the IAM action', async () => {
    aws.fail('ssm', { code: 'AccessDeniedException', times: Number.POSITIVE_INFINITY });
    const err = await loadConfig({
      sources: [fromSsm('/orders/prod/', { ...opts(), optional: false })],
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    expect((err as Error).message).toMatch(
      /ssm:\/orders\/prod\/ is unavailable: access denied .*ssm:GetParametersByPath.*kms:Decrypt/,
    );
  });

  it('retries throttling and gets through', async () => {
    aws.fail('ssm', { code: 'ThrottlingException' });
    const config = await loadConfig({ schema, sources: [fromSsm('/orders/prod/', opts())] });
    expect(config.db.port).toBe(5432);
  });
});

describe('fromSsm reloads', () => {
  it('keeps the same config when no parameter changed, and a new one when one did', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const load = () => loadConfig({ schema, sources: [fromSsm('/orders/prod/')], maxAge: 10 });
      const first = await load();
      vi.setSystemTime(Date.now() + 11);
      expect(await load()).toBe(first);
      aws.put({ ssm: { '/orders/prod/db/port': '6543' } });
      vi.setSystemTime(Date.now() + 11);
      const changed = await load();
      expect(changed.db.port).toBe(6543);
      aws.put({ ssm: { '/orders/prod/db/port': '5432' } });
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the last good layer when SSM fails for a moment (SOURCE_STALE)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const logger = captureWarnings();
      const load = () => loadConfig({ schema, sources: [fromSsm('/orders/prod/')], maxAge: 10, logger });
      const first = await load();
      aws.fail('ssm', { code: 'InternalServerError', times: 3 });
      vi.setSystemTime(Date.now() + 11);
      expect(await load()).toBe(first);
      expect(logger.codes()).toEqual(['SOURCE_STALE']);
      expect(logger.warnings[0]?.message).toMatch(
        /kept the last good layer of ssm:\/orders\/prod\/: SSM server error \(InternalServerError, HTTP 500\) after 3 attempts/,
      );
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('fromSsm with wrong credentials', () => {
  it('is refused by the signature check and says the credentials were rejected', async () => {
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'not-the-key');
    const err = await loadConfig({ sources: [fromSsm('/orders/prod/', { optional: false })] }).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe(
      'ssm:/orders/prod/ is unavailable: credentials rejected (InvalidSignatureException)',
    );
  });
});

describe('fromSsm parameters the schema does not declare', () => {
  it('names the parameter in the warning, with the parameter to write instead', async () => {
    const typo = await startLocalAws({
      ssm: {
        '/orders/prod/db/hots': 'db.internal',
        '/orders/prod/db/port': '5432',
        '/orders/prod/db/password': 'pw',
      },
    });
    for (const [name, value] of Object.entries(typo.env)) vi.stubEnv(name, value);
    const logger = captureWarnings();
    try {
      const lenient = z.object({
        db: z.object({ host: z.string().default('localhost'), port: z.number(), password: z.string() }),
      });
      await loadConfig({ schema: lenient, logger, sources: [fromSsm('/orders/prod/')] });
      expect(logger.warnings).toEqual([
        expect.objectContaining({
          code: 'UNKNOWN_KEY',
          message: '/orders/prod/db/hots (db.hots) is not in the schema; did you mean /orders/prod/db/host?',
          details: expect.objectContaining({
            parameter: '/orders/prod/db/hots',
            source: 'ssm:/orders/prod/',
          }),
        }),
      ]);
    } finally {
      await typo.close();
    }
  });
});
