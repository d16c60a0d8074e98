import type { S3Descriptor } from '../../descriptor.js';
import type { Source } from '../../types.js';
import { lazyRemote } from '../remote/lazy.js';
import { parseS3Target, type S3Location, validateS3Options } from './target.js';
import type { S3ClientLike } from './wire.js';

export type { S3Location } from './target.js';
export type { S3ClientLike } from './wire.js';

/** Options of {@link fromS3}. */
export interface FromS3Options {
  /** When true, an object that cannot be read (missing, denied, unreachable, too slow) is dropped with a warning. @default true */
  optional?: boolean;
  /** Shown in warnings, errors and `explainConfig`. @default 's3://bucket/key' */
  name?: string;
  /**
   * Your own `S3Client` (also a mocked one); strataconf then uses it and `region` is ignored.
   * @default with credentials in the environment (Lambda), signed requests without the SDK; else
   * one shared `S3Client` per region
   */
  client?: S3ClientLike;
  /** Region of the bucket. @default `AWS_REGION` (set by Lambda), else `AWS_DEFAULT_REGION` */
  region?: string;
  /**
   * Longest wait for S3 (request, retries, body download); then the layer is unavailable.
   * Importing the SDK on a cold start (SDK path) does not count. @default 3000
   */
  timeoutMs?: number;
  /** Reads this version of the object (a versioned bucket) instead of the latest. @default the latest */
  versionId?: string;
  /** A larger object is refused with `PARSE_ERROR` (config is not data). @default 1048576 (1 MiB) */
  maxBytes?: number;
  /**
   * When false, the source is skipped without a word and appears nowhere (no warning, no
   * provenance): for a layer that exists only in some places. @default true
   */
  enabled?: boolean;
}

/**
 * A layer read from an S3 object holding JSON5 (or YAML: a `.yaml`/`.yml` key, else a YAML
 * `Content-Type`), optional by default: the production pattern is a
 * bundled file overridden by an object in a bucket, and a function that carries on (with a warning)
 * when S3 cannot be reached.
 *
 * How it reaches S3: with your `client` when given. Else, when the credentials are in the
 * environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`: always so on
 * Lambda), it sends one signed GET itself and loads no AWS SDK module (the SDK's import is most of a
 * cold start); region from `region`, `AWS_REGION`, `AWS_DEFAULT_REGION`; endpoint from
 * `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`; a bucket in another region is followed once with a
 * `REGION_REDIRECT` warning. Otherwise (profiles, SSO, instance roles) it imports
 * `@aws-sdk/client-s3` when the layer loads. Both ways fail and retry alike.
 *
 * - Unavailable (dropped with a warning when optional, `SOURCE_UNAVAILABLE` when required): missing
 *   object or bucket, access denied, rejected credentials, network error, `timeoutMs` passed,
 *   throttling or 5xx after the SDK's retries.
 * - `PARSE_ERROR`, optional or not: a body that is not JSON5 or YAML (or not an object), or above
 *   `maxBytes`.
 * - Reloads (after `maxAge`) send `IfNoneMatch`: an unchanged object reuses the parsed layer, so the
 *   cache returns the same config object. A transient failure on a reload (network, timeout,
 *   throttling, 5xx) keeps the layer loaded before, with a `SOURCE_STALE` warning.
 *
 * Needs `s3:GetObject` on the object (and `s3:ListBucket` on the bucket to tell "missing" from "denied").
 *
 * @example
 * ```ts
 * const config = defineConfig({
 *   sources: [fromFile('config.json5'), fromS3('s3://my-app-config/prod.json5'), fromEnv({ prefix: 'APP_' })],
 *   maxAge: 60_000,
 * });
 * export const handler = async (event, context) => {
 *   const { db } = await config.load({ context });
 * };
 * ```
 */
export function fromS3(target: string | S3Location, opts: FromS3Options = {}): Source {
  const { bucket, key } = parseS3Target(target);
  validateS3Options(opts);
  const { client, region, versionId } = opts;
  const name = opts.name ?? `s3://${bucket}/${key}`;
  const maxBytes = opts.maxBytes ?? 1024 * 1024;

  const descriptor: S3Descriptor = {
    store: 's3',
    bucket,
    key,
    ...(versionId === undefined ? {} : { versionId }),
    ...(region === undefined ? {} : { region }),
    ...(client === undefined ? {} : { client }),
  };
  const front = { name, optional: opts.optional ?? true, enabled: opts.enabled, descriptor };
  const plan = {
    ...front,
    bucket,
    key,
    timeoutMs: opts.timeoutMs ?? 3000,
    maxBytes,
    versionId,
    region,
    client,
  };
  return lazyRemote(front, async () => (await import('../../engines.js')).s3Source(plan));
}
