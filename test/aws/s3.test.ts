import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AwsError, resetBucketRegions, resetClockOffset, s3GetObject } from '../../src/aws/index.js';
import { putObject, s3Server, seedObjects } from '../setup/s3.js';
import { type SigV4Proxy, startSigV4Proxy } from '../setup/sigv4-proxy.js';
import { json, startFakeAws } from './fake-aws.js';

// s3rver knows only the key id S3RVER and checks no signature: the proxy checks it with AWS's signer.
const credentials = {
  accessKeyId: 'S3RVER',
  secretAccessKey: 'sécret key+/with spaces',
  sessionToken: 'FwoG+token/==',
};
const BUCKET = 'transport-light';
const KEYS = ['plain.json', 'dir/with space.json', 'ünïcode/€.json5', 'a+b=c&d.json', "odd!'()*~.json"];

let proxy: SigV4Proxy;

beforeAll(async () => {
  await seedObjects(BUCKET, Object.fromEntries(KEYS.map((key) => [key, JSON.stringify({ key })])));
  proxy = await startSigV4Proxy({ target: s3Server().endpoint, credentials });
});
afterAll(() => proxy.close());

beforeEach(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', credentials.sessionToken);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ENDPOINT_URL_S3', proxy.endpoint);
  proxy.clockOffsetMs = 0;
  proxy.verdicts.length = 0;
  resetClockOffset();
  resetBucketRegions();
});

const signal = () => new AbortController().signal;

async function text(body: Buffer | IncomingMessage): Promise<string> {
  if (Buffer.isBuffer(body)) return body.toString();
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

async function rejection(work: Promise<unknown>): Promise<AwsError> {
  try {
    await work;
  } catch (err) {
    return err as AwsError;
  }
  throw new Error('expected a rejection');
}

describe('s3GetObject (signatures checked as S3 checks them)', () => {
  it.each(KEYS)('gets %s with a session token and a secret with spaces, unicode and +', async (key) => {
    const res = await s3GetObject({ bucket: BUCKET, key }, { signal: signal() });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(await text(res.body))).toEqual({ key });
    expect(proxy.verdicts).toEqual([
      expect.objectContaining({ ok: true, service: 's3', region: 'us-east-1' }),
    ]);
  });

  it('signs a query string (versionId)', async () => {
    // s3rver ignores versionId; what matters here is that the signed query got past the verifier.
    const res = await s3GetObject(
      { bucket: BUCKET, key: 'plain.json', versionId: 'v1+/=x' },
      { signal: signal() },
    );
    await text(res.body);
    expect(proxy.verdicts).toEqual([expect.objectContaining({ ok: true })]);
  });

  it('answers 304 to If-None-Match with the current ETag, and 200 to an old one', async () => {
    const etag = await putObject(BUCKET, 'etag.json', '{"v":1}');
    const same = await s3GetObject(
      { bucket: BUCKET, key: 'etag.json', ifNoneMatch: etag },
      { signal: signal() },
    );
    expect(same.statusCode).toBe(304);
    const changed = await s3GetObject(
      { bucket: BUCKET, key: 'etag.json', ifNoneMatch: '"old"' },
      { signal: signal() },
    );
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).toBe(etag);
    await text(changed.body);
  });

  it('rejects a missing key with an SDK-shaped NoSuchKey error', async () => {
    const err = await rejection(s3GetObject({ bucket: BUCKET, key: 'missing.json' }, { signal: signal() }));
    expect(err.name).toBe('NoSuchKey');
    expect(err.$metadata).toMatchObject({ httpStatusCode: 404, attempts: 1 });
  });

  it('fails with SignatureDoesNotMatch when the secret is wrong (the verifier can fail)', async () => {
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wrong');
    const err = await rejection(s3GetObject({ bucket: BUCKET, key: 'plain.json' }, { signal: signal() }));
    expect(err.name).toBe('SignatureDoesNotMatch');
    expect(err.$metadata.httpStatusCode).toBe(403);
  });

  it('fails with InvalidToken when the session token is missing', async () => {
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    const err = await rejection(s3GetObject({ bucket: BUCKET, key: 'plain.json' }, { signal: signal() }));
    expect(err.name).toBe('InvalidToken');
  });
});

