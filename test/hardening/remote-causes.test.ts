import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RemoteCause, reduceError, UNREADABLE } from '../../src/sources/remote/cause.js';
import { classify, RemoteFailure } from '../../src/sources/remote/failure.js';

/**
 * What a remote layer's failure keeps of the error behind it (src/sources/remote/cause.ts), and how
 * the failure table classes the answers this work added: one too large, one not understood.
 */

const TOKEN = 'FwoGZXIvYXdzEPLANTED-token-9a8b';

/** An error shaped as the AWS SDK throws one for S3's SignatureDoesNotMatch. */
function sdkError(): Error {
  const err = Object.assign(new Error(`The request signature we calculated does not match. token ${TOKEN}`), {
    name: 'SignatureDoesNotMatch',
    $fault: 'client',
    $metadata: {
      httpStatusCode: 403,
      requestId: 'REQ-1',
      extendedRequestId: 'EXT/+=',
      cfId: undefined,
      attempts: 2,
      totalRetryDelay: 120,
    },
    CanonicalRequest: `GET\n/k\n\nx-amz-security-token:${TOKEN}`,
    StringToSign: 'AWS4-HMAC-SHA256\n...',
    Code: 'SignatureDoesNotMatch',
  });
  Object.defineProperty(err, '$response', {
    value: { headers: { 'x-amz-security-token': TOKEN } },
    enumerable: false,
  });
  return err;
}

describe('reduceError', () => {
  it('keeps the name, status, request id, attempts and a cleaned message: nothing else of an SDK error', () => {
    const reduced = reduceError(sdkError(), [TOKEN]) as RemoteCause;
    expect(reduced).toBeInstanceOf(RemoteCause);
    expect(reduced.name).toBe('SignatureDoesNotMatch');
    expect(reduced.message).toBe('The request signature we calculated does not match. token [redacted]');
    expect(reduced.$metadata).toEqual({
      httpStatusCode: 403,
      requestId: 'REQ-1',
      attempts: 2,
      totalRetryDelay: 120,
    });
    expect(reduced.$fault).toBe('client');
    expect(Object.keys(reduced).sort()).toEqual(['$fault', '$metadata', 'name']);
    expect(inspect(reduced, { showHidden: true, depth: Number.POSITIVE_INFINITY })).not.toContain(TOKEN);
    expect(reduced.stack?.split('\n')[0]).toBe(`SignatureDoesNotMatch: ${reduced.message}`);
    expect(reduced.stack?.split('\n')[1]).toMatch(/^\s+at /);
  });

  it("keeps Node's code, a Retry-After, a corrected clock, a size bound and the retry loop's last wait", () => {
    const err = Object.assign(new Error('x'), {
      code: 'ETOOLARGE',
      maxBytes: 10,
      retryAfterMs: 500,
      clockCorrected: true,
      waitBeyondBudgetMs: 3100,
    });
    expect(reduceError(err)).toMatchObject({
      code: 'ETOOLARGE',
      maxBytes: 10,
      retryAfterMs: 500,
      clockCorrected: true,
      waitBeyondBudgetMs: 3100,
    });
    const plain = reduceError(Object.assign(new Error('x'), { clockCorrected: false })) as RemoteCause;
    expect(Object.hasOwn(plain, 'clockCorrected')).toBe(false);
  });

  it.each([
    [
      'a SyntaxError',
      Object.assign(new SyntaxError(`Unexpected token '<', "<html>${TOKEN}" is not valid JSON`)),
    ],
    [
      'an error carrying the body it could not parse',
      Object.assign(new Error('bad'), { $responseBodyText: TOKEN }),
    ],
    [
      'a deserialization error',
      new Error(`Expected JSON ${TOKEN}\n  Deserialization error: to see the raw response...`),
    ],
  ])("replaces %s's message, which quotes the body", (_what, err) => {
    const reduced = reduceError(err) as RemoteCause;
    expect(reduced.message).toBe(UNREADABLE);
    expect(inspect(reduced, { showHidden: true })).not.toContain(TOKEN);
  });

  it('keeps the message of a body too large, which quotes none', () => {
    const err = Object.assign(new SyntaxError('the answer is larger than 10 bytes'), { code: 'ETOOLARGE' });
    expect((reduceError(err) as RemoteCause).message).toBe('the answer is larger than 10 bytes');
  });

  it('reduces the causes behind it too, three deep', () => {
    const deepest = new Error(`four ${TOKEN}`);
    const chain = new Error('one', {
      cause: new Error('two', { cause: new Error('three', { cause: deepest }) }),
    });
    const reduced = reduceError(chain, [TOKEN]) as Error;
    const c2 = reduced.cause as Error;
    const c3 = c2.cause as Error;
    expect([reduced.message, c2.message, c3.message]).toEqual(['one', 'two', 'three']);
    expect((c3.cause as Error).message).toBe('four [redacted]');
    expect((c3.cause as Error).cause).toBeUndefined();
    const fourDeep = new Error('0', { cause: chain });
    expect(
      ((((reduceError(fourDeep) as Error).cause as Error).cause as Error).cause as Error).cause,
    ).toBeUndefined();
  });

  it('leaves nothing, and what it reduced, as they are; a thrown value that is no object becomes its text', () => {
    expect(reduceError(undefined)).toBeUndefined();
    expect(reduceError(null)).toBeNull();
    const reduced = reduceError(new Error('x'));
    expect(reduceError(reduced)).toBe(reduced);
    expect(reduceError(`token ${TOKEN}`, [TOKEN])).toBe('token [redacted]');
    expect(reduceError(42)).toBe('42');
  });

  it('takes no name, code or request id that is not a word, and no number that is not finite', () => {
    const err = Object.assign(new Error('x'), {
      name: 'Bad name <script>',
      code: 'a b',
      $metadata: { httpStatusCode: Number.NaN, requestId: 'a\nb' },
    });
    const reduced = reduceError(err) as RemoteCause;
    expect([reduced.name, reduced.code, reduced.$metadata]).toEqual(['Error', undefined, {}]);
  });

  it('keeps $metadata writable, so the retry loop can count attempts on it', () => {
    const reduced = reduceError(sdkError()) as RemoteCause;
    Object.assign(reduced, { $metadata: { ...reduced.$metadata, attempts: 3 } });
    expect(reduced.$metadata.attempts).toBe(3);
  });

  it('writes a stack of its header alone when the error had no frames', () => {
    const err = new Error('x');
    err.stack = 'Error: x';
    expect((reduceError(err) as Error).stack).toBe('Error: x');
  });
});

