import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { explainConfig, fromEnv, fromFile, fromS3, loadConfig, resetConfigCache } from '../../src/index.js';
import { resetSharedClients } from '../../src/sources/s3/sdk.js';
import { captureWarnings } from '../../src/testing.js';
import { tempDir } from '../helpers.js';
import { putObject, seedObjects, stubS3Env, testS3Client } from '../setup/s3.js';

/**
 * A reload that fails at any step (a source, parsing, the key check, the markers, the schema, env
 * coercion) after other layers already changed: every caller keeps the previous config, whole and
 * the same object, never a mix of new and old layers; once the fault is fixed, the next reload
 * serves the new layers together.
 */

const BUCKET = 'strataconf-hardening-reload';
const MAX_AGE = 60_000;
const dir = tempDir('reload');

const schema = z.object({
  service: z.string(),
  version: z.string(),
  db: z.object({ host: z.string(), port: z.number() }),
  limits: z.object({ rps: z.number() }),
});

interface Stack {
  file: string;
  s3: string;
  env: Record<string, string>;
}

const V1: Stack = {
  file: "{ service: 'orders', version: 'v1', db: { host: 'db-v1', port: 5432 }, limits: { $default: { rps: 1 } } }",
  s3: "{ db: { host: 'db-s3-v1' }, limits: { rps: 10 } }",
  env: { APP_DB__PORT: '5433' },
};
const V2: Stack = {
  file: "{ service: 'orders', version: 'v2', db: { host: 'db-v2', port: 6432 }, limits: { $default: { rps: 2 } } }",
  s3: "{ db: { host: 'db-s3-v2' }, limits: { rps: 20 } }",
  env: { APP_DB__PORT: '6433' },
};

/** Each fault: how it breaks the v2 stack (the other layers have already moved to v2). */
const faults: { step: string; code: string; broken: (s: Stack) => Partial<Stack> | 'delete-s3' }[] = [
  { step: 'the required S3 object is gone', code: 'SOURCE_UNAVAILABLE', broken: () => 'delete-s3' },
  { step: 'the S3 object does not parse', code: 'PARSE_ERROR', broken: (s) => ({ s3: s.s3.slice(0, -3) }) },
  { step: 'the file does not parse', code: 'PARSE_ERROR', broken: (s) => ({ file: `${s.file} }` }) },
  {
    step: 'the S3 object holds a forbidden key',
    code: 'UNSAFE_KEY',
    broken: () => ({ s3: "{ db: { host: 'db-s3-v2', constructor: { prototype: {} } } }" }),
  },
  {
    step: 'the file leaves an $override unset',
    code: 'OVERRIDE_MISSING',
    broken: (s) => ({ file: s.file.replace("version: 'v2'", "version: { $override: 'set it' }") }),
  },
  {
    step: 'the S3 object fails the schema',
    code: 'VALIDATION_ERROR',
    broken: () => ({ s3: "{ db: { host: 'db-s3-v2' }, limits: { rps: 'many' } }" }),
  },
  {
    step: 'an env variable cannot be coerced',
    code: 'VALIDATION_ERROR',
    broken: () => ({ env: { APP_DB__PORT: 'x' } }),
  },
];

const s3 = { client: undefined as ReturnType<typeof testS3Client> | undefined };
beforeAll(async () => {
  await seedObjects(BUCKET, {});
  s3.client = testS3Client();
});
beforeEach(() => {
  stubS3Env();
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  resetConfigCache();
  resetSharedClients();
});

let n = 0;
async function stackAt(stack: Stack, key: string, file: string, env: Record<string, string>): Promise<void> {
  writeFileSync(file, stack.file);
  await putObject(BUCKET, key, stack.s3);
  for (const name of Object.keys(env)) delete env[name];
  Object.assign(env, stack.env);
}

describe('a reload that fails midway', () => {
  it.each(faults)(
    'when $step ($code), serves the previous config whole to every caller',
    async ({ broken, code }) => {
      const key = `reload-${n}.json5`;
      const file = join(dir, `base-${n++}.json5`);
      const env: Record<string, string> = {};
      const logger = captureWarnings();
      // Built once, as process.env is read: an env object's variables are part of the cache key when
      // the source is built, so a source rebuilt after `env` changed would be another definition.
      const variables = fromEnv({ prefix: 'APP_', env });
      const load = () =>
        loadConfig({
          schema,
          logger,
          maxAge: MAX_AGE,
          overrides: 'ignore',
          sources: [fromFile(file), fromS3(`s3://${BUCKET}/${key}`, { optional: false }), variables],
        });
      await stackAt(V1, key, file, env);
      const first = await load();
      const v1 = {
        service: 'orders',
        version: 'v1',
        db: { host: 'db-s3-v1', port: 5433 },
        limits: { rps: 10 },
      };
      expect(first).toEqual(v1);
      const provenance = explainConfig(first);

      // Every layer moves to v2, then one of them breaks.
      await stackAt(V2, key, file, env);
      const change = broken(V2);
      if (change === 'delete-s3')
        await s3.client?.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
      else await stackAt({ ...V2, ...change }, key, file, env);
      vi.setSystemTime(Date.now() + MAX_AGE * 1.1);

      const during = await Promise.all(Array.from({ length: 50 }, load));
      for (const config of during) expect(config).toBe(first);
      expect(first).toEqual(v1);
      expect(explainConfig(first)).toEqual(provenance);
      expect(logger.warnings.map((w) => [w.code, w.details.cause])).toEqual([['RELOAD_FAILED', code]]);

      // Fixed: the next reload after maxAge serves every v2 layer together.
      await stackAt(V2, key, file, env);
      vi.setSystemTime(Date.now() + MAX_AGE * 1.1);
      expect(await load()).toEqual({
        service: 'orders',
        version: 'v2',
        db: { host: 'db-s3-v2', port: 6433 },
        limits: { rps: 20 },
      });
    },
  );
});
