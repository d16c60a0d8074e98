import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, vi } from 'vitest';
import { fromFile, resetConfigCache } from '../../src/index.js';
import { resetSharedClients } from '../../src/sources/s3/sdk.js';
import { fixture } from '../helpers.js';

/** Shared pieces of the S3 unit tests: every `S3Client`'s `send` mocked, bodies, SDK-shaped errors. */

/** Mocks `send` of every `S3Client` (those strataconf creates included) for the calling test file. */
export function mockS3() {
  return mockClient(S3Client);
}

/** The object the unit tests read, and the bundled file it overrides. */
export const TARGET = 's3://orders-config/prod.json5';
export const base = () => fromFile(fixture('s3', 'base.json5'));

/**
 * `mockS3()` plus the hooks every S3 unit-test file needs: a reset mock and an offline AWS
 * environment before each test; an empty config cache and no shared clients after it.
 */
export function useMockedS3() {
  const s3 = mockS3();
  beforeEach(() => {
    s3.reset();
    stubOfflineAwsEnv();
  });
  afterEach(() => {
    resetConfigCache();
    resetSharedClients();
  });
  return s3;
}

/** A body the way the SDK hands it over in Node: a readable stream. */
export function body(text: string | Buffer): Readable {
  return Readable.from([typeof text === 'string' ? Buffer.from(text) : text]);
}

/** The text of a file under fixtures/s3/. */
export function s3Fixture(name: string): string {
  return readFileSync(fixture('s3', name), 'utf8');
}

/** A GetObject answer with a fresh body each time it is used. */
export function objectOutput(text: string, etag: string, extra: object = {}) {
  return () => ({ Body: body(text), ETag: etag, ContentLength: Buffer.byteLength(text), ...extra });
}

/** An error as the SDK throws it for an S3 error response. */
export function s3Error(name: string, status: number, attempts = 1): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    message: `${name} from the mock`,
    $metadata: { httpStatusCode: status, attempts },
  });
}

/** An error as the SDK throws it when the connection fails. */
export function networkError(code: string, attempts = 2): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:443`), { code, $metadata: { attempts } });
}

/** The inputs of every GetObject the mock received. */
export function getObjectInputs(s3: ReturnType<typeof mockS3>) {
  return s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input);
}

/**
 * The SDK path (what these mocked tests exercise: with credentials in the environment, fromS3 sends
 * without the SDK), and a safety net: should a test's client escape the mock, it talks to a closed
 * port on 127.0.0.1, finds no credentials (no env, no files), and never reaches AWS or the EC2
 * metadata service.
 */
export function stubOfflineAwsEnv(): void {
  vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:9');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', '');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/strataconf-test-credentials');
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/strataconf-test-config');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
}

export { GetObjectCommand, S3Client };
