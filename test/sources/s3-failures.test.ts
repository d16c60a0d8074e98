import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { defineConfig, fromS3, loadConfig, type Source } from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';
import { configError } from '../helpers.js';
import {
  base,
  body,
  GetObjectCommand,
  networkError,
  objectOutput,
  s3Error,
  s3Fixture,
  TARGET,
  useMockedS3,
} from './s3-mock.js';

/** Every way an S3 layer can fail, with aws-sdk-client-mock: what an optional and a required layer do. */

const s3 = useMockedS3();

describe('fromS3 failures', () => {
  const cases: [string, () => Error, string][] = [
    ['a missing key', () => s3Error('NoSuchKey', 404), 'object not found (NoSuchKey)'],
    ['a missing bucket', () => s3Error('NoSuchBucket', 404), 'bucket not found (NoSuchBucket)'],
    [
      'a denied read',
      () => s3Error('AccessDenied', 403),
      'access denied (AccessDenied): the role needs s3:GetObject',
    ],
    ['a bare 403', () => s3Error('Forbidden', 403), 'access denied (Forbidden, HTTP 403)'],
    [
      'an unknown access key',
      () => s3Error('InvalidAccessKeyId', 403),
      'credentials rejected (InvalidAccessKeyId)',
    ],
    ['an expired session token', () => s3Error('ExpiredToken', 400), 'credentials rejected (ExpiredToken)'],
    [
      'no credentials at all',
      () =>
        Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        }),
      'no AWS credentials found (CredentialsProviderError)',
    ],
    ['no region', () => new Error('Region is missing'), 'no AWS region: set AWS_REGION or pass { region }'],
    ['a network error', () => networkError('ECONNREFUSED'), 'network error (ECONNREFUSED) after 2 attempts'],
    [
      'a 5xx after retries',
      () => s3Error('InternalError', 500, 2),
      'S3 server error (InternalError, HTTP 500) after 2 attempts',
    ],
  ];

  it.each(cases)('drops an optional layer on %s with one warning naming it', async (_, error, reason) => {
    s3.on(GetObjectCommand).rejects(error());
    const logger = captureWarnings();
    const config = await loadConfig({ sources: [base(), fromS3(TARGET)], logger });
    expect(config).toMatchObject({ db: { host: 'localhost', pool: 2 } });
    expect(logger.codes()).toEqual(['SOURCE_DROPPED']);
    expect(logger.warnings[0]?.message).toBe(
      `dropped optional source ${TARGET}: ${logger.warnings[0]?.details.reason}`,
    );
    expect(logger.warnings[0]?.details).toMatchObject({
      source: TARGET,
      reason: expect.stringContaining(reason),
    });
  });

  it.each(cases)('fails a required layer on %s with SOURCE_UNAVAILABLE', async (_, error, reason) => {
    s3.on(GetObjectCommand).rejects(error());
    const err = await configError(loadConfig({ sources: [base(), fromS3(TARGET, { optional: false })] }));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toContain(`${TARGET} is unavailable: ${reason}`);
    expect(err.details).toMatchObject({ source: TARGET });
  });

  it('gives up on throttling at once when the wait after it does not fit in timeoutMs, naming the throttle', async () => {
    // The first wait after a throttle is between 0.8 and 2.4 s: 1.6 s with the draw pinned at 0.5.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    s3.on(GetObjectCommand).rejects(s3Error('SlowDown', 503));
    const logger = captureWarnings();
    await loadConfig({ sources: [base(), fromS3(TARGET, { timeoutMs: 300 })], logger });
    expect(logger.warnings.map((w) => w.message)).toEqual([
      `dropped optional source ${TARGET}: throttled by S3 (SlowDown, HTTP 503); the next attempt would have waited 1.6 s, beyond the time left (timeoutMs, or the Lambda deadline)`,
    ]);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
    const err = await configError(
      loadConfig({ sources: [base(), fromS3(TARGET, { timeoutMs: 300, optional: false })] }),
    );
    expect(err.details).toMatchObject({ kind: 'throttled', transient: true });
  });

  it('gives up after timeoutMs when S3 does not answer', async () => {
    s3.on(GetObjectCommand).callsFake(() => new Promise(() => {}));
    const logger = captureWarnings();
    // The mocked send never settles: had timeoutMs not ended the wait, the test would time out.
    await loadConfig({ sources: [base(), fromS3(TARGET, { timeoutMs: 100 })], logger });
    expect(logger.warnings.map((w) => w.message)).toEqual([
      `dropped optional source ${TARGET}: no answer within 100 ms (timeoutMs)`,
    ]);
  });

  it('passes an AbortSignal to the client, aborted at the timeout', async () => {
    let signal: AbortSignal | undefined;
    const client = {
      send: (_: object, opts?: { abortSignal?: AbortSignal }) => {
        signal = opts?.abortSignal;
        return new Promise(() => {});
      },
    };
    const err = await configError(
      loadConfig({ sources: [fromS3(TARGET, { client, timeoutMs: 50, optional: false })] }),
    );
    expect(err.message).toBe(`${TARGET} is unavailable: no answer within 50 ms (timeoutMs)`);
    expect(signal?.aborted).toBe(true);
  });

  it('cuts a body that never finishes at the timeout and closes its stream', async () => {
    const stalled = new Readable({ read() {} });
    stalled.push('{ db: ');
    s3.on(GetObjectCommand).resolves({ Body: stalled as never, ETag: '"s"' });
    const err = await configError(
      loadConfig({ sources: [fromS3(TARGET, { timeoutMs: 100, optional: false })] }),
    );
    expect(err.message).toBe(`${TARGET} is unavailable: no answer within 100 ms (timeoutMs)`);
    expect(stalled.destroyed).toBe(true);
  });

  it.each([true, false])(
    'fails with PARSE_ERROR on a body that is not JSON5 (optional: %s)',
    async (optional) => {
      s3.on(GetObjectCommand).callsFake(objectOutput(s3Fixture('corrupt.json5'), '"bad"'));
      const err = await configError(loadConfig({ sources: [base(), fromS3(TARGET, { optional })] }));
      expect(err.code).toBe('PARSE_ERROR');
      expect(err.message).toBe(`${TARGET}: invalid JSON5 at line 3, column 3 (invalid character)`);
      expect(err.details).toMatchObject({ source: TARGET, line: 3, column: 3 });
    },
  );

  it.each([
    ['a top-level array', Buffer.from('[1, 2]'), 'the top level must be an object'],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), 'the object is not valid UTF-8'],
  ])('fails with PARSE_ERROR on %s', async (_, bytes, message) => {
    s3.on(GetObjectCommand).callsFake(() => ({ Body: body(bytes), ETag: '"x"' }));
    const err = await configError(loadConfig({ sources: [fromS3(TARGET)] }));
    expect(err).toMatchObject({ code: 'PARSE_ERROR', message: `${TARGET}: ${message}` });
  });

  it('refuses an object above maxBytes from its Content-Length, without reading it', async () => {
    const big = body('{}');
    s3.on(GetObjectCommand).resolves({ Body: big as never, ContentLength: 2_000_000, ETag: '"big"' });
    const err = await configError(loadConfig({ sources: [fromS3(TARGET)] }));
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toBe(
      `${TARGET}: the object is 2000000 bytes, above the limit of 1048576 bytes (maxBytes)`,
    );
    expect(big.destroyed).toBe(true);
  });

  it('refuses a streamed body that grows past maxBytes', async () => {
    s3.on(GetObjectCommand).callsFake(() => ({
      Body: Readable.from([Buffer.alloc(64, 32), Buffer.alloc(64, 32)]),
    }));
    const err = await configError(loadConfig({ sources: [fromS3(TARGET, { maxBytes: 100 })] }));
    expect(err).toMatchObject({ code: 'PARSE_ERROR', details: { source: TARGET, maxBytes: 100 } });
    expect(err.message).toBe(
      `${TARGET}: the object is more than 100 bytes, above the limit of 100 bytes (maxBytes)`,
    );
  });
});

