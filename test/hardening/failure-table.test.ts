import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boundAnswers } from '../../src/sources/remote/bounded.js';
import { classify, RemoteFailure } from '../../src/sources/remote/failure.js';
import { lazySdk, sharedClients } from '../../src/sources/remote/sdk.js';

/**
 * The failure table row by row (every name it knows, every status and network code), the SDK's
 * lazy import and shared clients, and the size bounds on the SDK clients strataconf creates, driven
 * without a network.
 */

const SSM = { service: 'SSM', byName: {}, deniedHint: 'the role needs ssm:GetParametersByPath' };
const aws = (name: string, status?: number, extra: object = {}) =>
  Object.assign(new Error(`${name} said so`), {
    name,
    ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
    ...extra,
  });
const node = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('the failure table', () => {
  it.each([
    'SlowDown',
    'Throttling',
    'ThrottlingException',
    'ThrottledException',
    'RequestThrottled',
    'RequestThrottledException',
    'RequestLimitExceeded',
    'TooManyRequestsException',
    'ProvisionedThroughputExceededException',
    'BandwidthLimitExceeded',
  ])('%s (HTTP 400) is throttling: retried, stale on a reload', (name) => {
    expect(classify(aws(name, 400), SSM)).toMatchObject({
      kind: 'throttled',
      reason: `throttled by SSM (${name}, HTTP 400)`,
      transient: true,
      retryable: true,
    });
  });

  it.each([
    [429, 'Whatever', 'throttled by SSM (Whatever, HTTP 429)'],
    [503, 'Unavailable', 'throttled by SSM (Unavailable, HTTP 503)'],
  ])('HTTP %i is throttling whatever its name', (status, name, reason) => {
    expect(classify(aws(name, status), SSM)).toMatchObject({ kind: 'throttled', reason, retryable: true });
  });

  it('a throttling name without a status says "?"', () => {
    expect(classify(aws('SlowDown'), SSM).reason).toBe('throttled by SSM (SlowDown, HTTP ?)');
  });

  it.each([
    'InvalidAccessKeyId',
    'UnrecognizedClientException',
    'InvalidSignatureException',
    'SignatureDoesNotMatch',
    'ExpiredToken',
    'ExpiredTokenException',
    'InvalidToken',
  ])('%s rejects the credentials: not transient, retried only when the clock was corrected', (name) => {
    expect(classify(aws(name, 403), SSM)).toMatchObject({
      kind: 'credentials',
      reason: `credentials rejected (${name})`,
      transient: false,
      retryable: false,
    });
    expect(classify(aws(name, 403, { clockCorrected: true }), SSM).retryable).toBe(true);
  });

  it('no credentials at all', () => {
    expect(classify(aws('CredentialsProviderError'), SSM)).toMatchObject({
      kind: 'credentials',
      reason: 'no AWS credentials found (CredentialsProviderError)',
      transient: false,
      retryable: false,
    });
  });

  it.each([500, 502, 599])('HTTP %i is a server error: retried, stale on a reload', (status) => {
    expect(classify(aws('InternalError', status), SSM)).toMatchObject({
      kind: 'server',
      reason: `SSM server error (InternalError, HTTP ${status})`,
      transient: true,
      retryable: true,
    });
  });

  it.each(['RequestTimeout', 'RequestTimeoutException', 'TimeoutError'])('%s is a network error', (name) => {
    expect(classify(aws(name, 400), SSM)).toMatchObject({
      kind: 'network',
      reason: `network error (${name})`,
      retryable: true,
    });
    expect(classify(aws(name, 400, { code: 'ETIMEDOUT' }), SSM).reason).toBe('network error (ETIMEDOUT)');
  });

  it('403 and 404 without a known name, and any other status', () => {
    expect(classify(aws('Forbidden', 403), SSM)).toMatchObject({
      kind: 'denied',
      reason: 'access denied (Forbidden, HTTP 403): the role needs ssm:GetParametersByPath',
      transient: false,
    });
    expect(classify(aws('NotFound', 404), SSM)).toMatchObject({
      kind: 'not-found',
      reason: 'not found (NotFound, HTTP 404)',
    });
    expect(classify(aws('Teapot', 418), SSM)).toMatchObject({
      kind: 'invalid',
      reason: 'SSM refused the request (Teapot, HTTP 418)',
      transient: false,
      retryable: false,
    });
    expect(classify(aws('Forbidden', 403)).reason).toBe(
      'access denied (Forbidden, HTTP 403): check the role',
    );
    expect(classify(aws('Teapot', 418)).reason).toBe('the store refused the request (Teapot, HTTP 418)');
  });

  it.each([
    ['ECONNREFUSED', true],
    ['ECONNRESET', true],
    ['EPIPE', true],
    ['ETIMEDOUT', true],
    ['EAI_AGAIN', true],
    ['ECONNABORTED', false],
    ['ENOTFOUND', false],
    ['EHOSTUNREACH', false],
    ['ENETUNREACH', false],
  ])('%s is a network error, stale on a reload; retried within the load: %s', (code, retryable) => {
    expect(classify(node(code), SSM)).toMatchObject({
      kind: 'network',
      reason: `network error (${code})`,
      transient: true,
      retryable,
    });
  });

  it('a missing region, and anything else, by its words', () => {
    expect(classify(new Error('Region is missing'))).toMatchObject({
      kind: 'invalid',
      reason: 'no AWS region: set AWS_REGION or pass { region }',
    });
    expect(classify(node('EWHATEVER')).reason).toBe('request failed (Error: connect EWHATEVER)');
    expect(classify(Object.assign(new Error(''), { name: 'Odd' })).reason).toBe('request failed (Odd)');
    expect(classify('a string').reason).toBe('request failed (Error)');
  });

  it("a store's own name wins, never retried; a Retry-After is kept", () => {
    const errors = {
      ...SSM,
      byName: { ParameterNotFound: { kind: 'not-found' as const, reason: 'no such parameter' } },
    };
    expect(classify(aws('ParameterNotFound', 400), errors)).toMatchObject({
      kind: 'not-found',
      reason: 'no such parameter',
      transient: false,
      retryable: false,
    });
    expect(classify(aws('toString', 400), errors).reason).toBe(
      'SSM refused the request (toString, HTTP 400)',
    );
    expect(classify(aws('SlowDown', 503, { retryAfterMs: 1500 }), SSM).retryAfterMs).toBe(1500);
    expect(Object.hasOwn(classify(aws('SlowDown', 503), SSM), 'retryAfterMs')).toBe(false);
  });

  it('counts the attempts into a transient reason only', () => {
    const throttled = aws('SlowDown', 503, { $metadata: { httpStatusCode: 503, attempts: 3 } });
    expect(classify(throttled, SSM)).toMatchObject({
      attempts: 3,
      reason: 'throttled by SSM (SlowDown, HTTP 503) after 3 attempts',
    });
    const denied = aws('Forbidden', 403, { $metadata: { httpStatusCode: 403, attempts: 2 } });
    expect(classify(denied, SSM).reason).toBe(
      'access denied (Forbidden, HTTP 403): the role needs ssm:GetParametersByPath',
    );
    expect(classify(aws('SlowDown', 503), SSM).attempts).toBe(1);
  });

  it("keeps a store's own failure's facts, transient and retryable when it says so", () => {
    const failure = classify(
      new RemoteFailure('no token', { kind: 'invalid', transient: true, retryable: true }),
    );
    expect(failure).toMatchObject({
      kind: 'invalid',
      reason: 'no token',
      transient: true,
      retryable: true,
      attempts: 1,
    });
    expect(new RemoteFailure('x', { kind: 'invalid' }).name).toBe('RemoteFailure');
  });
});

