import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  explainConfig,
  fromEnv,
  fromFile,
  fromS3,
  loadConfig,
  redact,
  resetConfigCache,
} from '../../src/index.js';
import { resetSharedClients } from '../../src/sources/s3/sdk.js';
import { captureWarnings } from '../../src/testing.js';
import { configError, fixture } from '../helpers.js';
import { putObject, S3_PATHS, seedObjects, stubS3Env } from '../setup/s3.js';

/**
 * A YAML blueprint with markers and a YAML stage layer, from files and from S3 (the local S3 server,
 * both ways strataconf reaches it): they merge, report and fail as JSON5 layers do.
 */

const BUCKET = 'strataconf-it-yaml';
const schema = z.object({
  service: z.string(),
  db: z.object({ host: z.string(), port: z.number(), password: z.string().meta({ secret: true }) }),
  features: z.object({ checkout: z.string(), beta: z.boolean() }),
  retries: z.number(),
});
const base = () => fromFile(fixture('yaml', 'base.yaml'));
const stage = () => fromFile(fixture('yaml', 'prod.yaml'), { name: 'prod.yaml' });
let logger = captureWarnings();

beforeEach(() => {
  logger = captureWarnings();
});
afterEach(() => {
  resetConfigCache();
  resetSharedClients();
});

describe('YAML layers from files', () => {
  it('merges a YAML blueprint and a YAML stage layer with markers, warnings and provenance as JSON5 does', async () => {
    vi.stubEnv('APP_DB__PASSWORD', 's3cr3t-from-env');
    const config = await loadConfig({
      schema,
      logger,
      sources: [base(), stage(), fromEnv({ prefix: 'APP_' })],
    });
    expect(redact(config)).toEqual({
      service: 'orders',
      db: { host: 'prod.db.internal', port: 6432, password: '[redacted]' },
      features: { checkout: 'no-op', beta: true },
      retries: 3,
    });
    expect(logger.warnings.map((w) => [w.code, w.message])).toEqual([
      ['UNKNOWN_KEY', 'retires from prod.yaml is not in the schema; did you mean retries?'],
    ]);
    const row = explainConfig(config).find((r) => r.path.join('.') === 'db.port');
    expect(row).toMatchObject({ source: 'prod.yaml', overridden: [expect.stringMatching(/base\.yaml$/)] });
  });

  it('fails with OVERRIDE_MISSING naming every $override a YAML stage leaves unset, with its doc', async () => {
    const err = await configError(loadConfig({ schema, logger, sources: [base(), stage()] }));
    expect(err.code).toBe('OVERRIDE_MISSING');
    expect(err.message).toContain('db.password');
    expect(err.message).toContain('set APP_DB__PASSWORD from Secrets Manager');
  });

  it('fails a YAML layer with a __proto__ key with UNSAFE_KEY, and leaves Object.prototype alone', async () => {
    const err = await configError(
      loadConfig({ sources: [fromFile(fixture('proto-pollution', 'proto.yaml'))] }),
    );
    expect(err.code).toBe('UNSAFE_KEY');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe.each(S3_PATHS)('a YAML stage layer in S3 (%s path)', (path) => {
  beforeEach(async () => {
    stubS3Env(path);
    vi.stubEnv('APP_DB__PASSWORD', 's3cr3t-from-env');
    await seedObjects(BUCKET, {});
  });

  const load = (target: string) =>
    loadConfig({ schema, logger, sources: [base(), fromS3(target), fromEnv({ prefix: 'APP_' })] });

  it('reads an object whose key ends in .yaml as YAML', async () => {
    await putObject(BUCKET, 'prod.yaml', 'db:\n  host: s3.db.internal # from S3\n');
    const config = await load(`s3://${BUCKET}/prod.yaml`);
    expect(config.db.host).toBe('s3.db.internal');
    expect(explainConfig(config).find((r) => r.path.join('.') === 'db.host')?.source).toBe(
      `s3://${BUCKET}/prod.yaml`,
    );
  });

  it('reads an object without a .yaml key as YAML when its Content-Type says so', async () => {
    await putObject(BUCKET, 'prod-settings', 'db:\n  host: typed.db.internal\n', 'application/x-yaml');
    expect((await load(`s3://${BUCKET}/prod-settings`)).db.host).toBe('typed.db.internal');
  });

  it('reads an object with neither as JSON5, and a .json key as JSON5 whatever its Content-Type', async () => {
    await putObject(BUCKET, 'plain', "{ db: { host: 'json5.db.internal' } }", 'binary/octet-stream');
    expect((await load(`s3://${BUCKET}/plain`)).db.host).toBe('json5.db.internal');
    resetConfigCache();
    await putObject(BUCKET, 'prod.json', "{ db: { host: 'json.db.internal' } } // note", 'text/yaml');
    expect((await load(`s3://${BUCKET}/prod.json`)).db.host).toBe('json.db.internal');
  });

  it('fails an optional YAML object that does not parse with PARSE_ERROR at its line and column', async () => {
    await putObject(BUCKET, 'broken.yml', 'db:\n  host: "s3cr3t-host\n');
    const err = await configError(load(`s3://${BUCKET}/broken.yml`));
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toMatch(
      /^s3:\/\/strataconf-it-yaml\/broken\.yml: invalid YAML at line 3, column 1 \(/,
    );
    expect(err.message).not.toContain('s3cr3t');
  });
});
