/**
 * The local S3 is faithful to the protocol: the real @aws-sdk/client-s3 reads back what it holds,
 * by path and by virtual host, conditionally and by version, and gets S3's errors by their names.
 */
import { createHash } from 'node:crypto';
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import {
  GetObjectCommand,
  type GetObjectCommandInput,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/testing.js';
import { clientConfig, rejection, wrongSecret } from './clients.js';

let aws: LocalAws;
let s3: S3Client;
const get = (input: Omit<GetObjectCommandInput, 'Bucket'> & { Bucket?: string }, client = s3) =>
  client.send(new GetObjectCommand({ Bucket: 'my-config', ...input }));
const md5 = (text: string) => `"${createHash('md5').update(text).digest('hex')}"`;

beforeAll(async () => {
  aws = await startLocalAws({
    s3: {
      'my-config/orders/prod.json': '{"a":1}',
      'my-config/dir/with space/ünï €+(x).json5': '{ b: 2 }',
      'my-config/bytes.bin': new Uint8Array([0, 1, 2, 255]),
      'my-config/typed': { body: 'a: 1', contentType: 'application/yaml' },
      'empty-bucket/': '',
    },
  });
  s3 = new S3Client({ ...clientConfig(aws), forcePathStyle: true });
});
afterAll(async () => {
  s3.destroy();
  await aws.close();
});
beforeEach(() => {
  aws.clearFaults();
  aws.requests.length = 0;
});

describe('the local S3, read by @aws-sdk/client-s3', () => {
  it('serves an object with its MD5 ETag, content type, length, version and date, and logs the request', async () => {
    const out = await get({ Key: 'orders/prod.json' });
    expect(await out.Body?.transformToString()).toBe('{"a":1}');
    expect(out).toMatchObject({ ETag: md5('{"a":1}'), ContentType: 'application/json', ContentLength: 7 });
    expect(out.VersionId).toEqual(expect.any(String));
    expect(out.LastModified).toBeInstanceOf(Date);
    expect(aws.requests).toEqual([
      {
        service: 's3',
        operation: 'GetObject',
        input: { Bucket: 'my-config', Key: 'orders/prod.json' },
        resource: 'my-config/orders/prod.json',
        status: 200,
        region: 'eu-west-1',
      },
    ]);
  });

  it('serves keys with spaces, unicode and reserved characters, bytes as they are, and a content type given', async () => {
    const odd = await get({ Key: 'dir/with space/ünï €+(x).json5' });
    expect(await odd.Body?.transformToString()).toBe('{ b: 2 }');
    const bytes = await get({ Key: 'bytes.bin' });
    expect([...((await bytes.Body?.transformToByteArray()) ?? [])]).toEqual([0, 1, 2, 255]);
    expect(bytes.ContentType).toBe('binary/octet-stream');
    expect((await get({ Key: 'typed' })).ContentType).toBe('application/yaml');
  });

  it('answers HeadObject with the headers and no body', async () => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'my-config', Key: 'orders/prod.json' }));
    expect(head).toMatchObject({ ETag: md5('{"a":1}'), ContentLength: 7, ContentType: 'application/json' });
  });

  it('answers 304 to If-None-Match with the current ETag or *, and the object to another', async () => {
    const etag = md5('{"a":1}');
    for (const tag of [etag, '*', `"other", ${etag}`]) {
      const err = await rejection(get({ Key: 'orders/prod.json', IfNoneMatch: tag }));
      expect(err.$metadata).toMatchObject({ httpStatusCode: 304 });
    }
    expect((await get({ Key: 'orders/prod.json', IfNoneMatch: '"old"' })).ETag).toBe(etag);
    expect(aws.requests.map((r) => r.status)).toEqual([304, 304, 304, 200]);
  });

  it('answers If-Match with another ETag 412 PreconditionFailed, and If-Modified-Since a later date 304', async () => {
    const failed = await rejection(get({ Key: 'orders/prod.json', IfMatch: '"other"' }));
    expect(failed).toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    const later = new Date(Date.now() + 60_000);
    const unchanged = await rejection(get({ Key: 'orders/prod.json', IfModifiedSince: later }));
    expect(unchanged.$metadata).toMatchObject({ httpStatusCode: 304 });
  });

  it('keeps the versions of an object: a new body is a new version, an old one stays readable by VersionId', async () => {
    const first = await get({ Key: 'orders/prod.json' });
    aws.put({ s3: { 'my-config/orders/prod.json': '{"a":2}' } });
    const second = await get({ Key: 'orders/prod.json' });
    expect(second.ETag).toBe(md5('{"a":2}'));
    expect(second.VersionId).not.toBe(first.VersionId);
    const old = await get({ Key: 'orders/prod.json', VersionId: first.VersionId });
    expect(await old.Body?.transformToString()).toBe('{"a":1}');
    // The same body again is no new version: the ETag and version stay.
    aws.put({ s3: { 'my-config/orders/prod.json': '{"a":2}' } });
    expect((await get({ Key: 'orders/prod.json' })).VersionId).toBe(second.VersionId);
    aws.put({ s3: { 'my-config/orders/prod.json': '{"a":1}' } });
  });

  it.each([
    ['a missing key', { Key: 'nope.json' }, 'NoSuchKey', 404],
    ['a key of an empty bucket', { Bucket: 'empty-bucket', Key: 'x' }, 'NoSuchKey', 404],
    ['a missing bucket', { Bucket: 'no-such-bucket', Key: 'x' }, 'NoSuchBucket', 404],
    ['a missing version', { Key: 'orders/prod.json', VersionId: 'v0' }, 'NoSuchVersion', 404],
  ])('answers %s with %s', async (_what, input, name, status) => {
    const err = await rejection(get(input));
    expect(err).toMatchObject({ name, $metadata: { httpStatusCode: status } });
    if (name === 'NoSuchKey') expect(err).toBeInstanceOf(NoSuchKey);
  });

  it('answers HeadObject of a missing key 404 NotFound, without a body', async () => {
    const err = await rejection(s3.send(new HeadObjectCommand({ Bucket: 'my-config', Key: 'nope' })));
    expect(err).toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
  });

  it('keeps a bucket when its last object is removed', async () => {
    aws.put({ s3: { 'short-lived/a.json': '{}' } });
    aws.remove('s3', 'short-lived/a.json');
    expect(await rejection(get({ Bucket: 'short-lived', Key: 'a.json' }))).toMatchObject({
      name: 'NoSuchKey',
    });
  });

  it('serves the virtual-hosted form a custom host name gets (bucket.localhost)', async () => {
    // Every name resolves to 127.0.0.1 here, so no DNS is asked and nothing leaves the machine.
    const lookup: LookupFunction = (_host, options, done) => {
      if (options.all)
        (done as (e: null, a: { address: string; family: number }[]) => void)(null, [
          { address: '127.0.0.1', family: 4 },
        ]);
      else done(null, '127.0.0.1', 4);
    };
    const virtual = new S3Client({
      ...clientConfig(aws),
      endpoint: aws.endpoint.replace('127.0.0.1', 'localhost'),
      forcePathStyle: false,
      requestHandler: { httpAgent: new Agent({ lookup }) },
    });
    try {
      const out = await get({ Key: 'orders/prod.json' }, virtual);
      expect(await out.Body?.transformToString()).toBe('{"a":1}');
      expect(aws.requests.at(-1)?.input).toEqual({ Bucket: 'my-config', Key: 'orders/prod.json' });
    } finally {
      virtual.destroy();
    }
  });

  it('answers NotImplemented, saying what it serves, to an operation it does not serve', async () => {
    const err = await rejection(s3.send(new ListObjectsV2Command({ Bucket: 'my-config' })));
    expect(err).toMatchObject({ name: 'NotImplemented', $metadata: { httpStatusCode: 501 } });
    expect(err.message).toContain('serves GetObject and HeadObject');
  });
});

