import { ConfigError } from '../../errors.js';

/** Where an S3 layer lives: `fromS3({ bucket, key })` is `fromS3('s3://bucket/key')`. */
export interface S3Location {
  /** The bucket's name, e.g. `my-app-config`. */
  bucket: string;
  /** The object's key, e.g. `prod/config.json5` (taken literally, not URL-decoded). */
  key: string;
}

// Bucket names as S3 accepts them, legacy us-east-1 names (capitals, underscores) included.
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{2,254}$/;
const MAX_KEY_BYTES = 1024;

const BUCKET_RULE =
  'bucket names are 3-63 characters: lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit (buckets made in us-east-1 before 2018 may also have capitals and underscores, up to 255 characters)';

/** What a wrong argument was, in words: `undefined`, `null`, `a number`, `an array`. */
function described(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function usage(message: string, target: unknown): ConfigError {
  return new ConfigError('USAGE', message, { target: typeof target === 'string' ? target : undefined });
}

/** `s3://bucket/key` or `{ bucket, key }`, checked at once (the factory throws `USAGE`, never the load). */
export function parseS3Target(target: string | S3Location): S3Location {
  let bucket: unknown;
  let key: unknown;
  if (typeof target === 'string') {
    if (!target.startsWith('s3://')) {
      throw usage(`fromS3 expects "s3://bucket/key" or { bucket, key }, not "${target}"`, target);
    }
    const rest = target.slice('s3://'.length);
    const slash = rest.indexOf('/');
    bucket = slash < 0 ? rest : rest.slice(0, slash);
    key = slash < 0 ? '' : rest.slice(slash + 1);
  } else if (typeof target === 'object' && target !== null) {
    ({ bucket, key } = target);
  } else {
    throw usage(`fromS3 expects "s3://bucket/key" or { bucket, key }, got ${described(target)}`, target);
  }
  if (typeof bucket !== 'string') {
    throw usage(`fromS3: { bucket, key } needs bucket as a string, got ${described(bucket)}`, target);
  }
  if (!BUCKET.test(bucket)) {
    throw usage(`fromS3: "${bucket}" is not a valid bucket name: ${BUCKET_RULE}`, target);
  }
  if (typeof key !== 'string' || key === '' || Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw usage(`fromS3: the object key is missing or too long (s3://${bucket}/<key>)`, target);
  }
  return { bucket, key };
}

function positive(value: unknown, what: string, integer: boolean): void {
  const ok = typeof value === 'number' && value > 0 && Number.isFinite(value);
  if (!ok || (integer && !Number.isInteger(value))) {
    throw new ConfigError('USAGE', `fromS3: ${what} must be a positive ${integer ? 'integer' : 'number'}`);
  }
}

function nonEmpty(value: unknown, what: string): void {
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError('USAGE', `fromS3: ${what} must be a non-empty string`);
  }
}

/** Checks the option values a caller passed; `undefined` means the default. */
export function validateS3Options(opts: {
  optional?: unknown;
  name?: unknown;
  client?: unknown;
  region?: unknown;
  timeoutMs?: unknown;
  versionId?: unknown;
  maxBytes?: unknown;
  enabled?: unknown;
}): void {
  if (typeof opts !== 'object' || opts === null)
    throw new ConfigError('USAGE', 'fromS3: options must be an object');
  if (opts.optional !== undefined && typeof opts.optional !== 'boolean') {
    throw new ConfigError('USAGE', 'fromS3: optional must be true or false');
  }
  if (opts.enabled !== undefined && typeof opts.enabled !== 'boolean') {
    throw new ConfigError('USAGE', 'fromS3: enabled must be true or false');
  }
  if (opts.name !== undefined) nonEmpty(opts.name, 'name');
  if (opts.region !== undefined) nonEmpty(opts.region, 'region');
  if (opts.versionId !== undefined) nonEmpty(opts.versionId, 'versionId');
  if (opts.timeoutMs !== undefined) positive(opts.timeoutMs, 'timeoutMs', false);
  if (opts.maxBytes !== undefined) positive(opts.maxBytes, 'maxBytes', true);
  if (opts.client !== undefined && typeof (opts.client as { send?: unknown })?.send !== 'function') {
    throw new ConfigError('USAGE', 'fromS3: client must be an S3Client (an object with a send method)');
  }
}