describe('s3GetObject addressing, clock and redirects', () => {
  const fakeEnv = (endpoint: string) => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    vi.stubEnv('AWS_SESSION_TOKEN', 'session token/with+odd=chars');
    vi.stubEnv('AWS_ENDPOINT_URL_S3', endpoint);
  };

  it('learns its clock from RequestTimeTooSkewed (a retry then passes), and keeps the correction', async () => {
    const aws = await startFakeAws((_req, res) => json(res, 200, {}), 'rest-xml');
    aws.clockOffsetMs = 60 * 60_000;
    fakeEnv(aws.endpoint);
    try {
      const skewed = await rejection(
        s3GetObject({ bucket: BUCKET, key: 'plain.json' }, { signal: signal() }),
      );
      expect(skewed.name).toBe('RequestTimeTooSkewed');
      // The answer says the clock was corrected: the retry policy may send again.
      expect((skewed as { clockCorrected?: boolean }).clockCorrected).toBe(true);
      const res = await s3GetObject({ bucket: BUCKET, key: 'plain.json' }, { signal: signal() });
      expect(res.statusCode).toBe(200);
      await text(res.body);
      const again = await s3GetObject({ bucket: BUCKET, key: 'plain.json' }, { signal: signal() });
      await text(again.body);
      expect(aws.received).toHaveLength(2);
    } finally {
      await aws.close();
    }
  });

  it('uses path style on a custom endpoint, dotted bucket names included', async () => {
    const aws = await startFakeAws((req, res) => json(res, 200, { url: req.url }), 'rest-xml');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    vi.stubEnv('AWS_SESSION_TOKEN', 'session token/with+odd=chars');
    vi.stubEnv('AWS_ENDPOINT_URL_S3', `${aws.endpoint}/prefix`);
    try {
      const res = await s3GetObject({ bucket: 'my.dotted.bucket', key: 'a b/c.json' }, { signal: signal() });
      expect(JSON.parse(await text(res.body))).toEqual({ url: '/prefix/my.dotted.bucket/a%20b/c.json' });
    } finally {
      await aws.close();
    }
  });

  it('follows a region redirect (x-amz-bucket-region) once and remembers it', async () => {
    const aws = await startFakeAws((req, res) => {
      if (req.verdict.region === 'eu-central-1') return json(res, 200, { region: 'eu-central-1' });
      res.writeHead(301, { 'x-amz-bucket-region': 'eu-central-1', 'Content-Type': 'application/xml' });
      res.end('<Error><Code>PermanentRedirect</Code><Message>elsewhere</Message></Error>');
    }, 'rest-xml');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    vi.stubEnv('AWS_SESSION_TOKEN', 'session token/with+odd=chars');
    vi.stubEnv('AWS_ENDPOINT_URL_S3', aws.endpoint);
    const redirects: string[] = [];
    const onRegionRedirect = (from: string, to: string) => redirects.push(`${from} -> ${to}`);
    try {
      for (let i = 0; i < 2; i++) {
        const res = await s3GetObject(
          { bucket: 'moved', key: 'k.json' },
          { signal: signal(), onRegionRedirect },
        );
        expect(JSON.parse(await text(res.body))).toEqual({ region: 'eu-central-1' });
      }
      expect(redirects).toEqual(['us-east-1 -> eu-central-1']);
      expect(aws.received.map((r) => r.verdict.region)).toEqual([
        'us-east-1',
        'eu-central-1',
        'eu-central-1',
      ]);
    } finally {
      await aws.close();
    }
  });
});
