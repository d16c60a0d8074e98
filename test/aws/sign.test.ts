import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { encodeRfc3986 } from '../../src/aws/index.js';
import { canonicalQuery, sign } from '../../src/aws/sign.js';

/**
 * The SigV4 signature compared byte for byte with AWS's own signer (`@smithy/signature-v4`, what the
 * AWS SDK signs with), for the parts a server's acceptance does not prove: the query's order (by
 * name, then value) and every reserved character of a query value.
 */

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session token/with+odd=chars',
};
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

async function smithyAuthorization(
  service: string,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string>,
): Promise<string> {
  const signer = new SignatureV4({
    credentials,
    region: 'eu-west-1',
    service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: service !== 's3',
    applyChecksum: service === 's3',
  });
  const request = new HttpRequest({ method: 'GET', hostname: 'example.amazonaws.com', path, query, headers });
  const signed = await signer.sign(request, { signingDate: new Date(NOW) });
  return String(signed.headers.authorization);
}

async function ours(service: string, path: string, query: Record<string, string>): Promise<string> {
  const encoded = Object.entries(query)
    .map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(v)}`)
    .join('&');
  const signed = await sign(
    {
      protocol: 'https:',
      hostname: 'example.amazonaws.com',
      method: 'GET',
      path: `${path}?${encoded}`,
      headers: {},
    },
    { service, region: 'eu-west-1', credentials, now: NOW },
  );
  return signed.headers.authorization ?? '';
}

/** The headers our signer adds, for the SDK's signer to sign the same set. */
async function ourHeaders(service: string): Promise<Record<string, string>> {
  const signed = await sign(
    { protocol: 'https:', hostname: 'example.amazonaws.com', method: 'GET', path: '/', headers: {} },
    { service, region: 'eu-west-1', credentials, now: NOW },
  );
  const { authorization: _, ...rest } = signed.headers;
  return rest;
}

describe('the canonical query, against AWS signer', () => {
  it('sorts by name, then value: a before a-b, a.b, a0, a_b and A', () => {
    expect(canonicalQuery('a-b=1&a0=2&a=3&a.b=4&A=5&a_b=6&a~=7')).toBe('A=5&a=3&a-b=1&a.b=4&a0=2&a_b=6&a~=7');
    expect(canonicalQuery('b=2&b=1&a')).toBe('a=&b=1&b=2');
  });

  it('signs a path with reserved characters as each service does (S3 as sent, the others encoded again)', async () => {
    const path = `/${encodeRfc3986('a b')}/${encodeRfc3986("c!'()*")}`;
    for (const service of ['s3', 'appconfig']) {
      const headers = await ourHeaders(service);
      expect(await ours(service, path, { x: '1' })).toBe(
        await smithyAuthorization(service, path, { x: '1' }, headers),
      );
    }
  });

  it.each([
    ['names that sort differently as whole pairs', { a: '1', 'a-b': '2', 'a.b': '3', a0: '4', a_b: '5' }],
    ['a name and a longer one with a smaller value', { ab: '0', a: 'z' }],
    ['every reserved character in a value', { versionId: 'v!#$&\'()*+,/:;=?@[]% ~"<>^`{|}\\é€' }],
  ])('signs %s as AWS does', async (_what, query) => {
    for (const service of ['s3', 'ssm']) {
      const headers = await ourHeaders(service);
      expect(await ours(service, '/a/b', query)).toBe(
        await smithyAuthorization(service, '/a/b', query, headers),
      );
    }
  });
});

describe('headers and body, against AWS signer', () => {
  it('signs header names in lower case and values trimmed, inner runs of spaces made one, and a body', async () => {
    const body = JSON.stringify({ Path: '/a b/', Recursive: true });
    const signed = await sign(
      {
        protocol: 'https:',
        hostname: 'ssm.eu-west-1.amazonaws.com',
        port: 8443,
        method: 'POST',
        path: '/',
        headers: { 'X-Amz-Target': 'AmazonSSM.GetParametersByPath', 'X-Odd': '  a   b\t c  ' },
        body,
      },
      { service: 'ssm', region: 'eu-west-1', credentials, now: NOW },
    );
    expect(signed.headers.host).toBe('ssm.eu-west-1.amazonaws.com:8443');
    expect(signed.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    const { authorization, ...headers } = signed.headers;
    const signer = new SignatureV4({
      credentials,
      region: 'eu-west-1',
      service: 'ssm',
      sha256: Hash.bind(null, 'sha256'),
      applyChecksum: false,
    });
    const expected = await signer.sign(
      new HttpRequest({
        method: 'POST',
        hostname: 'ssm.eu-west-1.amazonaws.com',
        port: 8443,
        path: '/',
        headers,
        body,
      }),
      { signingDate: new Date(NOW) },
    );
    expect(authorization).toBe(expected.headers.authorization);
    expect(authorization).toContain(
      'SignedHeaders=content-length;host;x-amz-date;x-amz-security-token;x-amz-target;x-odd,',
    );
  });

  it('sends no session token header without a session token, and S3 its payload hash', async () => {
    const { sessionToken: _, ...keys } = credentials;
    const signed = await sign(
      {
        protocol: 'https:',
        hostname: 'b.s3.eu-west-1.amazonaws.com',
        method: 'GET',
        path: '/k',
        headers: {},
      },
      { service: 's3', region: 'eu-west-1', credentials: keys, now: NOW },
    );
    expect(signed.headers['x-amz-security-token']).toBeUndefined();
    expect(signed.headers['x-amz-content-sha256']).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(signed.headers['x-amz-date']).toBe('20260102T030405Z');
    expect(signed.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260102\/eu-west-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });
});
