import type { FailureKind } from '../../outcome.js';
import { reduceError } from './cause.js';

/**
 * The one failure table of remote layers: what went wrong with a request to a store, in a class a
 * policy acts on (`kind`), whether another attempt within this load may help (`retryable`), whether
 * a later load may (`transient`: a reload keeps the last good layer), how long the store asked us
 * to wait (`retryAfterMs`), and words a person can act on. Classified by error name, HTTP status and
 * Node's error code, never by message; the AWS SDK's errors and the light transport's carry the same
 * `name` and `$metadata`, so one table serves both paths.
 */

export type { FailureKind } from '../../outcome.js';

/** A classified failure. */
export interface Failure {
  readonly kind: FailureKind;
  readonly reason: string;
  readonly retryable: boolean;
  readonly transient: boolean;
  /** The store's `Retry-After`, when it sent one. */
  readonly retryAfterMs?: number;
  /** Requests made, the failed one included. */
  readonly attempts: number;
  /**
   * The error behind it, for the `cause` chain: reduced to its name, code, status, request id and a
   * message without any credential (cause.ts), never the SDK's error object itself.
   */
  readonly cause?: unknown;
}

/** A failure a store names itself (no parameter under the path, a body that is not bytes...). */
export class RemoteFailure extends Error implements Failure {
  override readonly name: string = 'RemoteFailure';
  readonly kind: FailureKind;
  readonly transient: boolean;
  readonly retryable: boolean;
  readonly attempts: number = 1;
  constructor(
    readonly reason: string,
    facts: { kind: FailureKind; transient?: boolean; retryable?: boolean },
    cause?: unknown,
  ) {
    super(reason, cause === undefined ? undefined : { cause });
    this.kind = facts.kind;
    this.transient = facts.transient ?? false;
    this.retryable = facts.retryable ?? false;
  }
}

/** An answer a store names itself: its class and the words to print. */
export interface NamedAnswer {
  kind: FailureKind;
  reason: string;
}

/** What one AWS service calls its errors: authoritative answers by name, and the IAM hint for a denial. */
export interface ServiceErrors {
  /** The service as people name it in messages: `S3`, `SSM`, `Secrets Manager`. */
  service: string;
  /** Authoritative answers by error name (`NoSuchKey`, `ResourceNotFoundException`). */
  byName: Readonly<Record<string, NamedAnswer>>;
  /** What a 403 without a known name should say the role needs: `the role needs s3:GetObject on the object`. */
  deniedHint: string;
}

/** Shorthands for a store's `byName` table. */
export const notFound = (reason: string): NamedAnswer => ({ kind: 'not-found', reason });
export const denied = (reason: string): NamedAnswer => ({ kind: 'denied', reason });
export const invalid = (reason: string): NamedAnswer => ({ kind: 'invalid', reason });

/** Throttling answers across services (S3 `SlowDown`, the JSON services' `ThrottlingException`, ...). */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
]);

/** Answers that reject the credentials: the layer is unavailable, on a reload too. */
const CREDENTIALS: ReadonlySet<string> = new Set([
  'InvalidAccessKeyId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidToken',
]);

