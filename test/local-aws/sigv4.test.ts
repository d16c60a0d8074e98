/**
 * The local server's SigV4 verification (node:crypto, written apart from strataconf's signer)
 * agrees with AWS's own signer, @smithy/signature-v4: every request it signs, whatever its path,
 * query, headers, body, region, service and session token, is accepted; the same request with
 * anything signed changed, or signed with another secret, is refused with the reason AWS gives.
 */
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ReceivedRequest, uriEscape, verifySigV4 } from '../../src/local-aws/sigv4.js';

interface Case {
  method: string;
  segments: string[];
  query: [string, string][];
  headers: Record<string, string>;
  body: string;
  region: string;
  service: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

const NOW = Date.UTC(2026, 0, 15, 12, 30, 0);

/** Signs `c` with AWS's signer and returns the request as a Node server receives it. */
async function signedByAws(c: Case): Promise<ReceivedRequest> {
  const path = `/${c.segments.map(uriEscape).join('/')}`;
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of c.query) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const request = new HttpRequest({
    method: c.method,
    hostname: '127.0.0.1',
    port: 4566,
    path,
    query,
    headers: { host: '127.0.0.1:4566', ...c.headers },
    body: c.body === '' ? undefined : c.body,
  });
  const s3 = c.service === 's3';
  const signer = new SignatureV4({
    credentials: c.credentials,
    region: c.region,
    service: c.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: !s3,
    applyChecksum: s3,
  });
  const signed = await signer.sign(request, { signingDate: new Date(NOW) });
  const search = c.query.map(([k, v]) => `${uriEscape(k)}=${uriEscape(v)}`).join('&');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = String(value);
  return { method: c.method, url: search ? `${path}?${search}` : path, headers, body: Buffer.from(c.body) };
}

const text = (max: number) => fc.string({ unit: 'grapheme', maxLength: max });
const ascii = fc.string({ unit: fc.constantFrom(..."abcXYZ019 -_.~!*'()/+=&?%".split('')), maxLength: 20 });
const cases: fc.Arbitrary<Case> = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST'),
  segments: fc.array(fc.oneof(text(12), fc.constantFrom('.', '..', '', 'a b', 'ü€', "o'k")), {
    maxLength: 4,
  }),
  query: fc.array(fc.tuple(fc.oneof(text(6), fc.constantFrom('x-id', 'versionId')), text(10)), {
    maxLength: 3,
  }),
  headers: fc.dictionary(
    fc.constantFrom('content-type', 'x-amz-target', 'if-none-match', 'x-custom'),
    ascii,
    {
      maxKeys: 3,
    },
  ),
  body: fc.oneof(fc.constant(''), text(40)),
  region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2'),
  service: fc.constantFrom('s3', 'ssm', 'secretsmanager', 'appconfig'),
  credentials: fc.record(
    {
      accessKeyId: fc.constantFrom('AKIDEXAMPLE', 'AKIDLOCALAWS'),
      secretAccessKey: text(40),
      sessionToken: text(30),
    },
    { requiredKeys: ['accessKeyId', 'secretAccessKey'] },
  ),
});

const verify = (req: ReceivedRequest, credentials: Case['credentials'], now = NOW) =>
  verifySigV4(req, { credentials, now });

describe('verifySigV4 against @smithy/signature-v4', () => {
  it('accepts every request AWS signs', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const verdict = verify(await signedByAws(c), c.credentials);
        expect(verdict).toEqual({
          ok: true,
          accessKeyId: c.credentials.accessKeyId,
          region: c.region,
          service: c.service,
        });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses it signed with another secret, quoting what it signed', async () => {
    await fc.assert(
      fc.asyncProperty(cases, text(10), async (c, other) => {
        fc.pre(other !== c.credentials.secretAccessKey);
        const verdict = verify(await signedByAws(c), { ...c.credentials, secretAccessKey: other });
        expect(verdict).toMatchObject({ ok: false, problem: 'mismatch' });
        expect(verdict.ok === false && verdict.canonicalRequest?.startsWith(`${c.method}\n`)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses it when a signed header, the path, the query or the body changed on the way', async () => {
    const c: Case = {
      method: 'POST',
      segments: ['a b', 'c'],
      query: [['k', 'v']],
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: '{"Path":"/a"}',
      region: 'eu-west-1',
      service: 'ssm',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
    };
    const req = await signedByAws(c);
    const changed: ReceivedRequest[] = [
      { ...req, headers: { ...req.headers, 'content-type': 'text/plain' } },
      { ...req, url: req.url.replace('/c', '/d') },
      { ...req, url: req.url.replace('k=v', 'k=w') },
      { ...req, body: Buffer.from('{"Path":"/b"}') },
    ];
    expect(verify(req, c.credentials)).toMatchObject({ ok: true });
    for (const r of changed)
      expect(verify(r, c.credentials)).toMatchObject({ ok: false, problem: 'mismatch' });
  });

  it('names each other reason a request is refused', async () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };
    const c: Case = {
      method: 'GET',
      segments: ['b', 'k'],
      query: [],
      headers: {},
      body: '',
      region: 'us-east-1',
      service: 's3',
      credentials,
    };
    const req = await signedByAws(c);
    const without = (name: string) =>
      Object.fromEntries(Object.entries(req.headers).filter(([n]) => n !== name));
    expect(verify({ ...req, headers: without('authorization') }, credentials)).toMatchObject({
      problem: 'missing',
    });
    expect(verify(req, { ...credentials, accessKeyId: 'AKIDOTHER' })).toMatchObject({
      problem: 'unknown-key',
    });
    expect(verify(req, { ...credentials, sessionToken: 'other' })).toMatchObject({ problem: 'bad-token' });
    expect(verify(req, credentials, NOW + 16 * 60_000)).toMatchObject({ problem: 'skewed' });
    expect(verify({ ...req, body: Buffer.from('x') }, credentials)).toMatchObject({
      problem: 'payload-mismatch',
    });
    expect(verify({ ...req, headers: without('x-amz-content-sha256') }, credentials)).toMatchObject({
      problem: 'payload-missing',
    });
    expect(
      verify({ ...req, headers: { ...req.headers, authorization: 'Basic x' } }, credentials),
    ).toMatchObject({
      problem: 'malformed',
    });
  });
});
