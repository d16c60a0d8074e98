import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { fromObject, fromSsm, loadConfig, resetConfigCache } from '../../src/index.js';
import { secretMarkOf } from '../../src/layer-meta.js';
import { resetSsmClients } from '../../src/sources/ssm/sdk.js';
import { captureWarnings } from '../../src/testing.js';
import { TEST_CREDENTIALS } from '../setup/aws-json-server.js';
import { type SsmServer, startSsmServer } from '../setup/ssm-server.js';

/**
 * fromSsm against the local SSM endpoint (signatures checked), by both paths: the light transport
 * (credentials in the environment) and the AWS SDK (a client given).
 */

let ssm: SsmServer;
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

beforeAll(async () => {
  ssm = await startSsmServer(PARAMS, { emptyPages: 1 });
});
afterAll(() => ssm.close());
beforeEach(() => {
  vi.stubEnv('AWS_ENDPOINT_URL_SSM', ssm.endpoint);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', '');
});
afterEach(() => {
  ssm.clearFaults();
  resetConfigCache();
  resetSsmClients();
});

const sdkClient = () =>
  new SSMClient({ endpoint: ssm.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });

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
    const before = ssm.calls.length;
    await fromSsm('/orders/prod', opts()).load({
      signal: new AbortController().signal,
      logger: captureWarnings(),
    });
    const calls = ssm.calls.slice(before);
    expect(calls.map((c) => c.status)).toEqual([200, 200]);
    expect(calls[0]?.input).toEqual({
      Path: '/orders/prod',
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
    const denied = await startSsmServer(PARAMS, { denied: ['/orders'] });
    vi.stubEnv('AWS_ENDPOINT_URL_SSM', denied.endpoint);
    const client =
      'client' in opts()
        ? {
            client: new SSMClient({
              endpoint: denied.endpoint,
              region: 'us-east-1',
              credentials: TEST_CREDENTIALS,
            }),
          }
        : {};
    try {
      const err = await loadConfig({
        sources: [fromSsm('/orders/prod/', { ...client, optional: false })],
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
      expect((err as Error).message).toMatch(
        /ssm:\/orders\/prod\/ is unavailable: access denied .*ssm:GetParametersByPath.*kms:Decrypt/,
      );
    } finally {
      await denied.close();
    }
  });

  it('retries throttling and gets through', async () => {
    const throttle = {
      status: 400,
      type: 'ThrottlingException',
      messageKey: 'Message' as const,
      message: 'Rate exceeded',
    };
    ssm.fail(throttle);
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
      ssm.put({ '/orders/prod/db/port': '6543' });
      vi.setSystemTime(Date.now() + 11);
      const changed = await load();
      expect(changed.db.port).toBe(6543);
      ssm.put({ '/orders/prod/db/port': '5432' });
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
      const boom = { status: 500, type: 'InternalServerError', messageKey: 'Message' as const };
      ssm.fail(boom, boom, boom);
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
    const typo = await startSsmServer({
      '/orders/prod/db/hots': 'db.internal',
      '/orders/prod/db/port': '5432',
      '/orders/prod/db/password': 'pw',
    });
    vi.stubEnv('AWS_ENDPOINT_URL_SSM', typo.endpoint);
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
