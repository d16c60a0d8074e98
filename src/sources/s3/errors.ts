import { denied, invalid, notFound, type ServiceErrors } from '../remote/failure.js';

/**
 * S3's own answers, in words a person can act on; the rest (throttling, 5xx, network, 403/404
 * without a known name) is classified as for every AWS store (../remote/failure.ts).
 */

const DENIED_HINT = 'the role needs s3:GetObject on the object';

export const S3_ERRORS: ServiceErrors = {
  service: 'S3',
  deniedHint: DENIED_HINT,
  byName: {
    NoSuchKey: notFound('object not found (NoSuchKey)'),
    NotFound: notFound('object not found (NotFound)'),
    NoSuchBucket: notFound('bucket not found (NoSuchBucket)'),
    NoSuchVersion: notFound('object version not found (NoSuchVersion)'),
    AccessDenied: denied(
      `access denied (AccessDenied): ${DENIED_HINT} (S3 also denies a missing key to a role without s3:ListBucket)`,
    ),
    AllAccessDisabled: denied('access denied (AllAccessDisabled)'),
    PermanentRedirect: invalid('the bucket is in another region (PermanentRedirect): pass { region }'),
    InvalidObjectState: invalid('the object is archived (InvalidObjectState)'),
  },
};

/** True for S3's "not modified" answer to `IfNoneMatch` (its error name differs between SDK versions). */
export function isNotModified(err: unknown): boolean {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode === 304;
}
