import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestsFor, seedObjects, stubS3Env } from '../setup/s3.js';
import { cli, leaked } from './run-cli.js';

const BUCKET = 'strataconf-cli-test';
const PROD = `s3://${BUCKET}/prod.json5`;

beforeAll(() =>
  seedObjects(BUCKET, {
    'prod.json5':
      "{ db: { host: 'db-from-s3', password: 'hunter2-PLANTED-7f3a' }, features: { beta: true } }",
    'broken.json5': '{ db: ',
  }),
);
// The SDK's default client reads its endpoint and credentials from the environment (the local s3rver).
beforeEach(() => stubS3Env());

describe('CLI S3 layers against a local S3 server', () => {
  it('merges an --s3 object where it stands in the command line, and explains it by its s3:// name', async () => {
    const result = await cli([
      'print',
      '--file',
      'base.json5',
      '--s3',
      PROD,
      '--explain',
      '--format',
      'json',
    ]);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout);
    expect(rows).toContainEqual({
      path: 'db.host',
      value: 'db-from-s3',
      source: PROD,
      overridden: ['base.json5'],
    });
    expect(rows).toContainEqual({
      path: 'db.password',
      value: '[redacted]',
      source: PROD,
      overridden: ['base.json5'],
    });
    expect(leaked(result)).toEqual([]);
    expect(requestsFor(BUCKET, 'prod.json5').some((r) => r.method === 'GET' && r.status === 200)).toBe(true);
  });

  it('drops a missing --s3 object with one warning and carries on', async () => {
    const argv = [
      'get',
      'db.host',
      '--file',
      'base.json5',
      '--file',
      'prod.json5',
      '--s3',
      `s3://${BUCKET}/nope.json5`,
    ];
    const result = await cli(argv);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('prod-db.internal\n');
    expect(result.stderr.match(/SOURCE_DROPPED/g)).toHaveLength(1);
  });

  it('exits 1 with SOURCE_UNAVAILABLE when a --required-s3 object is missing', async () => {
    const result = await cli([
      'validate',
      '--file',
      'base.json5',
      '--required-s3',
      `s3://${BUCKET}/nope.json5`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`SOURCE_UNAVAILABLE: s3://${BUCKET}/nope.json5`);
  });

  it('exits 1 with PARSE_ERROR for an object that is not JSON5, optional or not', async () => {
    const result = await cli(['print', '--s3', `s3://${BUCKET}/broken.json5`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PARSE_ERROR');
  });

  it('reads s3!:// (required) entries of STRATACONF_SOURCES', async () => {
    const env = { STRATACONF_SOURCES: `file:base.json5,s3!://${BUCKET}/prod.json5` };
    const result = await cli(['get', 'features.beta'], { env });
    expect(result.stdout).toBe('true\n');
  });
});