describe('the local S3 refuses what S3 refuses', () => {
  it('a wrong secret: 403 SignatureDoesNotMatch, quoting the string it signed', async () => {
    const client = new S3Client({ ...wrongSecret(aws), forcePathStyle: true });
    const err = await rejection(get({ Key: 'orders/prod.json' }, client));
    expect(err).toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    expect(err.StringToSign).toMatch(/^AWS4-HMAC-SHA256\n/);
    client.destroy();
  });

  it('an unknown access key id: 403 InvalidAccessKeyId', async () => {
    const config = clientConfig(aws);
    const client = new S3Client({
      ...config,
      forcePathStyle: true,
      credentials: { ...config.credentials, accessKeyId: 'AKIDOTHER' },
    });
    expect(await rejection(get({ Key: 'orders/prod.json' }, client))).toMatchObject({
      name: 'InvalidAccessKeyId',
      $metadata: { httpStatusCode: 403 },
    });
    client.destroy();
  });

  it('a request without the session token: 400 InvalidToken', async () => {
    const config = clientConfig(aws);
    const { sessionToken: _, ...noToken } = config.credentials;
    const client = new S3Client({ ...config, forcePathStyle: true, credentials: noToken });
    expect(await rejection(get({ Key: 'orders/prod.json' }, client))).toMatchObject({
      name: 'InvalidToken',
      $metadata: { httpStatusCode: 400 },
    });
    client.destroy();
  });

  it('an unsigned request: 403 AccessDenied in S3 XML', async () => {
    const res = await fetch(`${aws.endpoint}/my-config/orders/prod.json`);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(await res.text()).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message>/,
    );
  });
});
