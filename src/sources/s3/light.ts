import { AwsError, s3GetObject } from '../../aws/index.js';
import type { Logger } from '../../types.js';
import type { GetObjectOutput, S3Api } from './wire.js';

/**
 * GetObject without the AWS SDK (src/aws): what `fromS3` sends when no `client` is given and the
 * credentials are in the environment, as on Lambda. Its answers and errors have the SDK's shape,
 * so the S3 layer reads both paths alike: a 304 is thrown as the SDK throws it, the body is the
 * response stream, errors carry the S3 error code as `name` and `$metadata`.
 */

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

/** S3 over the light transport, in `region` (`undefined`: `AWS_REGION`, else `AWS_DEFAULT_REGION`). */
export function lightS3(region: string | undefined): S3Api {
  return {
    async getObject(input, signal, logger) {
      const response = await s3GetObject(
        { bucket: input.Bucket, key: input.Key, versionId: input.VersionId, ifNoneMatch: input.IfNoneMatch },
        { region, signal, onRegionRedirect: redirectWarning(logger, input.Bucket) },
      );
      const { headers, statusCode } = response;
      if (statusCode === 304) {
        // The SDK throws on a 304; so does this path, for one "not modified" check in the S3 layer.
        throw new AwsError('NotModified', 'Not Modified', 304, {});
      }
      const length = first(headers['content-length']);
      const output: GetObjectOutput = { Body: response.body, ETag: first(headers.etag) };
      if (length !== undefined && /^\d+$/.test(length)) output.ContentLength = Number(length);
      const type = first(headers['content-type']);
      if (type !== undefined) output.ContentType = type;
      const version = first(headers['x-amz-version-id']);
      if (version !== undefined) output.VersionId = version;
      return output;
    },
  };
}
