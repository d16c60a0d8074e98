/**
 * The local SSM Parameter Store is faithful to the protocol: the real @aws-sdk/client-ssm reads
 * every parameter back over pages, with types, versions and dates, and gets SSM's errors by their
 * names and statuses.
 */
import {
  GetParameterCommand,
  GetParametersByPathCommand,
  type GetParametersByPathCommandInput,
  PutParameterCommand,
  paginateGetParametersByPath,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/testing.js';
import { clientConfig, rejection, wrongSecret } from './clients.js';

let aws: LocalAws;
let client: SSMClient;
const PARAMS = Object.fromEntries(
  Array.from({ length: 23 }, (_, i) => [`/app/prod/p${String(i).padStart(2, '0')}`, `v${i}`]),
);

beforeAll(async () => {
  aws = await startLocalAws({
    ssm: {
      ...PARAMS,
      '/app/prod/db/password': { value: 'pw', type: 'SecureString' },
      '/app/prod/hosts': { value: 'a,b', type: 'StringList' },
      '/app/other/x': 'no',
    },
  });
  client = new SSMClient(clientConfig(aws));
});
afterAll(async () => {
  client.destroy();
  await aws.close();
});
beforeEach(() => {
  aws.clearFaults();
  aws.requests.length = 0;
});

async function readAll(input: GetParametersByPathCommandInput) {
  const got: Record<string, string | undefined> = {};
  const pages: number[] = [];
  for await (const page of paginateGetParametersByPath({ client }, input)) {
    pages.push(page.Parameters?.length ?? 0);
    for (const p of page.Parameters ?? []) got[p.Name as string] = p.Value;
  }
  return { got, pages };
}

describe('the local SSM, read by @aws-sdk/client-ssm', () => {
  it('serves every parameter under a path, recursively and decrypted, in pages of MaxResults', async () => {
    const { got, pages } = await readAll({
      Path: '/app/prod/',
      Recursive: true,
      WithDecryption: true,
      MaxResults: 10,
    });
    expect(pages).toEqual([10, 10, 5]);
    expect(got).toEqual({ ...PARAMS, '/app/prod/db/password': 'pw', '/app/prod/hosts': 'a,b' });
    expect(aws.requests.map((r) => r.input.NextToken === undefined)).toEqual([true, false, false]);
  });

  it('answers types, versions, ARNs and dates as the SDK models them, a SecureString sealed without WithDecryption', async () => {
    const { Parameters = [] } = await client.send(new GetParametersByPathCommand({ Path: '/app/prod/db' }));
    expect(Parameters).toHaveLength(1);
    expect(Parameters[0]).toMatchObject({
      Name: '/app/prod/db/password',
      Type: 'SecureString',
      Version: 1,
      ARN: 'arn:aws:ssm:eu-west-1:123456789012:parameter/app/prod/db/password',
    });
    expect(Parameters[0]?.Value).not.toContain('pw');
    expect(Parameters[0]?.LastModifiedDate).toBeInstanceOf(Date);
  });

  it('lists only direct children without Recursive, a page left empty by deeper names still carrying a NextToken', async () => {
    aws.put({ ssm: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`/deep/a/${i}`, 'x'])) });
    aws.put({ ssm: { '/deep/z': 'direct' } });
    const { got, pages } = await readAll({ Path: '/deep', MaxResults: 10 });
    expect(got).toEqual({ '/deep/z': 'direct' });
    expect(pages).toEqual([0, 1]);
  });

  it('bumps a parameter version when its value changes, and only then', async () => {
    aws.put({ ssm: { '/versions/x': 'a' } });
    aws.put({ ssm: { '/versions/x': 'a' } });
    aws.put({ ssm: { '/versions/x': 'b' } });
    const { Parameter } = await client.send(new GetParameterCommand({ Name: '/versions/x' }));
    expect(Parameter).toMatchObject({ Value: 'b', Version: 2, Type: 'String' });
    aws.remove('ssm', '/versions/x');
    expect(await rejection(client.send(new GetParameterCommand({ Name: '/versions/x' })))).toMatchObject({
      name: 'ParameterNotFound',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it.each([
    ['MaxResults above 10', { Path: '/app', MaxResults: 11 }, 'ValidationException'],
    ['a path not starting with /', { Path: 'app' }, 'ValidationException'],
    ['a forged NextToken', { Path: '/app', NextToken: 'bm9wZQ==' }, 'InvalidNextToken'],
  ])('answers %s with %s (HTTP 400)', async (_what, input, name) => {
    const err = await rejection(client.send(new GetParametersByPathCommand(input)));
    expect(err).toMatchObject({ name, $metadata: { httpStatusCode: 400 } });
    expect(err.message).not.toBe('UnknownError');
  });

  it('answers an operation it does not serve with a message saying what it serves', async () => {
    const err = await rejection(client.send(new PutParameterCommand({ Name: '/x', Value: 'y' })));
    expect(err.message).toContain('serves GetParametersByPath and GetParameter');
  });

  it('refuses a wrong secret with InvalidSignatureException (HTTP 400), as SSM does', async () => {
    const wrong = new SSMClient(wrongSecret(aws));
    const err = await rejection(wrong.send(new GetParametersByPathCommand({ Path: '/app' })));
    expect(err).toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
    expect(err.message).toContain('The Canonical String for this request should have been');
    wrong.destroy();
  });

  it('refuses an unknown access key with UnrecognizedClientException, and an unsigned request', async () => {
    const config = clientConfig(aws);
    const other = new SSMClient({
      ...config,
      credentials: { ...config.credentials, accessKeyId: 'AKIDOTHER' },
    });
    expect(await rejection(other.send(new GetParametersByPathCommand({ Path: '/app' })))).toMatchObject({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    other.destroy();
    const res = await fetch(aws.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.GetParametersByPath',
      },
      body: '{"Path":"/app"}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });
});
