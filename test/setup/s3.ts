/**
 * Test-side helpers for the s3rver started by `test/setup/s3rver.ts` (see the top of that file).
 *
 * @example
 * ```ts
 * beforeAll(() => seedObjects('my-test-bucket', { 'prod.json5': '{ db: { host: "prod" } }' }));
 * beforeEach(() => stubS3Env());   // the SDK's own client now talks to the local server
 * ```
 */
import { readFileSync } from 'node:fs';
import { CreateBucketCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { inject, vi } from 'vitest';
import type { LoggedRequest, S3TestServer } from './s3rver.js';

export type { LoggedRequest, S3TestServer };

/** The server's address and credentials. */
export function s3Server(): S3TestServer {
  return inject('s3');
}

/** Environment variables that point a default `new S3Client({})` at the local server. */
export function s3Env(): Record<string, string> {
  const { endpoint, region, accessKeyId, secretAccessKey } = s3Server();
  return {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    // Never let the credential chain reach for the EC2 metadata service (network stays on 127.0.0.1).
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** `s3Env()` applied with `vi.stubEnv` (undone after each test when `unstubEnvs` is on). */
export function stubS3Env(): void {
  for (const [name, value] of Object.entries(s3Env())) vi.stubEnv(name, value);
}

/** A client for the local server, e.g. to seed objects or to pass as `fromS3`'s `client`. */
export function testS3Client(config: S3ClientConfig = {}): S3Client {
  const { endpoint, region, accessKeyId, secretAccessKey } = s3Server();
  return new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    ...config,
  });
}

const seeder = { client: undefined as S3Client | undefined };

/** Uploads `body` (string or Buffer: s3rver corrupts streamed uploads) and returns the object's ETag. */
export async function putObject(bucket: string, key: string, body: string | Buffer): Promise<string> {
  seeder.client ??= testS3Client();
  const out = await seeder.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return out.ETag ?? '';
}

/** Creates `bucket` (again, harmlessly) and uploads each `key: body`. */
export async function seedObjects(bucket: string, objects: Record<string, string | Buffer>): Promise<void> {
  seeder.client ??= testS3Client();
  await seeder.client.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const [key, body] of Object.entries(objects)) await putObject(bucket, key, body);
}

/** The requests the server received for `/bucket/key`, oldest first. */
export function requestsFor(bucket: string, key: string): LoggedRequest[] {
  const path = `/${bucket}/${key}`;
  return readFileSync(s3Server().requestLog, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LoggedRequest)
    .filter((r) => r.path === path);
}
