import { decodeText, type Format, parseLayerText } from '../../formats/index.js';
import type { Source } from '../../types.js';
import { type Connection, connectAws } from '../remote/connect.js';
import type { RemoteFront } from '../remote/lazy.js';
import { type FetchContext, type Fetched, NOT_MODIFIED, remoteSource } from '../remote/source.js';
import { isNotModified, S3_ERRORS } from './errors.js';
import { objectFormat, readBody } from './layer.js';
import { lightS3 } from './light.js';
import { sdkS3 } from './sdk.js';
import type { GetObjectOutput, S3Api, S3ClientLike } from './wire.js';

/**
 * How an S3 layer reads its object: imported at the layer's first load (source.ts checks the
 * options and says what the layer reads), so a function without remote layers never loads it.
 */

/**
 * Attempts per GetObject that strataconf sends itself (the light path and its own SDK clients): one
 * retry rides out a blip (a throttle, a 5xx, a reset connection); more would spend the Lambda's time
 * that `timeoutMs` is there to protect.
 */
export const MAX_ATTEMPTS = 2;

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

/** What fromS3 checked and decided, for the engine. */
export interface S3Plan extends RemoteFront {
  bucket: string;
  key: string;
  timeoutMs: number;
  maxBytes: number;
  versionId: string | undefined;
  region: string | undefined;
  client: S3ClientLike | undefined;
}

/** The remote source that reads the object (the lifecycle, retries and failure table included). */
export function s3Source(plan: S3Plan): Source {
  const { name, bucket, key, versionId, region, client, maxBytes } = plan;
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

  return remoteSource<Connection<S3Api>, Loaded>({
    name,
    optional: plan.optional,
    descriptor: plan.descriptor,
    timeoutMs: plan.timeoutMs,
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
