import { type ReceivedRequest, type Rejected, type Verified, verifySigV4 } from './sigv4.js';
import type { LocalAwsCredentials } from './types.js';
import { AwsFailure, type WireFormat } from './wire.js';

/**
 * A request's signature checked as its service checks it, and a refusal worded as that service
 * words it: S3 answers `SignatureDoesNotMatch` (403) quoting what it signed, the JSON services
 * `InvalidSignatureException` (400 for SSM and Secrets Manager, 403 for AppConfigData) with the
 * canonical string, an unknown key or token `InvalidAccessKeyId` / `UnrecognizedClientException`.
 */

const MINUTE = 60_000;

/** `20260101T000000Z`. */
const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, '');

function s3Refusal(rejected: Rejected, now: number): AwsFailure {
  switch (rejected.problem) {
    case 'missing':
      return new AwsFailure(403, 'AccessDenied', 'Access Denied');
    case 'malformed':
      return new AwsFailure(
        400,
        'AuthorizationHeaderMalformed',
        `The authorization header is malformed; ${rejected.detail}`,
      );
    case 'unknown-key':
      return new AwsFailure(
        403,
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
        {
          AWSAccessKeyId: rejected.accessKeyId ?? '',
        },
      );
    case 'bad-token':
      return new AwsFailure(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
    case 'skewed':
      return new AwsFailure(
        403,
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
        {
          RequestTime: rejected.detail ?? '',
          ServerTime: new Date(now).toISOString(),
          MaxAllowedSkewMilliseconds: String(15 * MINUTE),
        },
      );
    case 'payload-mismatch':
      return new AwsFailure(
        400,
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    case 'payload-missing':
      return new AwsFailure(
        400,
        'InvalidRequest',
        'Missing required header for this request: x-amz-content-sha256',
      );
    default:
      return new AwsFailure(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        {
          AWSAccessKeyId: rejected.accessKeyId ?? '',
          StringToSign: rejected.stringToSign ?? '',
          SignatureProvided: rejected.signatureProvided ?? '',
          CanonicalRequest: rejected.canonicalRequest ?? '',
        },
      );
  }
}

function jsonRefusal(rejected: Rejected, status: number, now: number): AwsFailure {
  switch (rejected.problem) {
    case 'missing':
      return new AwsFailure(status, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    case 'malformed':
      return new AwsFailure(status, 'IncompleteSignatureException', String(rejected.detail));
    case 'unknown-key':
    case 'bad-token':
      return new AwsFailure(
        status,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    case 'skewed': {
      const late = (rejected.detail ?? '') < amzDate(now);
      const message = late
        ? `Signature expired: ${rejected.detail} is now earlier than ${amzDate(now - 5 * MINUTE)} (${amzDate(now)} - 5 min.)`
        : `Signature not yet current: ${rejected.detail} is still later than ${amzDate(now + 5 * MINUTE)} (${amzDate(now)} + 5 min.)`;
      return new AwsFailure(status, 'InvalidSignatureException', message);
    }
    default:
      return new AwsFailure(
        status,
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n' +
          `The Canonical String for this request should have been\n'${rejected.canonicalRequest ?? ''}'\n\n` +
          `The String-to-Sign should have been\n'${rejected.stringToSign ?? ''}'\n`,
      );
  }
}

/** The signing name each store's requests must carry in their credential scope. */
const SIGNING_NAME: Record<Exclude<WireFormat, 'extension'>, string> = {
  s3: 's3',
  ssm: 'ssm',
  secrets: 'secretsmanager',
  appconfig: 'appconfig',
};

/** Checks `req`'s signature for the store of `format`; resolves what it verified, throws the store's refusal. */
export function authenticate(
  req: ReceivedRequest,
  format: Exclude<WireFormat, 'extension'>,
  credentials: LocalAwsCredentials,
): Verified {
  const now = Date.now();
  // S3 allows 15 minutes of clock skew, the JSON services 5.
  const verdict = verifySigV4(req, { credentials, now, maxSkewMs: (format === 's3' ? 15 : 5) * MINUTE });
  if (verdict.ok && verdict.service === SIGNING_NAME[format]) return verdict;
  const rejected: Rejected = verdict.ok
    ? {
        ok: false,
        problem: 'malformed',
        detail: `Credential should be scoped to correct service: '${SIGNING_NAME[format]}'.`,
      }
    : verdict;
  throw refusal(rejected, format, now);
}

/** What the store of `format` answers a request refused for `rejected`'s reason, at server time `now`. */
export function refusal(
  rejected: Rejected,
  format: Exclude<WireFormat, 'extension'>,
  now: number,
): AwsFailure {
  if (format === 's3') return s3Refusal(rejected, now);
  return jsonRefusal(rejected, format === 'appconfig' ? 403 : 400, now);
}
