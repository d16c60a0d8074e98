import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { LocalAwsCredentials } from './types.js';

/**
 * SigV4 verification over node:crypto: the server recomputes a request's signature from the
 * secret it knows and says what went wrong when it differs. Written apart from strataconf's own
 * signer on purpose (a bug shared by the two would pass unseen); the tests check it against AWS's
 * signer, `@smithy/signature-v4`.
 */

/** A request as the server received it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query as sent (`req.url`). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Why a request was refused; each protocol words it as its service does (see errors.ts). */
export type AuthProblem =
  | 'missing'
  | 'malformed'
  | 'unknown-key'
  | 'bad-token'
  | 'skewed'
  | 'mismatch'
  | 'payload-mismatch'
  | 'payload-missing';

/** A request signed with known credentials. */
export interface Verified {
  ok: true;
  accessKeyId: string;
  region: string;
  /** The service of the credential scope (`s3`, `ssm`, `secretsmanager`, `appconfig`). */
  service: string;
}

/** A request AWS would refuse. For a wrong signature, what the server signed (as S3 and the JSON services quote it). */
export interface Rejected {
  ok: false;
  problem: AuthProblem;
  detail?: string;
  accessKeyId?: string;
  canonicalRequest?: string;
  stringToSign?: string;
  signatureProvided?: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 escaping, as SigV4 wants it (`!'()*` too). */
export function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** S3 signs the path as sent; the other services sign it normalised and escaped once more. */
function canonicalUri(path: string, service: string): string {
  if (service === 's3') return path === '' ? '/' : path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return uriEscape(`/${segments.join('/')}${trailing}`).replace(/%2F/g, '/');
}

/** The query's pairs decoded, escaped again and sorted (the signature itself left out). */
function canonicalQuery(query: string): string {
  const pairs: [string, string][] = [];
  for (const item of query.split('&')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = uriEscape(decode(eq < 0 ? item : item.slice(0, eq)));
    if (key === 'X-Amz-Signature') continue;
    pairs.push([key, uriEscape(decode(eq < 0 ? '' : item.slice(eq + 1)))]);
  }
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** A header value as signed: line breaks and runs of spaces and tabs are one space, none at the ends. */
function canonicalValue(value: string): string {
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
}

/** `20260101T000000Z` -> ms, NaN when it is not that form. */
function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return Number.NaN;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** The payload hash the request is signed with; undefined when S3's required header is absent. */
function payloadHash(req: ReceivedRequest, service: string): string | undefined {
  if (service !== 's3') return sha256(req.body);
  return header(req.headers, 'x-amz-content-sha256');
}

function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
}

/** What `verifySigV4` needs besides the request. */
export interface VerifyOptions {
  credentials: LocalAwsCredentials;
  /** The server's clock, ms. @default Date.now() */
  now?: number;
  /** Largest accepted difference between the request's time and the server's. @default 15 minutes (S3's) */
  maxSkewMs?: number;
}

/** Recomputes the request's SigV4 signature: accepted, or refused with what AWS would say is wrong. */
export function verifySigV4(req: ReceivedRequest, opts: VerifyOptions): Verified | Rejected {
  const authorization = header(req.headers, 'authorization');
  if (authorization === undefined) return { ok: false, problem: 'missing' };
  const auth = AUTH.exec(authorization);
  if (!auth) return { ok: false, problem: 'malformed', detail: 'the Authorization header is not SigV4' };
  const [, accessKeyId = '', day = '', region = '', service = '', signedList = '', provided = ''] = auth;
  const known = opts.credentials;
  if (accessKeyId !== known.accessKeyId) return { ok: false, problem: 'unknown-key', accessKeyId };
  const amzDate = header(req.headers, 'x-amz-date') ?? '';
  const date = parseAmzDate(amzDate);
  if (Number.isNaN(date) || !amzDate.startsWith(day)) {
    return {
      ok: false,
      problem: 'malformed',
      detail: 'X-Amz-Date is missing or does not match the credential scope',
    };
  }
  const signed = signedList.split(';');
  const token = header(req.headers, 'x-amz-security-token');
  // An empty session token is none, as the SDK and strataconf read AWS_SESSION_TOKEN=''.
  if (
    token !== (known.sessionToken || undefined) ||
    (token !== undefined && !signed.includes('x-amz-security-token'))
  ) {
    return { ok: false, problem: 'bad-token' };
  }
  const now = opts.now ?? Date.now();
  if (Math.abs(now - date) > (opts.maxSkewMs ?? 15 * 60_000)) {
    return { ok: false, problem: 'skewed', detail: amzDate };
  }
  if (!signed.includes('host'))
    return { ok: false, problem: 'malformed', detail: 'the Host header is not signed' };
  const hash = payloadHash(req, service);
  if (hash === undefined) return { ok: false, problem: 'payload-missing' };
  if (service === 's3' && /^[0-9a-f]{64}$/.test(hash) && hash !== sha256(req.body)) {
    return { ok: false, problem: 'payload-mismatch' };
  }
  const q = req.url.indexOf('?');
  const canonicalRequest = [
    req.method,
    canonicalUri(q < 0 ? req.url : req.url.slice(0, q), service),
    canonicalQuery(q < 0 ? '' : req.url.slice(q + 1)),
    ...signed.map((name) => `${name}:${canonicalValue(header(req.headers, name) ?? '')}`),
    '',
    signedList,
    hash,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const expected = createHmac('sha256', signingKey(known.secretAccessKey, day, region, service))
    .update(stringToSign, 'utf8')
    .digest();
  if (!timingSafeEqual(expected, Buffer.from(provided, 'hex'))) {
    return {
      ok: false,
      problem: 'mismatch',
      accessKeyId,
      canonicalRequest,
      stringToSign,
      signatureProvided: provided,
    };
  }
  return { ok: true, accessKeyId, region, service };
}

/** The credential scope's service of a signed request, for routing (undefined when unsigned). */
export function signedService(headers: IncomingHttpHeaders): string | undefined {
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(header(headers, 'authorization') ?? '')?.[1];
}
