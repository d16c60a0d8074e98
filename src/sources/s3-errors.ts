/**
 * What went wrong with a GetObject, in words a person can act on, and whether it is transient.
 * Authoritative answers (not found, denied, bad credentials) mean the layer is unavailable, on a
 * reload as on a cold start; transient ones (network, timeout, throttling, 5xx) let a warm reload
 * keep the layer it already has. Classified by error name and HTTP status, never by message.
 */

/** An S3 failure, classified. `s3.ts` turns it into `unavailable(...)` or a kept layer. */
export class S3Failure extends Error {
  override readonly name = 'S3Failure';
  constructor(
    readonly reason: string,
    readonly transient: boolean,
    cause?: unknown,
  ) {
    super(reason, cause === undefined ? undefined : { cause });
  }
}

const DENIED_HINT = 'the role needs s3:GetObject on the object';

/** Authoritative answers, by the SDK's error name. */
const BY_NAME: Record<string, string> = {
  NoSuchKey: 'object not found (NoSuchKey)',
  NotFound: 'object not found (NotFound)',
  NoSuchBucket: 'bucket not found (NoSuchBucket)',
  NoSuchVersion: 'object version not found (NoSuchVersion)',
  AccessDenied: `access denied (AccessDenied): ${DENIED_HINT} (S3 also denies a missing key to a role without s3:ListBucket)`,
  AllAccessDisabled: 'access denied (AllAccessDisabled)',
  InvalidAccessKeyId: 'credentials rejected (InvalidAccessKeyId)',
  SignatureDoesNotMatch: 'credentials rejected (SignatureDoesNotMatch)',
  ExpiredToken: 'credentials rejected (ExpiredToken)',
  InvalidToken: 'credentials rejected (InvalidToken)',
  CredentialsProviderError: 'no AWS credentials found (CredentialsProviderError)',
  PermanentRedirect: 'the bucket is in another region (PermanentRedirect): pass { region }',
  InvalidObjectState: 'the object is archived (InvalidObjectState)',
};

const THROTTLING = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** True for S3's "not modified" answer to `IfNoneMatch` (its error name differs between SDK versions). */
export function isNotModified(err: unknown): boolean {
  return (err as SdkError | undefined)?.$metadata?.httpStatusCode === 304;
}

function afterAttempts(err: SdkError): string {
  const attempts = err.$metadata?.attempts ?? 1;
  return attempts > 1 ? ` after ${attempts} attempts` : '';
}

/**
 * The SDK's error without its hidden `$response`: the raw HTTP exchange, whose request headers carry
 * the session token (`x-amz-security-token`) and the signature, and which keeps the socket alive.
 * The SDK defines `$response` read-only, so the error is copied (same prototype, every other field).
 */
function withoutResponse(error: unknown): unknown {
  if (!(error instanceof Error) || !Object.hasOwn(error, '$response')) return error;
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  for (const key of Reflect.ownKeys(error)) {
    const field = Object.getOwnPropertyDescriptor(error, key);
    if (key !== '$response' && field !== undefined) Object.defineProperty(copy, key, field);
  }
  return copy;
}

/** Classifies an error thrown by `client.send(GetObjectCommand)` (not a timeout: the caller knows those). */
export function classifyS3Error(thrown: unknown): S3Failure {
  const error = withoutResponse(thrown);
  const err = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  const name = err.name ?? 'Error';
  const status = err.$metadata?.httpStatusCode;
  const known = BY_NAME[name];
  if (known) return new S3Failure(known, false, error);
  if (THROTTLING.has(name) || status === 429 || status === 503) {
    return new S3Failure(
      `throttled by S3 (${name}, HTTP ${status ?? '?'})${afterAttempts(err)}`,
      true,
      error,
    );
  }
  if (status !== undefined && status >= 500) {
    return new S3Failure(`S3 server error (${name}, HTTP ${status})${afterAttempts(err)}`, true, error);
  }
  if (status === 403) return new S3Failure(`access denied (${name}, HTTP 403): ${DENIED_HINT}`, false, error);
  if (status === 404) return new S3Failure(`not found (${name}, HTTP 404)`, false, error);
  if (status !== undefined)
    return new S3Failure(`S3 refused the request (${name}, HTTP ${status})`, false, error);
  if ((err.code && NETWORK_CODES.has(err.code)) || name === 'TimeoutError' || name === 'RequestTimeout') {
    return new S3Failure(`network error (${err.code ?? name})${afterAttempts(err)}`, true, error);
  }
  if (err.message === 'Region is missing') {
    return new S3Failure('no AWS region: set AWS_REGION or pass { region }', false, error);
  }
  const what = err.message ? `${name}: ${err.message}` : name;
  return new S3Failure(`request failed (${what})`, false, error);
}
