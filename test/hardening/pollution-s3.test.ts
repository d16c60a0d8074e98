import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fromObject, fromS3, loadConfig, resetConfigCache } from '../../src/index.js';
import { resetSharedClients } from '../../src/sources/s3/sdk.js';
import { configError } from '../helpers.js';
import { requestsFor, seedObjects, stubS3Env } from '../setup/s3.js';
import { body, GetObjectCommand, S3Client, stubOfflineAwsEnv } from '../sources/s3-mock.js';
import { CASES, json5Text, jsonText, untouched, yamlText } from './pollution.js';

/**
 * Forbidden keys in S3 bodies: through a client mocked with aws-sdk-client-mock, and through the real
 * SDK against the s3rver of the global setup. An optional S3 layer is not dropped for it: a hostile
 * body fails the load with UNSAFE_KEY like a corrupt one fails it with PARSE_ERROR.
 */

const BUCKET = 'strataconf-hardening-pollution';
const base = () => fromObject({ outer: { $default: { fine: true } }, list: [] }, { name: 'base' });
const syntaxes = [
  ['JSON', jsonText, '.json5'],
  ['JSON5', json5Text, '.json5'],
  ['YAML', yamlText, '.yaml'],
] as const;
const rows = syntaxes.flatMap(([syntax, text, ext]) =>
  CASES.map(([key, where, shape], i) => ({
    syntax,
    key,
    where,
    body: text(shape, key),
    object: `${syntax}-${i}${ext}`,
    ext,
  })),
);

afterEach(() => {
  resetConfigCache();
  resetSharedClients();
  untouched();
});

describe('UNSAFE_KEY from an S3 body (aws-sdk-client-mock)', () => {
  // Created here, not at collection time, so the s3rver block below talks to a real client.
  let s3: ReturnType<typeof mockClient>;
  beforeAll(() => {
    s3 = mockClient(S3Client);
  });
  afterAll(() => s3.restore());
  beforeEach(() => stubOfflineAwsEnv());

  it.each(rows)(
    'refuses $key $where in $syntax (optional and required)',
    async ({ key, body: text, ext }) => {
      s3.on(GetObjectCommand).callsFake(() => ({ Body: body(text), ETag: '"p"' }));
      for (const optional of [true, false]) {
        const target = `s3://${BUCKET}/mock${ext}`;
        const err = await configError(loadConfig({ sources: [base(), fromS3(target, { optional })] }));
        expect(err.code).toBe('UNSAFE_KEY');
        expect(err.details.source).toBe(target);
        expect((err.details.path as string[]).at(-1)).toBe(key);
        resetConfigCache();
        untouched();
      }
    },
  );
});

describe('UNSAFE_KEY from an S3 body (s3rver)', () => {
  // Seeding a few dozen objects is quick, but not within vitest's 10 s hook limit on a busy machine.
  beforeAll(() => seedObjects(BUCKET, Object.fromEntries(rows.map((r) => [r.object, r.body]))), 120_000);
  beforeEach(() => stubS3Env());

  it.each(rows)('refuses $key $where in $syntax', async ({ key, object }) => {
    const target = `s3://${BUCKET}/${object}`;
    const err = await configError(loadConfig({ sources: [base(), fromS3(target)] }));
    expect(err.code).toBe('UNSAFE_KEY');
    expect(err.message).toMatch(new RegExp(`^${target}: the key "${key}" at .+ is not allowed`));
    const gets = requestsFor(BUCKET, object).filter((r) => r.method === 'GET');
    expect(gets.map((r) => r.status)).toEqual([200]);
    untouched();
  });
});
