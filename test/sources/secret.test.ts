import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type ConfigError, fromObject, fromSecret, loadConfig, resetConfigCache } from '../../src/index.js';
import { secretMarkOf } from '../../src/layer-meta.js';
import { resetSecretsClients } from '../../src/sources/secrets-manager/sdk.js';
import { captureWarnings } from '../../src/testing.js';
import { sourceContract } from './contract.js';

/** fromSecret through a SecretsManagerClient mocked with aws-sdk-client-mock (the SDK path). */

const sm = mockClient(SecretsManagerClient);
const client = () => new SecretsManagerClient({ region: 'us-east-1' });
const ctx = () => ({ signal: new AbortController().signal, logger: captureWarnings() });

beforeEach(() => {
  sm.reset();
  vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', 'http://127.0.0.1:9');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
});
afterEach(() => {
  resetConfigCache();
  resetSecretsClients();
});

const RDS = {
  username: 'orders',
  password: 'pw-PLANTED',
  engine: 'postgres',
  host: 'h',
  port: 5432,
  dbInstanceIdentifier: 'orders',
};

describe('fromSecret', () => {
  it('names itself secret:ID, optional by default', () => {
    expect(fromSecret('orders/prod/db')).toMatchObject({ name: 'secret:orders/prod/db', optional: true });
  });

  it.each([
    ['an empty id', () => fromSecret('')],
    ['at with an empty segment', () => fromSecret('x', { at: 'db..password' })],
    ['at naming __proto__', () => fromSecret('x', { at: '__proto__' })],
    ['an empty versionStage', () => fromSecret('x', { versionStage: '' })],
    ['a negative timeoutMs', () => fromSecret('x', { timeoutMs: -1 })],
    ['a client without send', () => fromSecret('x', { client: { sand() {} } as never })],
  ])('throws USAGE at once for %s', (_what, make) => {
    expect(make).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('sends the secret id and the staging label', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: '{"a":1}', VersionId: 'v1' });
    await fromSecret('orders/db', { client: client(), versionStage: 'AWSPREVIOUS' }).load(ctx());
    expect(sm.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: 'orders/db',
      VersionStage: 'AWSPREVIOUS',
    });
  });

  it('places an RDS secret at db for a db schema; a loose db object keeps RDS extra keys without a word', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(RDS), VersionId: 'v1' });
    const schema = z.object({
      db: z.looseObject({ host: z.string(), port: z.number(), username: z.string(), password: z.string() }),
    });
    const logger = captureWarnings();
    const config = await loadConfig({
      schema,
      sources: [fromSecret('orders/db', { client: client(), at: 'db' })],
      logger,
    });
    expect(config.db).toMatchObject({ host: 'h', port: 5432, username: 'orders', password: 'pw-PLANTED' });
    expect(logger.warnings).toEqual([]);
  });

  it('marks the whole layer secret, under at too', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'plain', VersionId: 'v1' });
    const layer = await fromSecret('k', { client: client(), at: 'api.key' }).load(ctx());
    expect(layer).toEqual({ api: { key: 'plain' } });
    expect(secretMarkOf(layer)).toBe(true);
  });

  it.each([
    ['a plain string without at', { SecretString: 'pw-PLANTED-plain' }],
    ['broken JSON without at', { SecretString: '{"password": "pw-PLANTED-broken"' }],
    ['a JSON array without at', { SecretString: '["pw-PLANTED-array"]' }],
    ['a binary secret', { SecretBinary: new Uint8Array([1]) }],
  ])('fails %s with PARSE_ERROR naming the source, never the value', async (_what, output) => {
    sm.on(GetSecretValueCommand).resolves(output);
    const err = (await loadConfig({ sources: [fromSecret('k', { client: client() })] }).catch(
      (e: unknown) => e,
    )) as ConfigError;
    expect(err).toMatchObject({ code: 'PARSE_ERROR', details: { source: 'secret:k' } });
    expect(err.message.startsWith('secret:k: ')).toBe(true);
    expect(JSON.stringify([err.message, err.details, String(err.cause)])).not.toContain('PLANTED');
  });

  it('returns the same layer while the secret string is unchanged', async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: '{"a":1}', VersionId: 'v1' })
      .resolvesOnce({ SecretString: '{"a":1}', VersionId: 'v1' })
      .resolvesOnce({ SecretString: '{"a":2}', VersionId: 'v2' });
    const source = fromSecret('k', { client: client() });
    const first = await source.load(ctx());
    expect(await source.load(ctx())).toBe(first);
    expect(await source.load(ctx())).toEqual({ a: 2 });
  });

  it.each([
    [
      new ResourceNotFoundException({ message: 'not found', $metadata: { httpStatusCode: 400 } }),
      'secret not found (ResourceNotFoundException)',
    ],
    [
      new SecretsManagerServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message: 'x',
        $metadata: { httpStatusCode: 400 },
      }),
      'access denied (AccessDeniedException): the role needs secretsmanager:GetSecretValue on the secret (and kms:Decrypt on its KMS key, when a customer managed key)',
    ],
    [
      new SecretsManagerServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message: 'x',
        $metadata: { httpStatusCode: 400, attempts: 3 },
      }),
      'throttled by Secrets Manager (ThrottlingException, HTTP 400) after 3 attempts',
    ],
  ])('is unavailable on %s: required fails with SOURCE_UNAVAILABLE', async (error, reason) => {
    sm.on(GetSecretValueCommand).rejects(error);
    const err = (await loadConfig({
      sources: [fromSecret('k', { client: client(), optional: false })],
    }).catch((e: unknown) => e)) as ConfigError;
    expect(err).toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    expect(err.message).toBe(`secret:k is unavailable: ${reason}`);
    expect(Object.hasOwn(err.cause as object, '$response')).toBe(false);
  });

  it('is dropped when optional, with one warning', async () => {
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'nf', $metadata: {} }));
    const logger = captureWarnings();
    expect(
      await loadConfig({ sources: [fromObject({ a: 1 }), fromSecret('k', { client: client() })], logger }),
    ).toEqual({ a: 1 });
    expect(logger.codes()).toEqual(['SOURCE_DROPPED']);
  });
});

// One client, as a handler keeps at module scope: a source rebuilt with it shares the cache entry
// (another client is another identity, and may read other values).
const contractClient = client();
sourceContract({
  kind: 'fromSecret',
  make: () => {
    sm.on(GetSecretValueCommand).resolves({
      SecretString: '{"app":{"name":"contract","port":8080}}',
      VersionId: 'v1',
    });
    return fromSecret('contract', { client: contractClient });
  },
});
