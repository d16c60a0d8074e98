import type { AwsCredentials } from './env.js';
import type { HttpRequest } from './http.js';

/**
 * SigV4 signing with `aws4` (a 13 KB signer without dependencies), imported on the first signed
 * request, never by `import 'strataconf'`.
 */

type Aws4 = typeof import('aws4');

let aws4: Promise<Aws4> | undefined;

function loadAws4(): Promise<Aws4> {
  aws4 ??= import('aws4').then((m) => ((m as { default?: Aws4 }).default ?? m) as Aws4);
  return aws4;
}

/** What a signature depends on besides the request. */
export interface SigningScope {
  /** The SigV4 service name (`s3`, `ssm`, `secretsmanager`, `appconfig`). */
  service: string;
  region: string;
  credentials: AwsCredentials;
  /** The time to sign with, in ms (the local clock plus any learnt skew). */
  now: number;
}

/** `X-Amz-Date`'s form: 20260101T000000Z. */
function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, '');
}

/**
 * Signs `req` in place (adds `Host`, `X-Amz-Date`, `Authorization`, the session token and, for S3,
 * `X-Amz-Content-Sha256`) and returns it. The path must already be RFC 3986 encoded: `aws4` then
 * signs it as S3 wants it (not encoded twice) and other services' paths normalised.
 */
export async function sign(req: HttpRequest, scope: SigningScope): Promise<HttpRequest> {
  const { sign: aws4Sign } = await loadAws4();
  const options = {
    host: req.port === undefined ? req.hostname : `${req.hostname}:${req.port}`,
    method: req.method,
    path: req.path,
    headers: { ...req.headers, 'X-Amz-Date': amzDate(scope.now) } as Record<string, string>,
    body: req.body,
    service: scope.service,
    region: scope.region,
  };
  const signed = aws4Sign(options, scope.credentials);
  return { ...req, path: signed.path ?? req.path, headers: signed.headers as Record<string, string> };
}
