import { AwsError, s3GetObject } from '../../aws/index.js';
import type { Logger } from '../../types.js';
import type { GetObjectOutput, SendGetObject } from './sdk.js';

/**
 * GetObject without the AWS SDK (src/aws): what `fromS3` sends when no `client` is given and the
 * credentials are in the environment, as on Lambda. Its answers and errors have the SDK's shape,
 * so the S3 layer reads both paths alike: a 304 is thrown as the SDK throws it, the body is the
 * response stream, errors carry the S3 error code as `name` and `$metadata`.
 */

/** Attempts per GetObject, as for the SDK clients strataconf creates (s3-client.ts). */
const MAX_ATTEMPTS = 2;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function redirectWarning(logger: Logger | undefined, bucket: string) {
  return (from: string, to: string) =>
    logger?.warn(
      `the S3 bucket ${bucket} is in ${to}, not ${from}: followed the redirect; pass { region: '${to}' } to fromS3 to skip it`,
      { code: 'REGION_REDIRECT', bucket, from, to },
    );
}

/** A GetObject sender for `region` (`undefined`: `AWS_REGION`, else `AWS_DEFAULT_REGION`). */
export function lightGetObjectSender(region: string | undefined): SendGetObject {
  return async (input, signal, logger) => {
    const response = await s3GetObject(
      { bucket: input.Bucket, key: input.Key, versionId: input.VersionId, ifNoneMatch: input.IfNoneMatch },
      { region, signal, maxAttempts: MAX_ATTEMPTS, onRegionRedirect: redirectWarning(logger, input.Bucket) },
    );
    const { headers, statusCode } = response;
    if (statusCode === 304) {
      // The SDK throws on a 304; so does this path, for one "not modified" check in the S3 layer.
      const notModified = new AwsError('NotModified', 'Not Modified', 304, {});
      notModified.$metadata.attempts = response.attempts;
      throw notModified;
    }
    const length = first(headers['content-length']);
    const output: GetObjectOutput = { Body: response.body, ETag: first(headers.etag) };
    if (length !== undefined && /^\d+$/.test(length)) output.ContentLength = Number(length);
    const version = first(headers['x-amz-version-id']);
    if (version !== undefined) output.VersionId = version;
    return output;
  };
}
