import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetParametersByPathCommand, paginateGetParametersByPath, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../setup/aws-json-server.js';
import { type SecretsServer, startSecretsServer } from '../setup/secrets-server.js';
import { type SsmServer, startSsmServer } from '../setup/ssm-server.js';

/**
 * The local SSM and Secrets Manager endpoints are faithful to the protocol: the AWS SDK's own clients
 * talk to them and read back what they serve (pagination, types, decryption, errors by class).
 */

const credentials = TEST_CREDENTIALS;
const config = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

describe('the local SSM endpoint, read by @aws-sdk/client-ssm', () => {
  let ssm: SsmServer;
  let client: SSMClient;
  const params = Object.fromEntries(
    Array.from({ length: 23 }, (_, i) => [`/app/prod/p${String(i).padStart(2, '0')}`, `v${i}`]),
  );
  beforeAll(async () => {
    ssm = await startSsmServer(
      {
        ...params,
        '/app/prod/db/password': { value: 'pw', type: 'SecureString' },
        '/app/prod/hosts': { value: 'a,b', type: 'StringList' },
        '/app/other/x': 'no',
      },
      { emptyPages: 2, denied: ['/denied'] },
    );
    client = new SSMClient(config(ssm.endpoint));
  });
  afterAll(() => ssm.close());

  it('serves every parameter under a path over pages, empty pages with a NextToken included', async () => {
    const got: Record<string, string | undefined> = {};
    let pages = 0;
    const input = { Path: '/app/prod/', Recursive: true, WithDecryption: true, MaxResults: 10 };
    for await (const page of paginateGetParametersByPath({ client }, input)) {
      pages++;
      for (const p of page.Parameters ?? []) got[p.Name as string] = p.Value;
    }
    expect(pages).toBe(2 + 3);
    expect(got).toEqual({ ...params, '/app/prod/db/password': 'pw', '/app/prod/hosts': 'a,b' });
  });

  it('answers types, versions and dates as the SDK models them', async () => {
    const all = [];
    for await (const page of paginateGetParametersByPath(
      { client },
      { Path: '/app/prod/db', WithDecryption: false },
    ))
      all.push(...(page.Parameters ?? []));
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ Name: '/app/prod/db/password', Type: 'SecureString', Version: 1 });
    expect(all[0]?.Value).not.toBe('pw');
    expect(all[0]?.LastModifiedDate).toBeInstanceOf(Date);
  });

  it('lists only direct children without Recursive', async () => {
    const names: string[] = [];
    for await (const page of paginateGetParametersByPath({ client }, { Path: '/app/prod' }))
      names.push(...(page.Parameters ?? []).map((p) => p.Name as string));
    expect(names).not.toContain('/app/prod/db/password');
    expect(names).toContain('/app/prod/hosts');
  });

  it.each([
    ['a denied path', { Path: '/denied/x' }, 'AccessDeniedException', 400],
    ['MaxResults above 10', { Path: '/app', MaxResults: 11 }, 'ValidationException', 400],
    ['a forged NextToken', { Path: '/app', NextToken: 'bm9wZQ==' }, 'InvalidNextToken', 400],
  ])('answers %s with the error class the SDK knows', async (_what, input, name, status) => {
    const err = await client.send(new GetParametersByPathCommand(input)).catch((e: unknown) => e);
    expect(err).toMatchObject({ name, $metadata: { httpStatusCode: status } });
    expect((err as Error).message).not.toBe('UnknownError');
  });

  it('answers injected faults: throttling, 5xx', async () => {
    ssm.fail(
      { status: 400, type: 'ThrottlingException', messageKey: 'Message', message: 'Rate exceeded' },
      { status: 500, type: 'InternalServerError', messageKey: 'Message', message: 'boom' },
    );
    const input = { Path: '/app/prod' };
    const throttled = await client.send(new GetParametersByPathCommand(input)).catch((e: unknown) => e);
    const failed = await client.send(new GetParametersByPathCommand(input)).catch((e: unknown) => e);
    expect(throttled).toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    expect(failed).toMatchObject({ name: 'InternalServerError', $metadata: { httpStatusCode: 500 } });
  });

  it('refuses an unsigned request and counts what it answered', async () => {
    const before = ssm.calls.length;
    const res = await fetch(ssm.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.GetParametersByPath',
      },
      body: '{"Path":"/app"}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
    expect(ssm.calls.length).toBe(before + 1);
  });
});

describe('the local Secrets Manager endpoint, read by @aws-sdk/client-secrets-manager', () => {
  let sm: SecretsServer;
  let client: SecretsManagerClient;
  beforeAll(async () => {
    sm = await startSecretsServer(
      {
        'orders/db': {
          string: '{"password":"pw"}',
          stages: { AWSPREVIOUS: { string: '{"password":"old"}' } },
        },
        'orders/cert': { binary: new Uint8Array([1, 2, 3]) },
        'orders/kms': { string: 'x', keyId: 'denied' },
      },
      { denied: ['orders/denied'] },
    );
    client = new SecretsManagerClient(config(sm.endpoint));
  });
  afterAll(() => sm.close());

  it('serves a secret string, by name and by ARN', async () => {
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'orders/db' }));
    expect(byName).toMatchObject({
      Name: 'orders/db',
      SecretString: '{"password":"pw"}',
      VersionStages: ['AWSCURRENT'],
    });
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: byName.ARN }));
    expect(byArn.VersionId).toBe(byName.VersionId);
    expect(byName.CreatedDate).toBeInstanceOf(Date);
  });

  it('serves another version by its staging label', async () => {
    const out = await client.send(
      new GetSecretValueCommand({ SecretId: 'orders/db', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(out.SecretString).toBe('{"password":"old"}');
  });

  it('serves a binary secret as bytes', async () => {
    const out = await client.send(new GetSecretValueCommand({ SecretId: 'orders/cert' }));
    expect([...(out.SecretBinary ?? [])]).toEqual([1, 2, 3]);
    expect(out.SecretString).toBeUndefined();
  });

  it.each([
    ['a missing secret', { SecretId: 'orders/none' }, 'ResourceNotFoundException'],
    ['a missing stage', { SecretId: 'orders/db', VersionStage: 'AWSPENDING' }, 'ResourceNotFoundException'],
    ['a denied secret', { SecretId: 'orders/denied' }, 'AccessDeniedException'],
    ['a KMS key the role may not use', { SecretId: 'orders/kms' }, 'DecryptionFailure'],
  ])('answers %s with the error class the SDK knows', async (_what, input, name) => {
    const err = await client.send(new GetSecretValueCommand(input)).catch((e: unknown) => e);
    expect(err).toMatchObject({ name, $metadata: { httpStatusCode: 400 } });
    if (name === 'ResourceNotFoundException') expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as Error).message).toMatch(/Secrets Manager|not authorized/);
  });
});