/** Node network errors: transient. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
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

/** The network errors worth another attempt within the same load (the SDK's list, and a dropped DNS answer). */
const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/** Answers that mean the connection idled out on the store's side: another attempt may pass. */
const REQUEST_TIMEOUT_NAMES: ReadonlySet<string> = new Set([
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

interface AwsErrorLike {
  name?: string;
  code?: string;
  message?: string;
  /** The bound an answer went past (`ETOOLARGE`). */
  maxBytes?: number;
  /** Set by the light transport when a clock-skew answer corrected its clock: a retry may pass. */
  clockCorrected?: boolean;
  /** Set by the light transport from the answer's `Retry-After`. */
  retryAfterMs?: number;
  /** Set by the retry loop when the next wait would have outlasted the load's budget. */
  waitBeyondBudgetMs?: number;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

type Row = Omit<Failure, 'attempts' | 'cause'>;

/** The generic rows: by name, status and network code, for any AWS service (or none). */
function genericRow(err: AwsErrorLike, service: string, deniedHint: string): Row {
  const name = err.name ?? 'Error';
  const status = err.$metadata?.httpStatusCode;
  const said = (reason: string, kind: FailureKind, transient: boolean, retryable = transient): Row => ({
    kind,
    reason,
    transient,
    retryable,
    ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
  });
  if (CREDENTIALS.has(name)) {
    return said(`credentials rejected (${name})`, 'credentials', false, err.clockCorrected === true);
  }
  if (name === 'CredentialsProviderError') {
    return said(`no AWS credentials found (${name})`, 'credentials', false);
  }
  // An endless or oversized answer: never retried within the load; a reload keeps the last good layer.
  if (err.code === 'ETOOLARGE') {
    const bound = err.maxBytes === undefined ? 'its size bound' : `${err.maxBytes} bytes`;
    return said(`${service} answered more than ${bound}`, 'invalid', true, false);
  }
  // A 2xx that is not the protocol's JSON or XML (a proxy's HTML page): a reload keeps the last good
  // layer, as for a network error. A store's own content that does not parse is PARSE_ERROR instead.
  if (status !== undefined && status >= 200 && status < 300) {
    return said(
      `the answer from ${service} could not be understood (${name}, HTTP ${status}): not the service's format (a proxy in the way?)`,
      'server',
      true,
      false,
    );
  }
  if (THROTTLING_CODES.has(name) || status === 429 || status === 503) {
    return said(`throttled by ${service} (${name}, HTTP ${status ?? '?'})`, 'throttled', true);
  }
  if (status !== undefined && status >= 500) {
    return said(`${service} server error (${name}, HTTP ${status})`, 'server', true);
  }
  if (REQUEST_TIMEOUT_NAMES.has(name)) return said(`network error (${err.code ?? name})`, 'network', true);
  if (status === 403) return said(`access denied (${name}, HTTP 403): ${deniedHint}`, 'denied', false);
  if (status === 404) return said(`not found (${name}, HTTP 404)`, 'not-found', false);
  if (status !== undefined)
    return said(`${service} refused the request (${name}, HTTP ${status})`, 'invalid', false);
  if (err.code !== undefined && NETWORK_CODES.has(err.code)) {
    return said(`network error (${err.code})`, 'network', true, RETRYABLE_NETWORK_CODES.has(err.code));
  }
  if (err.message === 'Region is missing') {
    return said('no AWS region: set AWS_REGION or pass { region }', 'invalid', false);
  }
  return said(`request failed (${err.message ? `${name}: ${err.message}` : name})`, 'invalid', false);
}

/**
 * `reason` with the attempts it took, when more than one (`... after 3 attempts`), and the wait the
 * next one would have needed when that was beyond the time left.
 */
function withAttempts(row: Row, attempts: number, waitBeyondBudgetMs: number | undefined): string {
  const tries = attempts > 1 && row.transient ? ` after ${attempts} attempts` : '';
  const beyond =
    waitBeyondBudgetMs === undefined
      ? ''
      : `; the next attempt would have waited ${Math.ceil(waitBeyondBudgetMs / 100) / 10} s, beyond the time left (timeoutMs, or the Lambda deadline)`;
  return `${row.reason}${tries}${beyond}`;
}

/**
 * Classifies an error thrown by a request to `errors.service` (or, without `errors`, by any
 * request: the retry loop only needs `retryable` and `retryAfterMs`). A timeout is not classified
 * here: the budget knows when it ended.
 */
export function classify(thrown: unknown, errors?: ServiceErrors): Failure {
  if (thrown instanceof RemoteFailure) {
    const { kind, reason, retryable, transient, attempts } = thrown;
    const cause = reduceError(thrown.cause);
    return { kind, reason, retryable, transient, attempts, ...(cause === undefined ? {} : { cause }) };
  }
  const cause = reduceError(thrown);
  const err = (typeof cause === 'object' && cause !== null ? cause : {}) as AwsErrorLike;
  const attempts = err.$metadata?.attempts ?? 1;
  const name = err.name ?? 'Error';
  const named = errors !== undefined && Object.hasOwn(errors.byName, name) ? errors.byName[name] : undefined;
  const row: Row = named
    ? { ...named, transient: false, retryable: false }
    : genericRow(err, errors?.service ?? 'the store', errors?.deniedHint ?? 'check the role');
  return { ...row, reason: withAttempts(row, attempts, err.waitBeyondBudgetMs), attempts, cause };
}