describe('the lazy SDK import', () => {
  it('says how to install a missing package, and tries again next time', async () => {
    const load = lazySdk('@aws-sdk/client-not-installed-here');
    await expect(load()).rejects.toMatchObject({
      kind: 'invalid',
      reason:
        '@aws-sdk/client-not-installed-here is not installed; add it with `npm install @aws-sdk/client-not-installed-here` (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
    });
    await expect(load()).rejects.toBeInstanceOf(RemoteFailure);
    const quiet = lazySdk('@aws-sdk/client-not-installed-either', '');
    await expect(quiet()).rejects.toMatchObject({
      reason:
        '@aws-sdk/client-not-installed-either is not installed; add it with `npm install @aws-sdk/client-not-installed-either`',
    });
  });

  it('loads once when it works', async () => {
    const load = lazySdk<typeof import('node:path')>('node:path');
    const first = await load();
    expect(await load()).toBe(first);
    expect(typeof first.join).toBe('function');
  });
});

describe('shared clients', () => {
  it('makes one per region and endpoint, forgets a failed one, and all on reset', async () => {
    const made: string[] = [];
    let fail = true;
    const clients = sharedClients('ssm', async (region) => {
      made.push(String(region));
      if (fail) throw new Error('no');
      return { region };
    });
    await expect(clients.get('eu-west-1')).rejects.toThrow('no');
    await Promise.resolve();
    fail = false;
    const a = await clients.get('eu-west-1');
    expect(await clients.get('eu-west-1')).toBe(a);
    expect(await clients.get(undefined)).not.toBe(a);
    expect(await clients.get('us-east-1')).not.toBe(a);
    process.env.AWS_ENDPOINT_URL_SSM = 'http://127.0.0.1:1';
    try {
      expect(await clients.get('eu-west-1')).not.toBe(a);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SSM;
    }
    clients.reset();
    expect(await clients.get('eu-west-1')).not.toBe(a);
    expect(made).toEqual(['eu-west-1', 'eu-west-1', 'undefined', 'us-east-1', 'eu-west-1', 'eu-west-1']);
  });
});

