import type { IncomingMessage } from 'node:http';
import { stateMap } from '../process-state.js';
import { configuredEndpoint, resolveRegion } from './env.js';
import { AwsError } from './errors.js';
import { REGION_NAME } from './partitions.js';
import { type AwsResponse, encodeRfc3986, type SendOptions, send } from './send.js';

/**
 * S3 GetObject without the SDK: conditional (`If-None-Match`), by version, virtual-hosted or path
 * style (see `AwsRequest.bucket`), and one region redirect followed (never a second: a chain of
 * redirects fails with the second one's answer).
 */

/** What to get. */
export interface S3GetInput {
  bucket: string;
  key: string;
  versionId?: string;
  /** An ETag: S3 answers 304 when the object still has it. */
  ifNoneMatch?: string;
}

/** Options of one GetObject. */
export interface S3GetOptions extends SendOptions {
  /** Called when the bucket turned out to be in another region and the request went there instead. */
  onRegionRedirect?: (from: string, to: string) => void;
}

/** Buckets found in another region than asked, per endpoint: later requests go there directly. */
const bucketRegions = stateMap<string, string>();

/** The key, each `/`-separated segment RFC 3986 encoded (S3 signs the path as sent, once encoded). */
export function encodeS3Key(key: string): string {
  return key.split('/').map(encodeRfc3986).join('/');
}

function getOnce(input: S3GetInput, opts: S3GetOptions, region: string | undefined) {
  const headers: Record<string, string> = {};
  if (input.ifNoneMatch !== undefined) headers['If-None-Match'] = input.ifNoneMatch;
  return send(
    {
      service: 's3',
      protocol: 'rest-xml',
      method: 'GET',
      bucket: input.bucket,
      path: `/${encodeS3Key(input.key)}`,
      query: { versionId: input.versionId },
      headers,
    },
    { ...opts, region, stream: true },
  );
}

/**
 * The region of S3's "the bucket is in another region" answers (301, and 400 from newer regions),
 * when it is a region name: it goes into a host name and a signature's scope, so anything else an
 * answer puts in `x-amz-bucket-region` is not followed.
 */
function redirectRegion(err: unknown, region: string | undefined): string | undefined {
  if (!(err instanceof AwsError)) return undefined;
  const status = err.$metadata.httpStatusCode;
  const to = err.bucketRegion;
  if (status !== 301 && status !== 400) return undefined;
  return to !== undefined && to !== region && REGION_NAME.test(to) ? to : undefined;
}

/**
 * GetObject: resolves with the 2xx answer (its body an open stream to read or destroy) or the 304
 * answer to `ifNoneMatch`; rejects with an SDK-shaped error (`NoSuchKey`, `AccessDenied`, ...).
 *
 * @example
 * ```ts
 * const res = await s3GetObject({ bucket: 'my-config', key: 'prod.json5' }, { signal });
 * if (res.statusCode === 304) reuse(); else read(res.body, res.headers.etag);
 * ```
 */
export async function s3GetObject(
  input: S3GetInput,
  opts: S3GetOptions,
): Promise<AwsResponse<Buffer | IncomingMessage>> {
  const asked = resolveRegion(opts.region);
  const learnt = `${configuredEndpoint('s3') ?? ''} ${asked}/${input.bucket}`;
  const region = bucketRegions.get(learnt) ?? asked;
  try {
    return await getOnce(input, opts, region);
  } catch (err) {
    const to = redirectRegion(err, region);
    if (to === undefined || opts.signal.aborted) throw err;
    bucketRegions.set(learnt, to);
    opts.onRegionRedirect?.(region ?? '(none)', to);
    return await getOnce(input, opts, to);
  }
}

/** Forgets the learnt bucket regions (`resetConfigCache()` does too). */
export function resetBucketRegions(): void {
  bucketRegions.clear();
}
