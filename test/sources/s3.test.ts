import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, explainConfig, fromS3, loadConfig } from '../../src/index.js';
import { fixture } from '../helpers.js';
import { sourceContract } from './contract.js';
import {
  base,
  GetObjectCommand,
  getObjectInputs,
  objectOutput,
  S3Client,
  s3Fixture,
  TARGET,
  useMockedS3,
} from './s3-mock.js';

const s3 = useMockedS3();

sourceContract({
  kind: 'fromS3',
  make: () => {
    s3.on(GetObjectCommand).callsFake(
      objectOutput(readFileSync(fixture('contract', 'app.json5'), 'utf8'), '"contract"'),
    );
    return fromS3('s3://contract-bucket/app.json5');
  },
});

describe('fromS3 options', () => {
  it('is named s3://bucket/key and optional by default, from a URL or a { bucket, key }', () => {
    for (const source of [fromS3(TARGET), fromS3({ bucket: 'orders-config', key: 'prod.json5' })]) {
      expect(source.name).toBe(TARGET);
      expect(source.optional).toBe(true);
    }
    expect(fromS3(TARGET, { name: 'prod overrides', optional: false })).toMatchObject({
      name: 'prod overrides',
      optional: false,
    });
  });

  it.each([
    ['a URL without s3://', 'orders-config/prod.json5'],
    ['an https URL', 'https://orders-config.s3.amazonaws.com/prod.json5'],
    ['no bucket', 's3:///prod.json5'],
    ['no key', 's3://orders-config'],
    ['an empty key', 's3://orders-config/'],
    ['a bucket with a space', { bucket: 'orders config', key: 'prod.json5' }],
    ['a missing key field', { bucket: 'orders-config' }],
  ])('refuses %s at once with USAGE', (_, target) => {
    expect(() => fromS3(target as string)).toThrowError(expect.objectContaining({ code: 'USAGE' }));
  });

  it.each([
    { timeoutMs: 0 },
    { timeoutMs: Number.NaN },
    { maxBytes: 1.5 },
    { maxBytes: -1 },
    { region: '' },
    { versionId: '' },
    { optional: 'yes' },
    { client: {} },
  ])('refuses the option %o at once with USAGE', (opts) => {
    const err = (() => {
      try {
        fromS3(TARGET, opts as object);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('USAGE');
  });

  it('shares the cache between equivalent sources, and keeps pinned versions apart', async () => {
    s3.on(GetObjectCommand).callsFake(objectOutput('{ a: 1 }', '"e1"'));
    const first = await loadConfig({ sources: [fromS3(TARGET)] });
    expect(await loadConfig({ sources: [fromS3({ bucket: 'orders-config', key: 'prod.json5' })] })).toBe(
      first,
    );
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
    const pinned = await loadConfig({ sources: [fromS3(TARGET, { versionId: 'v1' })] });
    expect(pinned).not.toBe(first);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(2);
  });
});

describe('fromS3 loading', () => {
  it('overrides the bundled file with the object, and explainConfig names the object and its ETag', async () => {
    s3.on(GetObjectCommand).callsFake(objectOutput(s3Fixture('prod.json5'), '"etag-1"'));
    const config = await loadConfig({ sources: [base(), fromS3(TARGET)] });
    expect(config).toMatchObject({ service: 'orders', db: { port: 5432, pool: 10 } });
    expect(getObjectInputs(s3)).toEqual([{ Bucket: 'orders-config', Key: 'prod.json5' }]);
    const pool = explainConfig(config).find((row) => row.path.join('.') === 'db.pool');
    expect(pool).toMatchObject({
      source: TARGET,
      sourceVersion: 'ETag "etag-1"',
      overridden: [fixture('s3', 'base.json5')],
    });
    const port = explainConfig(config).find((row) => row.path.join('.') === 'db.port');
    expect(port).not.toHaveProperty('sourceVersion');
  });

  it('reads a pinned version and explainConfig shows it', async () => {
    s3.on(GetObjectCommand, { VersionId: 'v42' }).callsFake(
      objectOutput('{ db: { pool: 7 } }', '"e7"', { VersionId: 'v42' }),
    );
    const config = await loadConfig({ sources: [fromS3(TARGET, { versionId: 'v42' })] });
    expect(config).toEqual({ db: { pool: 7 } });
    expect(explainConfig(config)[0]?.sourceVersion).toBe('ETag "e7", versionId v42');
  });

  it('uses the caller’s client and creates none of its own', async () => {
    const mine = new S3Client({ region: 'eu-west-1' });
    const seen = new Set<unknown>();
    s3.on(GetObjectCommand).callsFake((_input, getClient) => {
      seen.add(getClient());
      return objectOutput('{ from: "mine" }', '"m"')();
    });
    expect(await loadConfig({ sources: [fromS3(TARGET, { client: mine })] })).toEqual({ from: 'mine' });
    expect([...seen]).toEqual([mine]);
  });

  it('creates one client per region, with bounded retries, and reuses it across loads', async () => {
    const seen: S3Client[] = [];
    s3.on(GetObjectCommand).callsFake((input, getClient) => {
      seen.push(getClient() as S3Client);
      return objectOutput(`{ key: "${input.Key}" }`, `"${input.Key}"`)();
    });
    // Each load a definition of its own (its own keys), so none is served from the cache.
    const sources = (region: string | undefined, n: number) => [
      fromS3(`s3://orders-config/one-${n}.json5`, { region }),
      fromS3(`s3://orders-config/two-${n}.json5`, { region }),
    ];
    for (const [n, region] of [undefined, 'eu-west-1', undefined].entries()) {
      await loadConfig({ sources: sources(region, n), overrides: 'ignore' });
    }
    const [first] = seen;
    // Calls 1-2 and 5-6 share the default region's client; calls 3-4 share eu-west-1's.
    expect(seen.map((c) => (c === first ? 'default' : 'eu-west-1'))).toEqual([
      'default',
      'default',
      'eu-west-1',
      'eu-west-1',
      'default',
      'default',
    ]);
    expect(await first?.config.region()).toBe('us-east-1');
    expect(await seen[2]?.config.region()).toBe('eu-west-1');
    // One attempt per call: strataconf's own retry policy retries, the same on both paths.
    expect(await first?.config.maxAttempts()).toBe(1);
  });

  it('reads a body that arrives in many chunks', async () => {
    const chunks = ['{ db: ', '{ pool: ', '3 } }'].map((c) => Buffer.from(c));
    s3.on(GetObjectCommand).callsFake(() => ({ Body: Readable.from(chunks), ETag: '"c"' }));
    expect(await loadConfig({ sources: [fromS3(TARGET)] })).toEqual({ db: { pool: 3 } });
  });
});
