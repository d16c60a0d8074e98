import {
  GetParametersByPathCommand,
  type ParameterType,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ConfigError, fromObject, fromSsm, loadConfig, resetConfigCache } from '../../src/index.js';
import { resetSsmClients } from '../../src/sources/ssm/sdk.js';
import { captureWarnings } from '../../src/testing.js';
import { sourceContract } from './contract.js';

/** fromSsm through an SSMClient mocked with aws-sdk-client-mock (the SDK path). */

const ssm = mockClient(SSMClient);
const client = () => new SSMClient({ region: 'us-east-1' });
const ctx = () => ({ signal: new AbortController().signal, logger: captureWarnings() });

beforeEach(() => {
  ssm.reset();
  vi.stubEnv('AWS_ENDPOINT_URL_SSM', 'http://127.0.0.1:9');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
});
afterEach(() => {
  resetConfigCache();
  resetSsmClients();
});

function ssmError(name: string, status: number, attempts = 1): SSMServiceException {
  return new SSMServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    message: `${name} from the mock`,
    $metadata: { httpStatusCode: status, attempts },
  });
}

const param = (Name: string, Value: string, Type: ParameterType = 'String') => ({
  Name,
  Value,
  Type,
  Version: 1,
});

describe('fromSsm', () => {
  it('names itself ssm:PATH, optional by default', () => {
    const source = fromSsm('/orders/prod/');
    expect(source).toMatchObject({ name: 'ssm:/orders/prod/', optional: true });
    expect(fromSsm('/a', { optional: false, name: 'params', enabled: false })).toMatchObject({
      name: 'params',
      optional: false,
      enabled: false,
    });
  });

  it.each([
    ['a path without a leading /', () => fromSsm('orders/prod')],
    ['an empty path', () => fromSsm('')],
    ['optional that is not a boolean', () => fromSsm('/a', { optional: 'yes' as never })],
    ['an empty region', () => fromSsm('/a', { region: '' })],
    ['a timeoutMs of 0', () => fromSsm('/a', { timeoutMs: 0 })],
    ['a client without send', () => fromSsm('/a', { client: {} as never })],
    ['enabled that is not a boolean', () => fromSsm('/a', { enabled: 1 as never })],
  ])('throws USAGE at once for %s', (_what, make) => {
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('reads every page, empty pages with a NextToken included, until no NextToken', async () => {
    ssm
      .on(GetParametersByPathCommand)
      .resolvesOnce({ Parameters: [], NextToken: 't1' })
      .resolvesOnce({ Parameters: [param('/app/a', '1')], NextToken: 't2' })
      .resolvesOnce({ Parameters: [param('/app/b/c', 'x')] });
    const config = await loadConfig({ sources: [fromSsm('/app/', { client: client() })] });
    expect(config).toEqual({ a: '1', b: { c: 'x' } });
    const inputs = ssm.commandCalls(GetParametersByPathCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      { Path: '/app', Recursive: true, WithDecryption: true, MaxResults: 10 },
      { Path: '/app', Recursive: true, WithDecryption: true, MaxResults: 10, NextToken: 't1' },
      { Path: '/app', Recursive: true, WithDecryption: true, MaxResults: 10, NextToken: 't2' },
    ]);
  });

  it.each([
    ['a declared key, case and _ - ignored', '/app/DB-CONFIG/Max_Conns', { dbConfig: { maxConns: 5 } }],
    [
      'camelCase kept where nothing is declared',
      '/app/threadPool/queueSize',
      { threadPool: { queueSize: '5' } },
    ],
    [
      'snake_case to camelCase where nothing is declared',
      '/app/thread_pool/SIZE',
      { threadPool: { size: '5' } },
    ],
  ])('resolves segments like env variables: %s', async (_what, name, expected) => {
    ssm.on(GetParametersByPathCommand).resolves({ Parameters: [param(name, '5')] });
    const schema = z.looseObject({ dbConfig: z.object({ maxConns: z.number() }).optional() });
    const config = await loadConfig({ schema, sources: [fromSsm('/app', { client: client() })] });
    expect(config).toEqual(expected);
  });

  it('coerces values by the lower layer when the schema is silent, and keeps a StringList an array', async () => {
    ssm.on(GetParametersByPathCommand).resolves({
      Parameters: [
        param('/app/port', '8080'),
        param('/app/on', 'true'),
        param('/app/hosts', 'a,b', 'StringList'),
      ],
    });
    const config = await loadConfig({
      sources: [fromObject({ port: 1, on: false }), fromSsm('/app', { client: client() })],
      overrides: 'ignore',
    });
    expect(config).toEqual({ port: 8080, on: true, hosts: ['a', 'b'] });
  });

  it('fails with VALIDATION_ERROR naming the parameter, not its value', async () => {
    ssm
      .on(GetParametersByPathCommand)
      .resolves({ Parameters: [param('/app/port', 'not-a-port-PLANTED', 'SecureString')] });
    const err = (await loadConfig({
      schema: z.object({ port: z.number() }),
      sources: [fromSsm('/app', { client: client() })],
    }).catch((e: unknown) => e)) as ConfigError;
    expect(err).toMatchObject({ code: 'VALIDATION_ERROR', details: { parameter: '/app/port' } });
    expect(err.message).toBe('ssm:/app: /app/port must be a number (for port)');
  });

  it('refuses a parameter that names __proto__ (UNSAFE_KEY)', async () => {
    ssm.on(GetParametersByPathCommand).resolves({ Parameters: [param('/app/__proto__/x', '1')] });
    const err = await loadConfig({ sources: [fromSsm('/app', { client: client() })] }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'UNSAFE_KEY' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('returns the same layer when the parameters are unchanged, a new one when a value changed', async () => {
    ssm
      .on(GetParametersByPathCommand)
      .resolvesOnce({ Parameters: [param('/app/a', '1')] })
      .resolvesOnce({ Parameters: [param('/app/a', '1')] })
      .resolvesOnce({ Parameters: [param('/app/a', '2')] });
    const source = fromSsm('/app', { client: client() });
    const first = await source.load(ctx());
    expect(await source.load(ctx())).toBe(first);
    expect(await source.load(ctx())).not.toBe(first);
  });

  it.each([
    [
      ssmError('AccessDeniedException', 400),
      /access denied \(AccessDeniedException\): the role needs ssm:GetParametersByPath on the path \/app .*kms:Decrypt/,
    ],
    [
      ssmError('ThrottlingException', 400, 3),
      /throttled by SSM \(ThrottlingException, HTTP 400\) after 3 attempts/,
    ],
    [
      ssmError('InternalServerError', 500, 3),
      /SSM server error \(InternalServerError, HTTP 500\) after 3 attempts/,
    ],
    [
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      /network error \(ECONNREFUSED\)/,
    ],
  ])('drops an optional path on %s, with one warning', async (error, reason) => {
    ssm.on(GetParametersByPathCommand).rejects(error);
    const logger = captureWarnings();
    const config = await loadConfig({
      sources: [fromObject({ a: 1 }), fromSsm('/app', { client: client() })],
      logger,
    });
    expect(config).toEqual({ a: 1 });
    expect(logger.codes()).toEqual(['SOURCE_DROPPED']);
    expect(logger.warnings[0]?.message).toMatch(reason);
  });

  it('uses a shared SSMClient of @aws-sdk/client-ssm when no credentials are in the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    ssm.on(GetParametersByPathCommand).resolves({ Parameters: [param('/app/a', '1')] });
    const config = await loadConfig({ sources: [fromSsm('/app', { region: 'eu-west-1' })] });
    expect(config).toEqual({ a: '1' });
    expect(ssm.commandCalls(GetParametersByPathCommand)).toHaveLength(1);
  });
});

describe('fromSsm through a mocked client', () => {
  // One client, as a handler keeps at module scope: a source rebuilt with it shares the cache entry
  // (another client is another identity, and may read other values).
  const shared = client();
  const make = () => {
    ssm.on(GetParametersByPathCommand).resolves({
      Parameters: [param('/contract/app/name', 'contract'), param('/contract/app/port', '8080')],
    });
    return fromSsm('/contract/', { client: shared });
  };
  sourceContract({
    kind: 'fromSsm',
    make,
    schema: z.looseObject({ app: z.looseObject({ name: z.string(), port: z.number() }) }),
  });
});
