/**
 * The light AWS transport: what a remote layer (S3, SSM, Secrets Manager, AppConfig) uses instead
 * of the AWS SDK when credentials are in the environment (always so on Lambda). Nothing here
 * imports `@aws-sdk/*` or `@smithy/*`; `node:crypto` (for the SigV4 signature, sign.ts) and
 * `node:https` load on the first request, so `import 'strataconf'` pays for none of it.
 *
 * How a source uses it:
 * ```ts
 * import { AwsError, awsJson11, envCredentials, parseJsonBody, restJson, s3GetObject } from './index.js';
 *
 * if (opts.client === undefined && envCredentials() !== undefined) {
 *   // light path; `signal` is the source's deadline (timeoutMs and the Lambda deadline)
 *   const page = await awsJson11('ssm', 'AmazonSSM.GetParametersByPath', { Path, Recursive: true,
 *     WithDecryption: true, NextToken }, { region: opts.region, signal });
 *   const secret = await awsJson11('secretsmanager', 'secretsmanager.GetSecretValue', { SecretId }, { region, signal });
 *   const session = parseJsonBody(await restJson('appconfigdata',
 *     { method: 'POST', path: '/configurationsessions', body: { ApplicationIdentifier, ... } }, { region, signal }));
 *   const latest = await restJson('appconfigdata',
 *     { method: 'GET', path: '/configuration', query: { configuration_token } }, { region, signal });
 * } else {
 *   // the SDK path, with the caller's client or one created from the SDK's credential chain
 * }
 * ```
 *
 * Errors look like the SDK's to a classifier: an `AwsError` has `name` = the AWS error code and
 * `$metadata.httpStatusCode`, plus `retryAfterMs` and `clockCorrected` when the answer taught them;
 * a network error keeps Node's `code` (`ECONNREFUSED`); a fired `signal` rejects with its reason; no
 * region rejects with the SDK's message `Region is missing`. Each request is signed when it is sent
 * and sent once: retries are the remote policy's (src/sources/remote/retry.ts), for both paths.
 */
export {
  type AwsCredentials,
  type AwsService,
  configuredEndpoint,
  type Endpoint,
  envCredentials,
  resolveRegion,
  serviceEndpoint,
} from './env.js';
export { AwsError, type AwsMetadata, type AwsProtocol, parseErrorResponse } from './errors.js';
export { awsJson11, parseJsonBody, type RestJsonRequest, restJson } from './protocols.js';
export { encodeS3Key, resetBucketRegions, type S3GetInput, type S3GetOptions, s3GetObject } from './s3.js';
export {
  type AwsRequest,
  type AwsResponse,
  encodeRfc3986,
  resetClockOffset,
  type SendOptions,
  send,
} from './send.js';