describe('size bounds on the SDK clients strataconf creates', () => {
  async function read(body: Readable): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  function client(statusCode: number, chunks: Buffer[]) {
    const handler = {
      handle: async () => ({ response: { statusCode, body: Readable.from(chunks) } }),
    };
    return { config: { requestHandler: handler }, handler };
  }

  it('passes a 2xx body within the bound, and fails one past it (the call may name its own bound)', async () => {
    const ok = client(200, [Buffer.alloc(6, 'a'), Buffer.alloc(4, 'b')]);
    boundAnswers(ok, 10);
    expect((await read((await ok.handler.handle()).response.body)).length).toBe(10);
    const over = client(200, [Buffer.alloc(6, 'a'), Buffer.alloc(5, 'b')]);
    boundAnswers(over, 10);
    await expect(read((await over.handler.handle()).response.body)).rejects.toMatchObject({
      code: 'ETOOLARGE',
      maxBytes: 10,
    });
    const named = client(200, [Buffer.alloc(6, 'a')]);
    boundAnswers(named, 100);
    const handle = named.handler.handle as (
      r: unknown,
      o: { maxBytes: number },
    ) => ReturnType<typeof named.handler.handle>;
    await expect(read((await handle({}, { maxBytes: 5 })).response.body)).rejects.toMatchObject({
      maxBytes: 5,
    });
  });

  it('cuts an error body at 64 KiB, and leaves a 2xx body alone under an unbounded default', async () => {
    const error = client(403, [Buffer.alloc(40_000, 'a'), Buffer.alloc(40_000, 'b')]);
    boundAnswers(error, 10);
    expect((await read((await error.handler.handle()).response.body)).length).toBe(64 * 1024);
    const open = client(200, [Buffer.alloc(100_000, 'a')]);
    boundAnswers(open, Number.POSITIVE_INFINITY);
    const body = (await open.handler.handle()).response.body;
    expect(body).toBeInstanceOf(Readable);
    expect((await read(body)).length).toBe(100_000);
  });

  it('leaves a client without a request handler, and an answer without a stream, as they are', async () => {
    expect(() => boundAnswers({}, 10)).not.toThrow();
    expect(() => boundAnswers(undefined, 10)).not.toThrow();
    const plain = {
      config: { requestHandler: { handle: async () => ({ response: { statusCode: 200, body: 'text' } }) } },
    };
    boundAnswers(plain, 1);
    expect((await plain.config.requestHandler.handle()).response.body).toBe('text');
  });
});
