import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Call, Store } from './call.js';
import type { ReceivedRequest } from './sigv4.js';
import type { LocalS3Object } from './types.js';
import { type Answer, AwsFailure } from './wire.js';

/**
 * S3 GetObject and HeadObject, path-style (`/bucket/key`) or virtual-hosted (`bucket.localhost`,
 * the form the SDK sends to a custom endpoint that is a host name): ETags, versions,
 * `If-None-Match` (304), `If-Match` (412), `If-Modified-Since`, `NoSuchKey` and `NoSuchBucket`.
 * Every new body is a new version, as in a versioned bucket.
 */

interface Version {
  id: string;
  body: Buffer;
  etag: string;
  contentType: string;
  /** ms, whole seconds (HTTP dates have no more). */
  modified: number;
}

/** What `aws s3 cp` would store for a file without a content type of its own. */
const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  yaml: 'application/x-yaml',
  yml: 'application/x-yaml',
  txt: 'text/plain',
};

function guessType(key: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(key)?.[1]?.toLowerCase() ?? '';
  return CONTENT_TYPES[ext] ?? 'binary/octet-stream';
}

/** `"bucket/key"` -> its two parts; a TypeError for a name without a bucket. */
export function splitS3Name(name: string): [string, string] {
  const slash = name.indexOf('/');
  const bucket = name.slice(0, Math.max(slash, 0));
  // S3's rules, with the capitals and underscores of buckets made in us-east-1 before 2018.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/.test(bucket))
    throw new TypeError(
      `an S3 object is named "bucket/key" with a valid bucket name, not ${JSON.stringify(name)}`,
    );
  return [bucket, name.slice(slash + 1)];
}

const decode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

function operationOf(method: string, bucket: string, key: string): string {
  if (bucket === '') return method === 'GET' ? 'ListBuckets' : method;
  if (key === '')
    return method === 'GET' ? 'ListObjects' : method === 'HEAD' ? 'HeadBucket' : `${method} bucket`;
  return { GET: 'GetObject', HEAD: 'HeadObject', PUT: 'PutObject', DELETE: 'DeleteObject' }[method] ?? method;
}

/** Parses an S3 request: the bucket from the host (`bucket.localhost`) or the path's first segment. */
export function parseS3(req: ReceivedRequest): Call {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
  const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
  const virtual = host.endsWith('.localhost') ? host.slice(0, -'.localhost'.length) : undefined;
  const [first = '', ...rest] = path.slice(1).split('/');
  const bucket = virtual ?? decode(first);
  const key = decode(virtual === undefined ? rest.join('/') : path.slice(1));
  const input: Record<string, unknown> = { Bucket: bucket, Key: key };
  const versionId = query.get('versionId');
  if (versionId !== null) input.VersionId = versionId;
  for (const [name, field] of [
    ['if-none-match', 'IfNoneMatch'],
    ['if-match', 'IfMatch'],
  ] as const) {
    const value = req.headers[name];
    if (typeof value === 'string') input[field] = value;
  }
  return {
    service: 's3',
    format: 's3',
    operation: operationOf(req.method, bucket, key),
    input,
    resource: `${bucket}/${key}`,
    arn: () => `arn:aws:s3:::${bucket}/${key}`,
  };
}

const matches = (list: string, etag: string) =>
  list.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === '*' || t === etag;
  });

/** 304 or 412 when the request's conditions say so, as S3 weighs them. */
function precondition(headers: IncomingHttpHeaders, v: Version): 304 | 412 | undefined {
  const since = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' ? Date.parse(value) : Number.NaN;
  };
  const ifMatch = headers['if-match'];
  const ifNoneMatch = headers['if-none-match'];
  if (typeof ifMatch === 'string' && !matches(ifMatch, v.etag)) return 412;
  if (ifMatch === undefined && v.modified > since('if-unmodified-since')) return 412;
  if (typeof ifNoneMatch === 'string') return matches(ifNoneMatch, v.etag) ? 304 : undefined;
  return v.modified <= since('if-modified-since') ? 304 : undefined;
}

/** The objects of every bucket, each with its versions, oldest first. */
export class S3Store implements Store {
  private readonly buckets = new Map<string, Map<string, Version[]>>();

  put(name: string, object: LocalS3Object): void {
    const [bucket, key] = splitS3Name(name);
    const objects = this.buckets.get(bucket) ?? new Map<string, Version[]>();
    this.buckets.set(bucket, objects);
    if (key === '') return;
    const given = typeof object === 'object' && !(object instanceof Uint8Array) ? object : { body: object };
    const body = Buffer.from(given.body);
    const contentType = given.contentType ?? guessType(key);
    const versions = objects.get(key) ?? [];
    const latest = versions.at(-1);
    if (latest && latest.contentType === contentType && latest.body.equals(body)) return;
    versions.push({
      id: randomBytes(24).toString('base64url'),
      body,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      contentType,
      modified: Math.floor(Date.now() / 1000) * 1000,
    });
    objects.set(key, versions);
  }

  /** Removes an object (every version); its bucket stays. */
  remove(name: string): void {
    const [bucket, key] = splitS3Name(name);
    this.buckets.get(bucket)?.delete(key);
  }

  serve(call: Call, _region: string, { headers }: ReceivedRequest): Answer {
    if (call.operation !== 'GetObject' && call.operation !== 'HeadObject') {
      throw new AwsFailure(
        501,
        'NotImplemented',
        `this local S3 serves GetObject and HeadObject, not ${call.operation}; seed objects with startLocalAws or put()`,
      );
    }
    const { Bucket, Key, VersionId } = call.input as { Bucket: string; Key: string; VersionId?: string };
    const objects = this.buckets.get(Bucket);
    if (!objects)
      throw new AwsFailure(404, 'NoSuchBucket', 'The specified bucket does not exist', {
        BucketName: Bucket,
      });
    const versions = objects.get(Key);
    if (!versions) throw new AwsFailure(404, 'NoSuchKey', 'The specified key does not exist.', { Key });
    const v = VersionId === undefined ? versions.at(-1) : versions.find((x) => x.id === VersionId);
    if (!v)
      throw new AwsFailure(404, 'NoSuchVersion', 'The specified version does not exist.', {
        Key,
        VersionId: VersionId ?? '',
      });
    const meta = {
      etag: v.etag,
      'last-modified': new Date(v.modified).toUTCString(),
      'x-amz-version-id': v.id,
    };
    const condition = precondition(headers, v);
    if (condition === 304) return { status: 304, headers: meta };
    if (condition === 412)
      throw new AwsFailure(
        412,
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        {
          Condition: headers['if-match'] === undefined ? 'If-Unmodified-Since' : 'If-Match',
        },
      );
    return {
      status: 200,
      headers: {
        ...meta,
        'content-type': v.contentType,
        'content-length': String(v.body.length),
        'accept-ranges': 'bytes',
      },
      body: v.body,
    };
  }
}
