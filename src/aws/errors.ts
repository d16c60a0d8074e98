/**
 * AWS error answers, parsed per protocol into errors shaped like the AWS SDK v3's as far as a
 * classifier looks: `name` is the AWS error code (`NoSuchKey`, `ParameterNotFound`, ...), `message`
 * AWS's message, `$metadata.httpStatusCode` and `$metadata.attempts`. So one failure table
 * (src/sources/remote/failure.ts) serves a source's light path and its SDK path. Network errors keep
 * Node's `code` (`ECONNREFUSED`).
 */

import { scrubText } from './scrub.js';

/** The protocols whose error answers the transport parses. */
export type AwsProtocol = 'rest-xml' | 'json' | 'rest-json';

/** What an SDK error carries in `$metadata`. */
export interface AwsMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts: number;
  totalRetryDelay: number;
}

/** An error answer from an AWS service. */
export class AwsError extends Error {
  /** `client` for 4xx answers, `server` for 5xx, as in the SDK. */
  readonly $fault: 'client' | 'server';
  readonly $metadata: AwsMetadata;
  // Declared only: set when the answer taught it, so an error without one does not show `undefined`.
  /** S3's `x-amz-bucket-region` header, when the answer carried it (a bucket in another region). */
  declare readonly bucketRegion?: string;
  /** The answer's `Retry-After`, in ms, when it carried one. */
  declare retryAfterMs?: number;
  /** True when this answer corrected the transport's clock for its endpoint: a retry may pass. */
  declare clockCorrected?: boolean;

  constructor(
    code: string,
    message: string,
    statusCode: number,
    extra: { requestId?: string; bucketRegion?: string },
  ) {
    super(message);
    this.name = code;
    this.$fault = statusCode >= 500 ? 'server' : 'client';
    this.$metadata = {
      httpStatusCode: statusCode,
      requestId: extra.requestId,
      attempts: 1,
      totalRetryDelay: 0,
    };
    if (extra.bucketRegion !== undefined) this.bucketRegion = extra.bucketRegion;
  }
}

/** The name the SDK gives an error answer without a parsable body (a HEAD, a 304, a proxy's page). */
const BY_STATUS: Record<number, string> = {
  301: 'PermanentRedirect',
  304: 'NotModified',
  400: 'BadRequest',
  403: 'Forbidden',
  404: 'NotFound',
  412: 'PreconditionFailed',
  429: 'TooManyRequestsException',
};

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The text of the first `<tag>` element in `xml` (S3 error documents are flat and small). */
function xmlText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return match?.[1]
    ?.replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** An error code as AWS writes them (`NoSuchKey`, `ThrottlingException`); anything else is not one. */
const CODE = /^[A-Za-z][A-Za-z0-9_.]{0,99}$/;

/** `aws.protocol#Code:http://...` (a `__type` or an `x-amzn-errortype` header) -> `Code`. */
function sanitizeCode(raw: string): string | undefined {
  const afterHash = raw.includes('#') ? raw.slice(raw.lastIndexOf('#') + 1) : raw;
  const code = afterHash.split(':')[0] ?? afterHash;
  return CODE.test(code) ? code : undefined;
}

function xmlCode(xml: string): string | undefined {
  const raw = xmlText(xml, 'Code');
  return raw === undefined ? undefined : sanitizeCode(raw);
}

/** A string member of a JSON text that does not parse (an error body cut at 64 KiB keeps its start). */
function member(text: string, name: string): string | undefined {
  return new RegExp(`"${name}"\\s*:\\s*"([^"\\\\]{0,300})"`).exec(text)?.[1];
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    const found = {
      __type: member(text, '__type'),
      code: member(text, 'code'),
      message: member(text, 'message'),
    };
    return Object.fromEntries(Object.entries(found).filter(([, v]) => v !== undefined));
  }
}

function jsonError(headers: Headers, text: string): { code?: string; message?: string } {
  const body = parseJson(text);
  const raw = header(headers, 'x-amzn-errortype') ?? body.code ?? body.Code ?? body.__type;
  const message = body.message ?? body.Message ?? body.errorMessage;
  return {
    code: typeof raw === 'string' ? sanitizeCode(raw) : undefined,
    message: typeof message === 'string' ? message : undefined,
  };
}

/**
 * The error an answer with `statusCode` (>= 300) and `body` stands for, in `protocol`'s error
 * format. Only the code, the status, the request id and the message are kept, the message without
 * any quoted request or credential (`secrets`: the credential values the request was signed with).
 */
export function parseErrorResponse(
  protocol: AwsProtocol,
  statusCode: number,
  headers: Headers,
  body: string,
  secrets: readonly (string | undefined)[] = [],
): AwsError {
  const xml = protocol === 'rest-xml';
  const parsed = xml ? { code: xmlCode(body), message: xmlText(body, 'Message') } : jsonError(headers, body);
  const code = parsed.code ?? BY_STATUS[statusCode] ?? (statusCode >= 500 ? 'InternalError' : 'Unknown');
  const requestId =
    header(headers, 'x-amz-request-id') ??
    header(headers, 'x-amzn-requestid') ??
    (xml ? xmlText(body, 'RequestId') : undefined);
  const message = parsed.message === undefined ? '' : scrubText(parsed.message, secrets);
  return new AwsError(code, message === '' ? `HTTP ${statusCode}` : message, statusCode, {
    requestId,
    bucketRegion: header(headers, 'x-amz-bucket-region'),
  });
}

/** Answers that say the signature's clock is off; the transport learns the time from `Date`, as the SDK does. */
export const CLOCK_SKEW_CODES: ReadonlySet<string> = new Set([
  'RequestTimeTooSkewed',
  'RequestExpired',
  'RequestInTheFuture',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'AuthFailure',
]);
