import { classifyAwsError, RemoteFailure, type ServiceErrors } from '../remote/failure.js';

/**
 * S3's own answers, in words a person can act on; the rest (throttling, 5xx, network, 403/404
 * without a known name) is classified as for every AWS store (remote-errors.ts).
 */

/** An S3 failure: the remote-layer failure every AWS store shares. */
export const S3Failure = RemoteFailure;
export type S3Failure = RemoteFailure;

const DENIED_HINT = 'the role needs s3:GetObject on the object';

const S3_ERRORS: ServiceErrors = {
  service: 'S3',
  deniedHint: DENIED_HINT,
  byName: {
    NoSuchKey: 'object not found (NoSuchKey)',
    NotFound: 'object not found (NotFound)',
    NoSuchBucket: 'bucket not found (NoSuchBucket)',
    NoSuchVersion: 'object version not found (NoSuchVersion)',
    AccessDenied: `access denied (AccessDenied): ${DENIED_HINT} (S3 also denies a missing key to a role without s3:ListBucket)`,
    AllAccessDisabled: 'access denied (AllAccessDisabled)',
    PermanentRedirect: 'the bucket is in another region (PermanentRedirect): pass { region }',
    InvalidObjectState: 'the object is archived (InvalidObjectState)',
  },
};

/** True for S3's "not modified" answer to `IfNoneMatch` (its error name differs between SDK versions). */
export function isNotModified(err: unknown): boolean {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode === 304;
}

/** Classifies an error thrown by `client.send(GetObjectCommand)` (not a timeout: the caller knows those). */
export function classifyS3Error(thrown: unknown): RemoteFailure {
  return classifyAwsError(thrown, S3_ERRORS);
}
