import { describe, expect, it } from 'vitest';
import { fromS3, type S3Location } from '../../src/index.js';
import { configError } from '../helpers.js';

describe('fromS3 says what is wrong with its target', () => {
  it.each([
    [undefined, 'fromS3 expects "s3://bucket/key" or { bucket, key }, got undefined'],
    [null, 'fromS3 expects "s3://bucket/key" or { bucket, key }, got null'],
    [42, 'fromS3 expects "s3://bucket/key" or { bucket, key }, got a number'],
    [{ key: 'k' }, 'fromS3: { bucket, key } needs bucket as a string, got undefined'],
  ])('%o', async (target, message) => {
    const err = await configError(() => fromS3(target as unknown as S3Location));
    expect(err.code).toBe('USAGE');
    expect(err.message).toBe(message);
  });

  it.each(['My Bucket', 'ab', 'bad/name'])('states the bucket-name rule for "%s"', async (bucket) => {
    const err = await configError(() => fromS3({ bucket, key: 'k' }));
    expect(err.message).toBe(
      `fromS3: "${bucket}" is not a valid bucket name: bucket names are 3-63 characters: lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit (buckets made in us-east-1 before 2018 may also have capitals and underscores, up to 255 characters)`,
    );
  });

  it('still accepts a legacy us-east-1 name with capitals and underscores', () => {
    expect(fromS3('s3://Legacy_Bucket/k').name).toBe('s3://Legacy_Bucket/k');
  });
});
