/**
 * Test-side helpers for the s3rver started by `test/setup/s3rver.ts` (see the top of that file).
 *
 * @example
 * ```ts
 * beforeAll(() => seedObjects('my-test-bucket', { 'prod.json5': '{ db: { host: "prod" } }' }));
 * beforeEach(() => stubS3Env());   // the SDK's own client now talks to the local server
 * ```
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

/**
 * The two ways `fromS3` (without a `client`) reaches S3: `light` when the credentials are in the
 * environment (as on Lambda: signed requests without the SDK), `sdk` when they are elsewhere (here a
 * shared credentials file, as with a profile): the SDK's own client and credential chain.
 */
export type S3Path = 'light' | 'sdk';

export const S3_PATHS: readonly S3Path[] = ['light', 'sdk'];

let credentialsFile: string | undefined;

/** A shared credentials file: `[default]` holds the local server's credentials, `[unknown]` a key it rejects. */
function sharedCredentialsFile(): string {
  if (credentialsFile === undefined) {
    const { accessKeyId, secretAccessKey, requestLog } = s3Server();
    // In the server's temp folder, which the global setup deletes at the end of the run.
    credentialsFile = join(dirname(requestLog), 'credentials');
    writeFileSync(
      credentialsFile,
      `[default]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n` +
        `[unknown]\naws_access_key_id = AKIAUNKNOWN\naws_secret_access_key = ${secretAccessKey}\n`,
    );
  }
  return credentialsFile;
}

/**
 * Like `s3Env()`, but for `path`: `sdk` moves the credentials from the environment into a shared
 * credentials file, so `fromS3` takes the SDK path. (Empty values count as unset, for the SDK too.)
 */
export function s3EnvFor(path: S3Path): Record<string, string> {
  if (path === 'light') return s3Env();
  return {
    ...s3Env(),
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
    AWS_SHARED_CREDENTIALS_FILE: sharedCredentialsFile(),
    AWS_CONFIG_FILE: join(tmpdir(), 'strataconf-no-aws-config'),
    AWS_PROFILE: 'default',
  };
}

/** `s3EnvFor(path)` applied with `vi.stubEnv` (undone after each test when `unstubEnvs` is on). */
export function stubS3Env(path: S3Path = 'light'): void {
  for (const [name, value] of Object.entries(s3EnvFor(path))) vi.stubEnv(name, value);
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

/** Uploads `body` (string or Buffer: s3rver corrupts streamed uploads), with its `Content-Type` when given, and returns the object's ETag. */
export async function putObject(
  bucket: string,
  key: string,
  body: string | Buffer,
  contentType?: string,
): Promise<string> {
  seeder.client ??= testS3Client();
  const input = {
    Bucket: bucket,
    Key: key,
    Body: body,
    ...(contentType ? { ContentType: contentType } : {}),
  };
  const out = await seeder.client.send(new PutObjectCommand(input));
  return out.ETag ?? '';
}

/** Creates `bucket` (again, harmlessly) and uploads each `key: body`. */
export async function seedObjects(bucket: string, objects: Record<string, string | Buffer>): Promise<void> {
  seeder.client ??= testS3Client();
  await seeder.client.send(new CreateBucketCommand({ Bucket: bucket })).catch((err: Error) => {
    if (err.name !== 'BucketAlreadyExists' && err.name !== 'BucketAlreadyOwnedByYou') throw err;
  });
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
