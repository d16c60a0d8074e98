import type { AwsCredentials } from './env.js';
import type { HttpRequest } from './http.js';

/**
 * AWS Signature Version 4 over `node:crypto` (imported on the first signed request, never by
 * `import 'strataconf'`). Written here rather than taken from `aws4`: aws4 is CommonJS that
 * `require`s Node built-ins, which an esbuild ESM bundle (the usual Lambda build) cannot run
 * without a `createRequire` banner. The tests check every signature against AWS's own signer
 * (`@smithy/signature-v4`).
 */

type Crypto = typeof import('node:crypto');

let crypto: Promise<Crypto> | undefined;

/** What a signature depends on besides the request. */
export interface SigningScope {
  /** The SigV4 service name (`s3`, `ssm`, `secretsmanager`, `appconfig`). */
  service: string;
  region: string;
  credentials: AwsCredentials;
  /** The time to sign with, in ms (the local clock plus any learnt skew). */
  now: number;
}

/** RFC 3986 encoding of one path segment or query value (also `!'()*`, as SigV4 wants). */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `X-Amz-Date`'s form: 20260101T000000Z. */
function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, '');
}

/** The path as signed: S3 signs it as sent; the other services sign each segment encoded again. */
function canonicalPath(path: string, service: string): string {
  return service === 's3' ? path : path.split('/').map(encodeRfc3986).join('/');
}

/** Code-point order, as SigV4 sorts (never the locale's). */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The query as signed: its (already encoded) pairs sorted by name, then by value. Not by the whole
 * `name=value` text: `a=1` sorts before `a-b=1` by name, after it as text (`=` is above `-`).
 */
export function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    })
    .sort(([an = '', av = ''], [bn = '', bv = '']) => byCodePoint(an, bn) || byCodePoint(av, bv))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/**
 * Signs `req` (its path and query already RFC 3986 encoded) and returns it with `host`,
 * `x-amz-date`, `x-amz-content-sha256` (S3), `x-amz-security-token` (when the credentials have a
 * session token) and `authorization` added. Every header sent is signed.
 */
export async function sign(req: HttpRequest, scope: SigningScope): Promise<HttpRequest> {
  crypto ??= import('node:crypto');
  const { createHash, createHmac } = await crypto;
  const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
  const { service, region, credentials } = scope;
  const datetime = amzDate(scope.now);
  const day = datetime.slice(0, 8);
  const payloadHash = sha256(req.body ?? '');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
  headers.host = req.port === undefined ? req.hostname : `${req.hostname}:${req.port}`;
  headers['x-amz-date'] = datetime;
  if (service === 's3') headers['x-amz-content-sha256'] = payloadHash;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const q = req.path.indexOf('?');
  const canonical = [
    req.method,
    canonicalPath(q < 0 ? req.path : req.path.slice(0, q), service),
    canonicalQuery(q < 0 ? '' : req.path.slice(q + 1)),
    ...names.map((name) => `${name}:${String(headers[name]).trim().replace(/\s+/g, ' ')}`),
    '',
    signedHeaders,
    payloadHash,
  ].join('\n');
  const credentialScope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', datetime, credentialScope, sha256(canonical)].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${credentials.secretAccessKey}`).update(day).digest();
  for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { ...req, headers };
}
