/**
 * startLocalAws as a test uses it: its env, its options, faults for the next N requests (AWS
 * errors with each service's status and wording, reset connections, slow answers), the request
 * log, and a close that leaves nothing listening.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/testing.js';
import { unusedPort } from '../helpers.js';
import { clientConfig, rejection } from './clients.js';

let aws: LocalAws;
let ssm: SSMClient;
let s3: S3Client;
const byPath = () => ssm.send(new GetParametersByPathCommand({ Path: '/app' }));
const getObject = () => s3.send(new GetObjectCommand({ Bucket: 'my-config', Key: 'a.json' }));

beforeAll(async () => {
  aws = await startLocalAws({ ssm: { '/app/a': '1' }, s3: { 'my-config/a.json': '{}' } });
  ssm = new SSMClient(clientConfig(aws));
  s3 = new S3Client({ ...clientConfig(aws), forcePathStyle: true });
});
afterAll(async () => {
  ssm.destroy();
  s3.destroy();
  await aws.close();
});
beforeEach(() => {
  aws.clearFaults();
  aws.requests.length = 0;
});

describe('startLocalAws', () => {
  it('gives the environment that points AWS clients and strataconf at it', () => {
    const port = new URL(aws.endpoint).port;
    expect(aws.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(aws.env).toEqual({
      AWS_ENDPOINT_URL_S3: aws.endpoint,
      AWS_ENDPOINT_URL_SSM: aws.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoint,
      AWS_ENDPOINT_URL_APPCONFIGDATA: aws.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDLOCALAWS',
      AWS_SECRET_ACCESS_KEY: 'local-aws-secret-access-key',
      AWS_SESSION_TOKEN: 'local-aws-session-token',
      AWS_APPCONFIG_EXTENSION_HTTP_PORT: port,
    });
  });

  it('takes a port, a region and credentials of your own', async () => {
    const port = await unusedPort();
    const credentials = { accessKeyId: 'AKIDMINE', secretAccessKey: 'mine' };
    await using mine = await startLocalAws(
      { ssm: { '/x/y': 'z' } },
      { port, region: 'eu-central-1', credentials },
    );
    expect(mine.endpoint).toBe(`http://127.0.0.1:${port}`);
    expect(mine.env).toMatchObject({
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'AKIDMINE',
      AWS_SESSION_TOKEN: '',
    });
    const client = new SSMClient({ ...clientConfig(mine), credentials });
    const out = await client.send(new GetParametersByPathCommand({ Path: '/x' }));
    expect(out.Parameters?.[0]?.Value).toBe('z');
    client.destroy();
  });

  it.each([
    [{ port: -1 }, /port must be an integer/],
    [{ region: '' }, /region must be a region name/],
    [{ credentials: { accessKeyId: 'x' } }, /credentials need an accessKeyId and a secretAccessKey/],
  ])('refuses the options %j with a TypeError saying why', async (options, message) => {
    await expect(startLocalAws({}, options as never)).rejects.toThrow(message);
  });

  it.each([
    [{ s3: { 'no-key': 'x' } }, /an S3 object is named "bucket\/key"/],
    [{ ssm: { '/x': { value: 'y', type: 'Number' } } }, /an SSM parameter needs a name and a string value/],
    [
      { appconfig: { 'app/env': { content: 'x' } } },
      /an AppConfig profile is named "application\/environment\/profile"/,
    ],
  ])('refuses the values %j with a TypeError saying why', (values, message) => {
    expect(() => aws.put(values as never)).toThrow(message);
  });

  it('stops on close: the port refuses, a second close is harmless', async () => {
    const short = await startLocalAws();
    await short.close();
    await short.close();
    expect(await rejection(fetch(short.endpoint))).toMatchObject({ cause: { code: 'ECONNREFUSED' } });
  });
});

describe('fail(service, fault)', () => {
  it('answers the next N requests with the AWS error, in the service status and wording, then serves again', async () => {
    aws.fail('ssm', { code: 'ThrottlingException', times: 2 });
    for (const _ of [1, 2])
      expect(await rejection(byPath())).toMatchObject({
        name: 'ThrottlingException',
        message: 'Rate exceeded',
        $metadata: { httpStatusCode: 400 },
      });
    expect((await byPath()).Parameters).toHaveLength(1);
    expect(aws.requests.map((r) => [r.status, r.error])).toEqual([
      [400, 'ThrottlingException'],
      [400, 'ThrottlingException'],
      [200, undefined],
    ]);
  });

  it.each([
    ['SlowDown', 503, 'Please reduce your request rate.'],
    ['AccessDenied', 403, 'Access Denied'],
    ['InternalError', 500, 'We encountered an internal error. Please try again.'],
  ])('answers S3 %s with HTTP %i', async (code, status, message) => {
    aws.fail('s3', { code });
    expect(await rejection(getObject())).toMatchObject({
      name: code,
      message,
      $metadata: { httpStatusCode: status },
    });
  });

  it('takes a status and a message of your own, and names an access-denied resource by its ARN', async () => {
    aws.fail('ssm', { code: 'AccessDeniedException' });
    aws.fail('ssm', { code: 'Teapot', status: 418, message: 'short and stout' });
    const denied = await rejection(byPath());
    expect(denied.message).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/local-aws/local is not authorized to perform: ssm:GetParametersByPath on resource: arn:aws:ssm:eu-west-1:123456789012:parameter/app because no identity-based policy allows the ssm:GetParametersByPath action',
    );
    expect(await rejection(byPath())).toMatchObject({
      name: 'Teapot',
      message: 'short and stout',
      $metadata: { httpStatusCode: 418 },
    });
  });

  it('hits only the operation it names, and only the service it is queued for', async () => {
    aws.fail('appconfig', { code: 'ThrottlingException', operation: 'GetLatestConfiguration' });
    aws.fail('ssm', { code: 'ThrottlingException', operation: 'GetParameter' });
    expect((await byPath()).Parameters).toHaveLength(1);
    expect((await getObject()).ETag).toEqual(expect.any(String));
  });

  it('lasts until clearFaults with times: Infinity', async () => {
    aws.fail('s3', { code: 'ServiceUnavailable', times: Number.POSITIVE_INFINITY });
    for (const _ of [1, 2, 3])
      expect(await rejection(getObject())).toMatchObject({ $metadata: { httpStatusCode: 503 } });
    aws.clearFaults('s3');
    expect((await getObject()).ETag).toEqual(expect.any(String));
  });

  it('drops the connection without an answer for ECONNRESET (status 0 in the log)', async () => {
    aws.fail('s3', { code: 'ECONNRESET' });
    const err = await rejection(getObject());
    expect(err).toMatchObject({ code: 'ECONNRESET' });
    expect(aws.requests.map((r) => r.status)).toEqual([0]);
  });

  it('answers normally but late for Slow, and close() does not wait for it', async () => {
    aws.fail('ssm', { code: 'Slow', delayMs: 50 });
    expect((await byPath()).Parameters).toHaveLength(1);
    const short = await startLocalAws({ ssm: { '/app/a': '1' } });
    short.fail('ssm', { code: 'Slow', delayMs: 60_000 });
    const client = new SSMClient(clientConfig(short));
    const pending = rejection(client.send(new GetParametersByPathCommand({ Path: '/app' })));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await short.close();
    expect(await pending).toBeInstanceOf(Error);
    client.destroy();
  });

  it.each([
    ['an unknown service', 'dynamodb', { code: 'X' }, /service must be one of s3, ssm, secrets, appconfig/],
    ['a fault without a code', 'ssm', {}, /needs a code/],
    ['times below 1', 'ssm', { code: 'X', times: 0 }, /times must be 1 or more/],
    [
      'a status that is not an error',
      'ssm',
      { code: 'X', status: 200 },
      /status must be an HTTP error status/,
    ],
  ])('refuses %s with a TypeError', (_what, service, fault, message) => {
    expect(() => aws.fail(service as never, fault as never)).toThrow(message);
  });
});