describe('fromS3 and the Lambda deadline', () => {
  const slow = () => s3.on(GetObjectCommand).callsFake(() => new Promise(() => {}));
  const context = { getRemainingTimeInMillis: () => 300 };

  it('drops an optional layer before the function runs out of time', async () => {
    slow();
    const logger = captureWarnings();
    // S3 never answers: had the deadline not stopped the wait, the test would time out.
    const config = await loadConfig({ sources: [base(), fromS3(TARGET)], logger, context });
    expect(config).toMatchObject({ db: { pool: 2 } });
    expect(logger.codes()).toEqual(['SOURCE_DROPPED']);
    expect(logger.warnings[0]?.message).toBe(`dropped optional source ${TARGET}: Lambda deadline`);
  });

  it('fails a required layer with SOURCE_UNAVAILABLE through definition.load({ context })', async () => {
    slow();
    const definition = defineConfig({ sources: [base(), fromS3(TARGET, { optional: false })] });
    const err = await configError(definition.load({ context }));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.details).toMatchObject({ source: TARGET, reason: 'Lambda deadline' });
  });

  it('aborts the request it sent when the deadline signal fires', async () => {
    let signal: AbortSignal | undefined;
    const client = {
      send: (_: object, opts?: { abortSignal?: AbortSignal }) => {
        signal = opts?.abortSignal;
        return new Promise(() => {});
      },
    };
    const source: Source = fromS3(TARGET, { client });
    await loadConfig({ sources: [source], logger: captureWarnings(), context });
    expect(signal?.aborted).toBe(true);
  });
});
