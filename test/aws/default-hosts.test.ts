import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { redirectConnections } from '../../src/aws/http.js';
import {
  type AwsError,
  awsJson11,
  resetBucketRegions,
  resetClockOffset,
  s3GetObject,
} from '../../src/aws/index.js';
import { CREDENTIALS, type FakeAws, json, type Received, startFakeAws } from './fake-aws.js';
import { sdkRequest } from './sdk-requests.js';

/**
 * The default AWS host names (no `AWS_ENDPOINT_URL_*`): virtual-hosted S3 buckets, FIPS and
 * dual-stack hosts, region redirects and clock skew, exercised against a local server. The
 * transport's test seam (`redirectConnections`, src/aws/http.ts) connects every request to
 * 127.0.0.1 while it keeps its own Host header, path and signature, which the server checks with
 * AWS's own signer: no DNS, no TLS, no root.
 */

let aws: FakeAws;
let respond: (req: Received, res: ServerResponse) => void;

beforeAll(async () => {
  aws = await startFakeAws((req, res) => respond(req, res), 'rest-xml');
  const port = Number(new URL(aws.endpoint).port);
  redirectConnections(() => ({ protocol: 'http:', hostname: '127.0.0.1', port }));
});
afterAll(async () => {
  redirectConnections(undefined);
  await aws.close();
});
beforeEach(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', CREDENTIALS.sessionToken ?? '');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ENDPOINT_URL', '');
  vi.stubEnv('AWS_ENDPOINT_URL_S3', '');
  vi.stubEnv('AWS_ENDPOINT_URL_SSM', '');
  vi.stubEnv('AWS_USE_FIPS_ENDPOINT', '');
  vi.stubEnv('AWS_USE_DUALSTACK_ENDPOINT', '');
  aws.received.length = 0;
  aws.clockOffsetMs = 0;
  respond = (_req, res) => json(res, 200, {});
});
afterEach(() => {
  resetBucketRegions();
  resetClockOffset();
});

const signal = () => new AbortController().signal;

async function drain(body: Buffer | IncomingMessage): Promise<void> {
  if (!Buffer.isBuffer(body)) for await (const _ of body);
}

async function get(bucket: string, key: string, more: { versionId?: string } = {}) {
  const res = await s3GetObject({ bucket, key, ...more }, { signal: signal() });
  await drain(res.body);
  return res;
}

async function rejection(work: Promise<unknown>): Promise<AwsError> {
  try {
    await work;
  } catch (err) {
    return err as AwsError;
  }
  throw new Error('expected a rejection');
}

/** Where the transport sent its last request: the Host header and the path with its query. */
function lastSent(): { host: string; url: string } {
  const last = aws.received.at(-1);
  return { host: String(last?.headers.host), url: String(last?.url) };
}

