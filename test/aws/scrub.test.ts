import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE, scrubText } from '../../src/aws/scrub.js';

/** What an error keeps of a store's words: no quoted request, no credential field or value, 300 characters at most. */

describe('scrubText', () => {
  it.each([
    [
      'The Canonical String for this request should have been',
      'Bad signature. The Canonical String for this request should have been\nPOST',
    ],
    ['a canonical request', 'Bad signature. canonical request: GET /'],
    ['a canonical_request', 'Bad signature. canonical_request=GET'],
    ['The String-to-Sign', 'Bad signature. The String-to-Sign should have been AWS4'],
    ['a StringToSign', 'Bad signature. StringToSign AWS4'],
    ['a string to sign', 'Bad signature. string to sign: AWS4'],
    ['a CanonicalRequest', 'Bad signature. CanonicalRequest GET'],
    ['a canonical--string', 'Bad signature. canonical--string GET'],
    ['a string__to__sign', 'Bad signature. string__to__sign AWS4'],
  ])('drops everything from %s on', (_what, text) => {
    expect(scrubText(text)).toBe('Bad signature.');
  });

  it.each([
    'x-amz-security-token',
    'X-Amz-Credential',
    'x-amz-signature',
    'Authorization',
    'Credential',
    'Signature',
    'SessionToken',
    'SecretAccessKey',
    'aws_session_token',
    'AWS_SECRET_ACCESS_KEY',
  ])('removes the value of %s, after ":" or "=", quoted or not', (name) => {
    expect(scrubText(`a ${name}:abc123 b`)).toBe(`a ${name}:[redacted] b`);
    expect(scrubText(`a ${name}=abc123&b`)).toBe(`a ${name}=[redacted]&b`);
    expect(scrubText(`a "${name}": "abc123", b`)).toBe(`a "${name}": "[redacted]", b`);
  });

  it('keeps nothing of a message that starts with the quoted request', () => {
    expect(scrubText('The Canonical String for this request should have been x')).toBe('');
  });

  it.each([
    ['Signature :  abc123', 'Signature :  [redacted]'],
    ['x-amz-security-token=abc123', 'x-amz-security-token=[redacted]'],
    ["credential='abc123'", "credential='[redacted]'"],
    [
      'Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, Signature=abc',
      'Authorization: [redacted] Credential=[redacted], Signature=[redacted]',
    ],
    ['<SessionToken>abc123</SessionToken>', '<SessionToken>abc123</SessionToken>'],
    ['mysignature=abc123', 'mysignature=abc123'],
    ['AuthorizationType=Bearer SignatureVersion=4', 'AuthorizationType=Bearer SignatureVersion=4'],
    ['denied. the  Canonical String is x', 'denied.'],
  ])('reads %j as %j', (text, scrubbed) => {
    expect(scrubText(text)).toBe(scrubbed);
  });

  it('keeps words that only name a credential', () => {
    const text = 'Check your AWS Secret Access Key and signing method.';
    expect(scrubText(text)).toBe(text);
  });

  it('removes the credential values it is given, wherever they are, but not values too short to be one', () => {
    expect(scrubText('token FwoGZXIvYXdzE and key wJalrXUt', ['FwoGZXIvYXdzE', 'wJalrXUt'])).toBe(
      'token [redacted] and key [redacted]',
    );
    expect(scrubText('a short abcdefg', ['abcdefg', undefined])).toBe('a short abcdefg');
  });

  it(`keeps at most ${MAX_MESSAGE} characters, and says it cut`, () => {
    expect(scrubText('x'.repeat(MAX_MESSAGE))).toBe('x'.repeat(MAX_MESSAGE));
    expect(scrubText('x'.repeat(MAX_MESSAGE + 1))).toBe(`${'x'.repeat(MAX_MESSAGE)}...`);
    expect(MAX_MESSAGE).toBe(300);
  });

  it('removes a value before it cuts, so no part of one is left at the cut', () => {
    const secret = 'S'.repeat(40);
    const text = `${'x'.repeat(MAX_MESSAGE - 10)}${secret}`;
    expect(scrubText(text, [secret])).toBe(`${'x'.repeat(MAX_MESSAGE - 10)}[redacted]`);
  });

  it('trims what is left', () => {
    expect(scrubText('  denied \n\nThe Canonical String ...')).toBe('denied');
  });
});