describe('classify, for answers too large or not understood', () => {
  const errors = { service: 'SSM', byName: {}, deniedHint: 'the role needs ssm:GetParametersByPath' };

  it('an answer above its bound: unavailable, stale on a reload, never retried', () => {
    const err = Object.assign(new Error('the answer is larger than 1000 bytes'), {
      code: 'ETOOLARGE',
      maxBytes: 1000,
    });
    expect(classify(err, errors)).toMatchObject({
      kind: 'invalid',
      reason: 'SSM answered more than 1000 bytes',
      transient: true,
      retryable: false,
    });
    const unbounded = Object.assign(new Error('too large'), { code: 'ETOOLARGE' });
    expect(classify(unbounded, errors).reason).toBe('SSM answered more than its size bound');
  });

  it.each([200, 204, 299])(
    'an error with HTTP %i: an answer not understood, stale on a reload, never retried',
    (status) => {
      const err = Object.assign(new SyntaxError('Unexpected token'), {
        $metadata: { httpStatusCode: status },
      });
      expect(classify(err, errors)).toMatchObject({
        kind: 'server',
        reason: `the answer from SSM could not be understood (SyntaxError, HTTP ${status}): not the service's format (a proxy in the way?)`,
        transient: true,
        retryable: false,
      });
    },
  );

  it('an error with HTTP 300 or 199 is not "not understood"', () => {
    for (const status of [199, 300]) {
      const err = Object.assign(new Error('x'), { name: 'Odd', $metadata: { httpStatusCode: status } });
      expect(classify(err, errors).reason).toBe(`SSM refused the request (Odd, HTTP ${status})`);
    }
  });

  it("a store's own failure keeps its facts, with its cause reduced", () => {
    const failure = classify(new RemoteFailure('no parameter under /a/', { kind: 'not-found' }, sdkError()));
    expect(failure).toMatchObject({
      kind: 'not-found',
      reason: 'no parameter under /a/',
      transient: false,
      retryable: false,
      attempts: 1,
    });
    expect(failure.cause).toBeInstanceOf(RemoteCause);
    expect(inspect(failure, { showHidden: true, depth: Number.POSITIVE_INFINITY })).not.toContain(
      'CanonicalRequest',
    );
    expect(Object.hasOwn(classify(new RemoteFailure('x', { kind: 'invalid' })), 'cause')).toBe(false);
  });

  it('an unknown error says what it was, cleaned', () => {
    const failure = classify(new Error(`boom x-amz-security-token:${TOKEN}`));
    expect(failure.reason).toBe('request failed (Error: boom x-amz-security-token:[redacted])');
  });
});
