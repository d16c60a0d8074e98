import { THROTTLING_CODES } from '../../aws/errors.js';

/**
 * What went wrong with a request to an AWS store, in words a person can act on, and whether it is
 * transient. Authoritative answers (not found, denied, bad credentials) mean the layer is
 * unavailable, on a reload as on a cold start; transient ones (network, timeout, throttling, 5xx)
 * let a warm reload keep the layer it already has. Classified by error name and HTTP status, never
 * by message. The same classifier serves the AWS SDK's errors and the light transport's, which
 * carry the same `name` and `$metadata`.
 */

/** A remote layer's failure, classified. remote.ts turns it into `unavailable(...)` or a kept layer. */
export class RemoteFailure extends Error {
  override readonly name: string = 'RemoteFailure';
  constructor(
    readonly reason: string,
    readonly transient: boolean,
    cause?: unknown,
  ) {
    super(reason, cause === undefined ? undefined : { cause });
  }
}

/** What one AWS service calls its errors: authoritative answers by name, and the IAM hint for a denial. */
export interface ServiceErrors {
  /** The service as people name it in messages: `S3`, `SSM`, `Secrets Manager`. */
  service: string;
  /** Authoritative answers by error name (`NoSuchKey`, `ResourceNotFoundException`), as the reason to print. */
  byName: Readonly<Record<string, string>>;
  /** What a 403 without a known name should say the role needs: `the role needs s3:GetObject on the object`. */
  deniedHint: string;
}

const CREDENTIALS: Readonly<Record<string, string>> = {
  InvalidAccessKeyId: 'credentials rejected (InvalidAccessKeyId)',
  UnrecognizedClientException: 'credentials rejected (UnrecognizedClientException)',
  InvalidSignatureException: 'credentials rejected (InvalidSignatureException)',
  SignatureDoesNotMatch: 'credentials rejected (SignatureDoesNotMatch)',
  ExpiredToken: 'credentials rejected (ExpiredToken)',
  ExpiredTokenException: 'credentials rejected (ExpiredTokenException)',
  InvalidToken: 'credentials rejected (InvalidToken)',
  CredentialsProviderError: 'no AWS credentials found (CredentialsProviderError)',
};

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

interface AwsErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

function afterAttempts(err: AwsErrorLike): string {
  const attempts = err.$metadata?.attempts ?? 1;
  return attempts > 1 ? ` after ${attempts} attempts` : '';
}

/**
 * The SDK's error without its hidden `$response`: the raw HTTP exchange, whose request headers carry
 * the session token (`x-amz-security-token`) and the signature, and which keeps the socket alive.
 * The SDK defines `$response` read-only, so the error is copied (same prototype, every other field).
 */
export function withoutResponse(error: unknown): unknown {
  if (!(error instanceof Error) || !Object.hasOwn(error, '$response')) return error;
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  for (const key of Reflect.ownKeys(error)) {
    const field = Object.getOwnPropertyDescriptor(error, key);
    if (key !== '$response' && field !== undefined) Object.defineProperty(copy, key, field);
  }
  return copy;
}

/** Classifies an error thrown by a request to `errors.service` (not a timeout: the caller knows those). */
export function classifyAwsError(thrown: unknown, errors: ServiceErrors): RemoteFailure {
  if (thrown instanceof RemoteFailure) return thrown;
  const error = withoutResponse(thrown);
  const err = (typeof error === 'object' && error !== null ? error : {}) as AwsErrorLike;
  const name = err.name ?? 'Error';
  const status = err.$metadata?.httpStatusCode;
  const { service } = errors;
  const known = Object.hasOwn(errors.byName, name) ? errors.byName[name] : CREDENTIALS[name];
  if (known) return new RemoteFailure(known, false, error);
  if (THROTTLING_CODES.has(name) || status === 429 || status === 503) {
    const what = `throttled by ${service} (${name}, HTTP ${status ?? '?'})${afterAttempts(err)}`;
    return new RemoteFailure(what, true, error);
  }
  if (status !== undefined && status >= 500) {
    const what = `${service} server error (${name}, HTTP ${status})${afterAttempts(err)}`;
    return new RemoteFailure(what, true, error);
  }
  if (status === 403) {
    return new RemoteFailure(`access denied (${name}, HTTP 403): ${errors.deniedHint}`, false, error);
  }
  if (status === 404) return new RemoteFailure(`not found (${name}, HTTP 404)`, false, error);
  if (status !== undefined) {
    return new RemoteFailure(`${service} refused the request (${name}, HTTP ${status})`, false, error);
  }
  if ((err.code && NETWORK_CODES.has(err.code)) || name === 'TimeoutError' || name === 'RequestTimeout') {
    return new RemoteFailure(`network error (${err.code ?? name})${afterAttempts(err)}`, true, error);
  }
  if (err.message === 'Region is missing') {
    return new RemoteFailure('no AWS region: set AWS_REGION or pass { region }', false, error);
  }
  const what = err.message ? `${name}: ${err.message}` : name;
  return new RemoteFailure(`request failed (${what})`, false, error);
}
