import type { S3Descriptor } from '../../descriptor.js';
import { decodeText, type Format, parseLayerText } from '../../formats/index.js';
import type { Source } from '../../types.js';
import { type Connection, connectAws } from '../remote/connect.js';
import { type FetchContext, type Fetched, NOT_MODIFIED, remoteSource } from '../remote/source.js';
import { isNotModified, S3_ERRORS } from './errors.js';
import { readBody } from './layer.js';
import { lightS3 } from './light.js';
import { sdkS3 } from './sdk.js';
import { objectFormat, parseS3Target, type S3Location, validateS3Options } from './target.js';
import type { GetObjectOutput, S3Api, S3ClientLike } from './wire.js';

export type { S3Location } from './target.js';
export type { S3ClientLike } from './wire.js';

/**
 * Attempts per GetObject that strataconf sends itself (the light path and its own SDK clients): one
 * retry rides out a blip (a throttle, a 5xx, a reset connection); more would spend the Lambda's time
 * that `timeoutMs` is there to protect.
 */
export const MAX_ATTEMPTS = 2;

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

/** What one load of the object produced: its ETag, its text, how it was read and the parsed layer. */
interface Loaded extends Fetched {
  etag: string | undefined;
  text: string;
  format: Format;
}

function versionLabel(etag: string | undefined, versionId: string | undefined): string | undefined {
  const parts = [etag && `ETag ${etag}`, versionId && `versionId ${versionId}`].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : undefined;
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

  async function toLayer(response: GetObjectOutput, ctx: FetchContext<Loaded>): Promise<Loaded> {
    const { last, signal } = ctx;
    const bytes = await readBody(response.Body, response.ContentLength, { name, maxBytes, signal });
    const etag = response.ETag;
    const text = decodeText(bytes, name, 'object');
    const version = versionLabel(etag, response.VersionId ?? versionId);
    const format = objectFormat(key, response.ContentType);
    // A server that ignores IfNoneMatch, or a re-upload of the same text: still the same layer.
    const same = last && ((etag !== undefined && etag === last.etag) || text === last.text);
    const reuse = same && last.format === format;
    const layer = reuse && last ? last.layer : await parseLayerText(text, format, name);
    return { etag, text, format, layer, details: { etag }, ...(version === undefined ? {} : { version }) };
  }

  const descriptor: S3Descriptor = {
    store: 's3',
    bucket,
    key,
    ...(versionId === undefined ? {} : { versionId }),
    ...(region === undefined ? {} : { region }),
    ...(client === undefined ? {} : { client }),
  };
  return remoteSource<Connection<S3Api>, Loaded>({
    name,
    optional: opts.optional ?? true,
    ...(opts.enabled === undefined ? {} : { enabled: opts.enabled }),
    descriptor,
    timeoutMs: opts.timeoutMs ?? 3000,
    errors: S3_ERRORS,
    // Importing the SDK on a cold start is not S3's answer time: timeoutMs starts after it (the
    // pipeline still bounds the whole load by the Lambda deadline).
    connect: () =>
      connectAws({
        ...(client === undefined ? {} : { client }),
        light: () => lightS3(region),
        sdk: (c) => sdkS3(c, region),
        attempts: MAX_ATTEMPTS,
      }),
    async fetch(connection, ctx) {
      const input = { Bucket: bucket, Key: key, VersionId: versionId, IfNoneMatch: ctx.last?.etag };
      const response = await connection.call(ctx.budget, (s3, signal) =>
        s3.getObject(input, signal, ctx.logger).catch((err: unknown): typeof NOT_MODIFIED => {
          // A 304 is an answer, not a failure: it ends the retries.
          if (ctx.last !== undefined && isNotModified(err)) return NOT_MODIFIED;
          throw err;
        }),
      );
      return response === NOT_MODIFIED ? NOT_MODIFIED : toLayer(response, ctx);
    },
  });
}
