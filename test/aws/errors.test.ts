import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_CODES, parseErrorResponse } from '../../src/aws/errors.js';
import { parseJsonBody } from '../../src/aws/protocols.js';

/**
 * Error answers read as the AWS SDK reads them, per protocol: the code from `__type`, `code`,
 * `Code` or `x-amzn-errortype` (namespace and URI suffix stripped), S3's XML document, the status's
 * name when the body names nothing, the request id from the headers or the document, and the
 * message cleaned of any quoted request.
 */

describe('parseErrorResponse', () => {
  it.each([
    [
      '__type with a namespace',
      { __type: 'com.amazon.coral.service#AccessDeniedException' },
      {},
      'AccessDeniedException',
    ],
    ['a lower-case code', { code: 'ThrottlingException' }, {}, 'ThrottlingException'],
    ['a capitalised Code', { Code: 'ResourceNotFoundException' }, {}, 'ResourceNotFoundException'],
    [
      'the header before the body',
      { __type: 'Other' },
      { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/' },
      'ValidationException',
    ],
  ])('names a JSON error from %s', (_what, body, headers, code) => {
    expect(parseErrorResponse('json', 400, headers, JSON.stringify(body)).name).toBe(code);
  });

  it.each([
    ['message', { message: 'lower' }, 'lower'],
    ['Message', { Message: 'upper' }, 'upper'],
    ['errorMessage', { errorMessage: 'lambda style' }, 'lambda style'],
  ])('takes the message from %s', (_what, body, message) => {
    expect(parseErrorResponse('rest-json', 400, {}, JSON.stringify(body)).message).toBe(message);
  });

  it.each([
    [301, 'PermanentRedirect'],
    [304, 'NotModified'],
    [400, 'BadRequest'],
    [403, 'Forbidden'],
    [404, 'NotFound'],
    [412, 'PreconditionFailed'],
    [429, 'TooManyRequestsException'],
    [500, 'InternalError'],
    [503, 'InternalError'],
    [418, 'Unknown'],
  ])('names an answer %i without a readable body %s, and says HTTP %i', (status, name) => {
    for (const protocol of ['json', 'rest-json', 'rest-xml'] as const) {
      const err = parseErrorResponse(protocol, status, {}, '<html>proxy</html>');
      expect([err.name, err.message]).toEqual([name, `HTTP ${status}`]);
    }
  });

  it('marks 4xx client faults and 5xx server faults, with one attempt and no delay', () => {
    expect(parseErrorResponse('json', 499, {}, '').$fault).toBe('client');
    expect(parseErrorResponse('json', 500, {}, '')).toMatchObject({
      $fault: 'server',
      $metadata: { httpStatusCode: 500, attempts: 1, totalRetryDelay: 0 },
    });
  });

  it('reads an S3 document, entities decoded', () => {
    const body =
      '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>a &lt;b&gt; &quot;c&quot; &apos;d&apos; &amp;amp;</Message><RequestId>REQ1</RequestId></Error>';
    const err = parseErrorResponse('rest-xml', 404, {}, body);
    expect([err.name, err.message, err.$metadata.requestId]).toEqual([
      'NoSuchKey',
      'a <b> "c" \'d\' &amp;',
      'REQ1',
    ]);
  });

  it('takes the request id from x-amz-request-id, else x-amzn-requestid, else the document', () => {
    const xml = '<Error><Code>X</Code><RequestId>FROM-BODY</RequestId></Error>';
    expect(
      parseErrorResponse('rest-xml', 400, { 'x-amz-request-id': 'A', 'x-amzn-requestid': 'B' }, xml).$metadata
        .requestId,
    ).toBe('A');
    expect(
      parseErrorResponse('rest-xml', 400, { 'x-amzn-requestid': ['B', 'C'] }, xml).$metadata.requestId,
    ).toBe('B');
    expect(parseErrorResponse('rest-xml', 400, {}, xml).$metadata.requestId).toBe('FROM-BODY');
    expect(parseErrorResponse('json', 400, {}, '{"RequestId":"no"}').$metadata.requestId).toBeUndefined();
  });

  it("keeps S3's x-amz-bucket-region, and nothing when it is absent", () => {
    expect(parseErrorResponse('rest-xml', 301, { 'x-amz-bucket-region': 'eu-west-1' }, '').bucketRegion).toBe(
      'eu-west-1',
    );
    expect(Object.hasOwn(parseErrorResponse('rest-xml', 301, {}, ''), 'bucketRegion')).toBe(false);
  });

  it('reads the code and message from the start of a JSON body cut short', () => {
    const cut = '{"__type":"AccessDeniedException","message":"no access","padding":"ppppp';
    const err = parseErrorResponse('json', 400, {}, cut);
    expect([err.name, err.message]).toEqual(['AccessDeniedException', 'no access']);
    expect(parseErrorResponse('json', 400, {}, '{"code":"Throttling","pad":"').name).toBe('Throttling');
  });

  it('takes no code that is not an error name, and a JSON value that is not an object names nothing', () => {
    expect(parseErrorResponse('json', 400, {}, '{"__type":"a b <c>"}').name).toBe('BadRequest');
    expect(parseErrorResponse('rest-xml', 400, {}, '<Error><Code>../x</Code></Error>').name).toBe(
      'BadRequest',
    );
    expect(parseErrorResponse('json', 400, {}, '"AccessDenied"').name).toBe('BadRequest');
    expect(parseErrorResponse('json', 400, {}, '{"__type":""}').name).toBe('BadRequest');
    expect(parseErrorResponse('json', 400, {}, '{"__type":5}').name).toBe('BadRequest');
    expect(parseErrorResponse('json', 400, {}, 'null').name).toBe('BadRequest');
    expect(parseErrorResponse('json', 400, {}, '{"__type":"X","message":5}').message).toBe('HTTP 400');
    expect(parseErrorResponse('json', 400, {}, '{"__type":"9Lives"}').name).toBe('BadRequest');
    expect(parseErrorResponse('json', 400, {}, '{"__type":"-Throttling"}').name).toBe('BadRequest');
    expect(parseErrorResponse('json', 400, {}, '{"__type":"Throttling-"}').name).toBe('BadRequest');
    expect(parseErrorResponse('json', 400, {}, `{"__type":"A${'b'.repeat(99)}"}`).name).toBe(
      `A${'b'.repeat(99)}`,
    );
    expect(parseErrorResponse('json', 400, {}, `{"__type":"A${'b'.repeat(100)}"}`).name).toBe('BadRequest');
  });

  it('cleans the message of a quoted request and of the credentials it is given', () => {
    const body = JSON.stringify({
      __type: 'InvalidSignatureException',
      message:
        'Signature mismatch for token-12345678.\n\nThe Canonical String for this request should have been x',
    });
    expect(parseErrorResponse('json', 400, {}, body, ['token-12345678']).message).toBe(
      'Signature mismatch for [redacted].',
    );
    const quoteOnly = JSON.stringify({ __type: 'X', message: 'The String-to-Sign should have been ...' });
    expect(parseErrorResponse('json', 400, {}, quoteOnly).message).toBe('HTTP 400');
  });

  it('knows the clock-skew answers', () => {
    expect([...CLOCK_SKEW_CODES].sort()).toEqual([
      'AuthFailure',
      'InvalidSignatureException',
      'RequestExpired',
      'RequestInTheFuture',
      'RequestTimeTooSkewed',
      'SignatureDoesNotMatch',
    ]);
  });
});

describe('parseJsonBody', () => {
  const answer = (text: string) => ({ statusCode: 200, headers: {}, body: Buffer.from(text) });

  it('names the operation it was told, else "the operation"', () => {
    expect(() => parseJsonBody(answer('x'))).toThrow(
      'the operation answered something other than a JSON object',
    );
  });

  it('reads an object, and an empty answer as an empty object', () => {
    expect(parseJsonBody(answer('{"a":1}'))).toEqual({ a: 1 });
    expect(parseJsonBody(answer(''))).toEqual({});
  });

  it.each(['null', '[1]', '"text"', '<html>page</html>', '{"cut'])(
    'refuses %j as a SerializationException that quotes none of it',
    (text) => {
      const err = (() => {
        try {
          parseJsonBody(answer(text), 'GetThing');
        } catch (e) {
          return e as Error & { $metadata: { httpStatusCode: number } };
        }
        throw new Error('expected a rejection');
      })();
      expect([err.name, err.message, err.$metadata.httpStatusCode]).toEqual([
        'SerializationException',
        'GetThing answered something other than a JSON object',
        200,
      ]);
    },
  );
});
