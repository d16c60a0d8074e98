/**
 * SigV4 verification by AWS's own signer (`@smithy/signature-v4`, what the AWS SDK signs with), for
 * test servers: s3rver checks no signature, and a hand-written SSM or Secrets Manager endpoint would
 * not either. `verifySigV4` recomputes a received request's signature from known credentials and
 * says what AWS would answer; `startSigV4Proxy` (./sigv4-proxy.ts) puts it in front of a server.
 *
 * @example
 * ```ts
 * // in a test endpoint of your own (SSM, Secrets Manager, AppConfigData):
 * const body = await readBody(req);
 * const verdict = await verifySigV4({ method: req.method, url: req.url, headers: req.headers, body },
 *   { credentials: [{ accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' }] });
 * if (!verdict.ok) return sendAwsError(res, 'json', verdict);   // 403 SignatureDoesNotMatch, ...
 * verdict.service; verdict.region;                                // from the credential scope
 * ```
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** Credentials the server knows; a request must be signed with one of them. */
export interface KnownCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, the request must carry it in `x-amz-security-token`, signed. */
  sessionToken?: string;
}

/** A request as a Node server received it. */
export interface ReceivedRequest {
  method: string | undefined;
  /** Path and query as received (`req.url`). */
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body?: Buffer;
}

export interface VerifyOptions {
  credentials: KnownCredentials[];
  /** The server's clock, in ms. @default Date.now() */
  now?: number;
  /** Largest difference between `X-Amz-Date` and the server's clock. @default 15 minutes, as AWS */
  maxSkewMs?: number;
}

/** A request that passed, and its credential scope. */
export interface Verified {
  ok: true;
  accessKeyId: string;
  region: string;
  service: string;
}

/** What AWS answers a request that did not pass. */
export interface Rejected {
  ok: false;
  status: number;
  code: string;
  message: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

function reject(status: number, code: string, message: string): Rejected {
  return { ok: false, status, code, message };
}

function one(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `20260101T000000Z` -> ms. */
function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return Number.NaN;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The query as decoded pairs (`+` stays `+`: SigV4 encodes with %20 for spaces). */
function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const pair of search.split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
    const prev = query[key];
    query[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return query;
}

/** The signature the request should carry, computed by the AWS SDK's signer. */
async function expectedSignature(
  req: ReceivedRequest,
  known: KnownCredentials,
  scope: { region: string; service: string; date: number; signed: string[] },
): Promise<string> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const headers: Record<string, string> = {};
  for (const name of scope.signed) headers[name] = one(req.headers, name) ?? '';
  const isS3 = scope.service === 's3';
  const request = new HttpRequest({
    method: req.method ?? 'GET',
    hostname: (one(req.headers, 'host') ?? '').split(':')[0] ?? '',
    // The path as sent: S3 signs it so, the other services normalise it and encode it again (uriEscapePath).
    path: rawPath,
    query: parseQuery(q < 0 ? '' : url.slice(q + 1)),
    headers,
    body: req.body && req.body.length > 0 ? req.body : undefined,
  });
  const signer = new SignatureV4({
    credentials: known,
    region: scope.region,
    service: scope.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: !isS3,
    applyChecksum: isS3,
  });
  const signed = await signer.sign(request, {
    signingDate: new Date(scope.date),
    signableHeaders: new Set(scope.signed),
  });
  const auth = String(signed.headers.authorization ?? '');
  return /Signature=([0-9a-f]{64})/.exec(auth)?.[1] ?? '';
}

/** Checks the payload hash an S3 request declares against the body it sent. */
function payloadMatches(req: ReceivedRequest): boolean {
  const declared = one(req.headers, 'x-amz-content-sha256');
  if (declared === undefined || declared === 'UNSIGNED-PAYLOAD') return true;
  return (
    declared ===
    createHash('sha256')
      .update(req.body ?? Buffer.alloc(0))
      .digest('hex')
  );
}

/** Recomputes the request's SigV4 signature and says whether AWS would accept it. */
export async function verifySigV4(req: ReceivedRequest, opts: VerifyOptions): Promise<Verified | Rejected> {
  const auth = AUTH.exec(one(req.headers, 'authorization') ?? '');
  if (!auth) return reject(403, 'MissingAuthenticationToken', 'Missing or malformed Authorization header');
  const [, accessKeyId = '', day, region = '', service = '', signedList = '', signature] = auth;
  const known = opts.credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!known)
    return reject(
      403,
      'InvalidAccessKeyId',
      'The AWS access key Id you provided does not exist in our records.',
    );
  const date = parseAmzDate(one(req.headers, 'x-amz-date') ?? '');
  if (Number.isNaN(date) || !day || !one(req.headers, 'x-amz-date')?.startsWith(day)) {
    return reject(
      403,
      'SignatureDoesNotMatch',
      'X-Amz-Date is missing or does not match the credential scope',
    );
  }
  const now = opts.now ?? Date.now();
  if (Math.abs(now - date) > (opts.maxSkewMs ?? 15 * 60_000)) {
    return reject(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    );
  }
  const signed = signedList.split(';');
  if (known.sessionToken !== undefined) {
    const token = one(req.headers, 'x-amz-security-token');
    if (token !== known.sessionToken || !signed.includes('x-amz-security-token')) {
      return reject(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
    }
  }
  if (!signed.includes('host')) return reject(403, 'SignatureDoesNotMatch', 'The Host header is not signed');
  if (service === 's3' && !payloadMatches(req)) {
    return reject(
      400,
      'XAmzContentSHA256Mismatch',
      'The provided x-amz-content-sha256 header does not match what was computed.',
    );
  }
  const expected = await expectedSignature(req, known, { region, service, date, signed });
  if (expected !== signature) {
    return reject(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
  return { ok: true, accessKeyId, region, service };
}

/** Writes `rejected` as AWS would: S3's XML error document, or a JSON 1.1 / REST-JSON error. */
export function sendAwsError(
  res: ServerResponse,
  protocol: 'rest-xml' | 'json' | 'rest-json',
  rejected: Pick<Rejected, 'status' | 'code' | 'message'>,
  serverNow: number = Date.now(),
): void {
  res.setHeader('Date', new Date(serverNow).toUTCString());
  if (protocol === 'rest-xml') {
    res.writeHead(rejected.status, { 'Content-Type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${rejected.code}</Code><Message>${rejected.message}</Message><RequestId>verify</RequestId></Error>`,
    );
    return;
  }
  res.writeHead(rejected.status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'x-amzn-ErrorType': rejected.code,
  });
  res.end(JSON.stringify({ __type: rejected.code, message: rejected.message }));
}
