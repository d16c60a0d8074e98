import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { LocalAwsService } from './types.js';

/**
 * How each store writes its answers and errors, as AWS does: S3 an XML error document, SSM and
 * Secrets Manager AWS JSON 1.1 (`__type`, HTTP 400 for the client's errors, throttling included),
 * AppConfigData REST-JSON (`x-amzn-ErrorType`, a status per error), and the AppConfig extension a
 * short text.
 */

/** The wire format of an answer. */
export type WireFormat = 's3' | 'ssm' | 'secrets' | 'appconfig' | 'extension';

/** A successful answer. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** An error answer a store throws; the server writes it in the store's format. */
export class AwsFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** S3 only: more elements of the error document (`Key`, `BucketName`, `CanonicalRequest`, ...). */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The account the stores' ARNs name. */
export const ACCOUNT = '123456789012';

const SERVER_ERRORS: Record<string, number> = {
  InternalError: 500,
  InternalFailure: 500,
  InternalServerError: 500,
  InternalServerException: 500,
  InternalServiceError: 500,
  BadGateway: 502,
  ServiceUnavailable: 503,
  ServiceUnavailableException: 503,
  SlowDown: 503,
  GatewayTimeout: 504,
};

const S3_STATUS: Record<string, number> = {
  AccessDenied: 403,
  InvalidAccessKeyId: 403,
  SignatureDoesNotMatch: 403,
  RequestTimeTooSkewed: 403,
  AccountProblem: 403,
  NoSuchKey: 404,
  NoSuchBucket: 404,
  NoSuchVersion: 404,
  PermanentRedirect: 301,
  MethodNotAllowed: 405,
  PreconditionFailed: 412,
  NotImplemented: 501,
};

const REST_JSON_STATUS: Record<string, number> = {
  AccessDeniedException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  ExpiredTokenException: 403,
  MissingAuthenticationTokenException: 403,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
};

/** The status `service` answers error `code` with. */
export function defaultStatus(format: WireFormat, code: string): number {
  const server = SERVER_ERRORS[code];
  if (server !== undefined) return server;
  if (format === 's3') return S3_STATUS[code] ?? 400;
  if (format === 'appconfig' || format === 'extension') return REST_JSON_STATUS[code] ?? 400;
  return 400;
}

const IAM_PREFIX: Record<LocalAwsService, string> = {
  s3: 's3',
  ssm: 'ssm',
  secrets: 'secretsmanager',
  appconfig: 'appconfig',
};

/** The service's wording of `code`, for a fault given without a message. */
export function defaultMessage(
  service: LocalAwsService,
  code: string,
  operation: string,
  resource: string,
): string {
  if (code === 'AccessDenied') return 'Access Denied';
  if (code === 'AccessDeniedException')
    return `User: arn:aws:sts::${ACCOUNT}:assumed-role/local-aws/local is not authorized to perform: ${IAM_PREFIX[service]}:${operation} on resource: ${resource} because no identity-based policy allows the ${IAM_PREFIX[service]}:${operation} action`;
  if (code === 'ThrottlingException' || code === 'TooManyRequestsException') return 'Rate exceeded';
  if (code === 'SlowDown') return 'Please reduce your request rate.';
  if (code === 'ServiceUnavailable' || code === 'ServiceUnavailableException')
    return 'Service is unable to handle request.';
  if (SERVER_ERRORS[code] !== undefined) return 'We encountered an internal error. Please try again.';
  return code;
}

const xmlEscape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `x-amz-request-id`'s form: 16 upper-case hex characters. */
const s3RequestId = () => randomBytes(8).toString('hex').toUpperCase();

/** Writes `answer`, with the request id header of the format. */
export function writeAnswer(res: ServerResponse, format: WireFormat, answer: Answer): void {
  const ids: Record<string, string> =
    format === 's3'
      ? {
          'x-amz-request-id': s3RequestId(),
          'x-amz-id-2': randomBytes(24).toString('base64'),
          server: 'AmazonS3',
        }
      : format === 'extension'
        ? {}
        : { 'x-amzn-requestid': randomUUID() };
  // The Date header from the server's clock now (Node caches its own for up to a second): a client
  // learns its clock skew from it.
  res.writeHead(answer.status, { date: new Date().toUTCString(), ...ids, ...answer.headers });
  res.end(answer.body ?? '');
}

/** The answer `failure` is in the store's format. */
export function failureAnswer(format: WireFormat, failure: AwsFailure): Answer {
  const { status, code, message } = failure;
  if (format === 's3') {
    const extra = Object.entries(failure.extra).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`);
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${extra.join('')}<RequestId>${s3RequestId()}</RequestId></Error>`;
    return { status, headers: { 'content-type': 'application/xml' }, body };
  }
  if (format === 'extension') {
    return { status, headers: { 'content-type': 'text/plain' }, body: `${code}: ${message}` };
  }
  if (format === 'appconfig') {
    const type = `${code}:http://internal.amazon.com/coral/com.amazonaws.appconfigdata/`;
    return {
      status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
      body: JSON.stringify({ Message: message }),
    };
  }
  // SSM's errors carry `message`, Secrets Manager's `Message`; the SDK reads either.
  const key = format === 'secrets' ? 'Message' : 'message';
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ __type: code, [key]: message }),
  };
}

/** Writes `failure` as the store's service writes its errors. */
export function writeFailure(res: ServerResponse, format: WireFormat, failure: AwsFailure): void {
  writeAnswer(res, format, failureAnswer(format, failure));
}

/** A JSON answer of the JSON protocols. */
export function json(format: WireFormat, value: unknown, status = 200): Answer {
  const type = format === 'appconfig' ? 'application/json' : 'application/x-amz-json-1.1';
  return { status, headers: { 'content-type': type }, body: JSON.stringify(value) };
}