/** The SDK's request as host and URL (its query built the way SigV4 encodes it). */
async function sdkSent(bucket: string, key: string, versionId?: string) {
  const req = await sdkRequest('s3', { region: 'us-east-1' }, { bucket, key, versionId });
  if (req instanceof Error) throw req;
  // The SDK adds `x-id=GetObject` for its own logs; S3 ignores it.
  const query = Object.entries(req.query)
    .filter(([name]) => name !== 'x-id')
    .map(
      ([k, v]) =>
        `${k}=${encodeURIComponent(String(v)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    )
    .join('&');
  return { host: req.hostname, url: query === '' ? req.path : `${req.path}?${query}` };
}

// Every character S3 keys may hold that a URL treats specially, and some that are not ASCII.
const RESERVED_KEYS = [
  "a+b&c=d?e#f!g'h(i)j*k.json",
  'sp ace/tab\tand~tilde.json',
  'colon:semi;comma,at@dollar$.json',
  'brackets[]braces{}pipe|caret^back`tick.json',
  'quote"less<greater>percent%25back\\slash.json',
  'ünïcödé/€/日本.json5',
  'double//slash/.dot/../dots.json',
];

describe('virtual-hosted S3 requests, compared with the AWS SDK', () => {
  it.each(RESERVED_KEYS)('sends %j to the bucket host with the SDK path, signed', async (key) => {
    await get('my-bucket', key);
    expect(aws.received.at(-1)?.verdict).toMatchObject({ ok: true, region: 'us-east-1', service: 's3' });
    expect(lastSent()).toEqual(await sdkSent('my-bucket', key));
    expect(lastSent().host).toBe('my-bucket.s3.us-east-1.amazonaws.com');
  });

  it('sends a versionId with reserved characters in the query the SDK sends', async () => {
    const versionId = "v1!'()*+/=~ x";
    await get('my-bucket', 'k.json', { versionId });
    expect(lastSent()).toEqual(await sdkSent('my-bucket', 'k.json', versionId));
  });

  it('addresses a bucket with dots path-style on the regional host, as the SDK does', async () => {
    await get('my.dotted.bucket', 'k.json');
    expect(lastSent()).toEqual({ host: 's3.us-east-1.amazonaws.com', url: '/my.dotted.bucket/k.json' });
    expect(lastSent()).toEqual(await sdkSent('my.dotted.bucket', 'k.json'));
  });

  it.each(['config.example', 'MyBucket', 'my_bucket', 'ab', `a${'b'.repeat(62)}c`])(
    'addresses %s path-style, as no TLS host label can be it',
    async (bucket) => {
      await get(bucket, 'k.json');
      expect(lastSent()).toEqual({ host: 's3.us-east-1.amazonaws.com', url: `/${bucket}/k.json` });
    },
  );

  it('hands the object over as a stream, however large (the layer bounds it)', async () => {
    respond = (_req, res) => res.end(Buffer.alloc(2 * 1024 * 1024, 'a'));
    const res = await s3GetObject({ bucket: 'my-bucket', key: 'big.json' }, { signal: signal() });
    expect(Buffer.isBuffer(res.body)).toBe(false);
    await drain(res.body);
  });

  it('uses the FIPS dual-stack host when the environment asks for it', async () => {
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', 'true');
    vi.stubEnv('AWS_USE_DUALSTACK_ENDPOINT', 'true');
    await get('my-bucket', 'k.json');
    expect(lastSent().host).toBe('my-bucket.s3-fips.dualstack.us-east-1.amazonaws.com');
    await awsJson11('ssm', 'AmazonSSM.GetParametersByPath', { Path: '/a' }, { signal: signal() });
    expect(lastSent().host).toBe('ssm-fips.us-east-1.api.aws');
  });
});

/** Answers 301 with `x-amz-bucket-region: to` for requests signed for any region but `to`. */
function redirectTo(
  to: string,
  then: (req: Received, res: ServerResponse) => void = (_r, res) => json(res, 200, {}),
) {
  return (req: Received, res: ServerResponse) => {
    if (req.verdict.region === to) return then(req, res);
    res.writeHead(301, { 'x-amz-bucket-region': to, 'content-type': 'application/xml' });
    res.end('<Error><Code>PermanentRedirect</Code><Message>elsewhere</Message></Error>');
  };
}

describe('S3 region redirects on the default hosts', () => {
  it("follows x-amz-bucket-region to that region's host and scope, and goes there directly next time", async () => {
    respond = redirectTo('eu-central-1');
    await get('moved-bucket', 'k.json');
    await get('moved-bucket', 'k.json');
    expect(aws.received.map((r) => [r.headers.host, r.verdict.region])).toEqual([
      ['moved-bucket.s3.us-east-1.amazonaws.com', 'us-east-1'],
      ['moved-bucket.s3.eu-central-1.amazonaws.com', 'eu-central-1'],
      ['moved-bucket.s3.eu-central-1.amazonaws.com', 'eu-central-1'],
    ]);
  });

  it('follows one redirect, never a chain: a second redirect fails the request', async () => {
    let hop = 0;
    const regions = ['eu-central-1', 'ap-south-1', 'us-west-2', 'eu-west-3'];
    respond = (_req, res) => {
      res.writeHead(301, { 'x-amz-bucket-region': regions[hop++ % regions.length] ?? '' });
      res.end('<Error><Code>PermanentRedirect</Code><Message>elsewhere</Message></Error>');
    };
    const err = await rejection(get('roaming-bucket', 'k.json'));
    expect(err.name).toBe('PermanentRedirect');
    expect(aws.received.map((r) => r.headers.host)).toEqual([
      'roaming-bucket.s3.us-east-1.amazonaws.com',
      'roaming-bucket.s3.eu-central-1.amazonaws.com',
    ]);
  });

  it.each(['us-gov-west-1', 'eusc-de-east-1', 'me-central-12'])('follows a redirect to %s', async (to) => {
    respond = redirectTo(to);
    await get('far-bucket', 'k.json');
    expect(aws.received.map((r) => r.verdict.region)).toEqual(['us-east-1', to]);
  });

  it('follows a 400 that names the region (newer regions answer so), never a 403 that does', async () => {
    respond = (req, res) => {
      if (req.verdict.region === 'ap-east-2') return json(res, 200, {});
      res.writeHead(req.url.includes('denied') ? 403 : 400, { 'x-amz-bucket-region': 'ap-east-2' });
      res.end('<Error><Code>AuthorizationHeaderMalformed</Code><Message>wrong region</Message></Error>');
    };
    await get('new-bucket', 'k.json');
    expect(aws.received.map((r) => r.verdict.region)).toEqual(['us-east-1', 'ap-east-2']);
    const err = await rejection(get('other-bucket', 'denied.json'));
    expect(err.name).toBe('AuthorizationHeaderMalformed');
    expect(aws.received).toHaveLength(3);
  });

  it('does not follow a redirect to the region it asked', async () => {
    respond = (_req, res) => {
      res.writeHead(301, { 'x-amz-bucket-region': 'us-east-1' });
      res.end('<Error><Code>PermanentRedirect</Code><Message>here</Message></Error>');
    };
    expect((await rejection(get('same-bucket', 'k.json'))).name).toBe('PermanentRedirect');
    expect(aws.received).toHaveLength(1);
  });

  it('remembers a region per bucket and endpoint, and forgets it on reset', async () => {
    respond = redirectTo('eu-central-1');
    await get('moved-bucket', 'k.json');
    // Another bucket is asked in its own region first.
    respond = (_req, res) => json(res, 200, {});
    await get('other-bucket', 'k.json');
    expect(aws.received.at(-1)?.verdict.region).toBe('us-east-1');
    resetBucketRegions();
    await get('moved-bucket', 'k.json');
    expect(aws.received.at(-1)?.verdict.region).toBe('us-east-1');
  });

  it('keeps a network error as it is (no redirect to look for)', async () => {
    redirectConnections(() => ({ protocol: 'http:', hostname: '127.0.0.1', port: 1 }));
    try {
      expect(((await rejection(get('my-bucket', 'k.json'))) as { code?: string }).code).toBe('ECONNREFUSED');
    } finally {
      const port = Number(new URL(aws.endpoint).port);
      redirectConnections(() => ({ protocol: 'http:', hostname: '127.0.0.1', port }));
    }
  });

  it('keeps a learnt region per endpoint: another endpoint is asked in the region given', async () => {
    const first = await startFakeAws(redirectTo('eu-central-1'), 'rest-xml');
    const other = await startFakeAws((_req, res) => json(res, 200, {}), 'rest-xml');
    redirectConnections(undefined);
    try {
      vi.stubEnv('AWS_ENDPOINT_URL_S3', first.endpoint);
      await get('moved-bucket', 'k.json');
      expect(first.received.map((r) => r.verdict.region)).toEqual(['us-east-1', 'eu-central-1']);
      vi.stubEnv('AWS_ENDPOINT_URL_S3', other.endpoint);
      await get('moved-bucket', 'k.json');
      expect(other.received.map((r) => r.verdict.region)).toEqual(['us-east-1']);
    } finally {
      await first.close();
      await other.close();
      vi.stubEnv('AWS_ENDPOINT_URL_S3', '');
      const port = Number(new URL(aws.endpoint).port);
      redirectConnections(() => ({ protocol: 'http:', hostname: '127.0.0.1', port }));
    }
  });

  it.each(['evil.example.com/x', 'us-east-1.attacker', 'x/../us-east-1', 'EU-WEST-1', '../../', 'us east 1'])(
    'does not follow a redirect to %j, which is no region name',
    async (to) => {
      respond = (_req, res) => {
        res.writeHead(301, { 'x-amz-bucket-region': to });
        res.end('<Error><Code>PermanentRedirect</Code><Message>elsewhere</Message></Error>');
      };
      const err = await rejection(get('odd-bucket', 'k.json'));
      expect(err.name).toBe('PermanentRedirect');
      expect(aws.received).toHaveLength(1);
    },
  );
});

describe('clock skew on the default hosts', () => {
  it('learns the clock again when it changes again', async () => {
    aws.clockOffsetMs = 60 * 60_000;
    const ahead = await rejection(get('my-bucket', 'k.json'));
    expect([ahead.name, ahead.clockCorrected]).toEqual(['RequestTimeTooSkewed', true]);
    await get('my-bucket', 'k.json');
    // The server's clock moves: now two hours behind the corrected one.
    aws.clockOffsetMs = -60 * 60_000;
    const behind = await rejection(get('my-bucket', 'k.json'));
    expect([behind.name, behind.clockCorrected]).toEqual(['RequestTimeTooSkewed', true]);
    await get('my-bucket', 'k.json');
    expect(aws.received).toHaveLength(2);
  });

  it('keeps what it learnt per endpoint, and forgets it on reset', async () => {
    aws.clockOffsetMs = 60 * 60_000;
    await rejection(get('my-bucket', 'k.json'));
    // Another endpoint (another port) has the right time: it is sent the local clock's time.
    const other = await startFakeAws((_req, res) => json(res, 200, {}), 'rest-xml');
    try {
      vi.stubEnv('AWS_ENDPOINT_URL_S3', other.endpoint);
      redirectConnections(undefined);
      await get('my-bucket', 'k.json');
      expect(other.received).toHaveLength(1);
    } finally {
      await other.close();
      vi.stubEnv('AWS_ENDPOINT_URL_S3', '');
      const port = Number(new URL(aws.endpoint).port);
      redirectConnections(() => ({ protocol: 'http:', hostname: '127.0.0.1', port }));
    }
    await get('my-bucket', 'k.json');
    resetClockOffset();
    expect((await rejection(get('my-bucket', 'k.json'))).name).toBe('RequestTimeTooSkewed');
  });

  it('does not claim a correction when the answer teaches nothing new', async () => {
    aws.clockOffsetMs = 60 * 60_000;
    await rejection(get('my-bucket', 'k.json'));
    respond = (_req, res) => {
      res.writeHead(403, {
        'content-type': 'application/xml',
        date: new Date(Date.now() + 60 * 60_000).toUTCString(),
      });
      res.end('<Error><Code>RequestTimeTooSkewed</Code><Message>skewed</Message></Error>');
    };
    const again = await rejection(get('my-bucket', 'k.json'));
    expect([again.name, again.clockCorrected]).toEqual(['RequestTimeTooSkewed', undefined]);
  });
});
