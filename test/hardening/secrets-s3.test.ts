import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { NoSuchKey } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { fromObject, fromS3, loadConfig, resetConfigCache, type Source } from '../../src/index.js';
import { resetSharedClients } from '../../src/sources/s3/sdk.js';
import { captureWarnings } from '../../src/testing.js';
import { cli } from '../cli/run-cli.js';
import { seedObjects, stubS3Env } from '../setup/s3.js';
import { expectNoSecrets, surfaces } from './leaks.js';

/**
 * Secrets planted in S3 bodies and in the AWS credentials, then every S3 error and warning path
 * (the real SDK against s3rver and against a raw HTTP server that breaks off mid-body): no planted
 * string in any message, details, stack, cause, JSON or util.inspect form, warning, or CLI output.
 */

const BUCKET = 'strataconf-hardening-secrets';
const url = (key: string) => `s3://${BUCKET}/${key}`;
const AWS = {
  AWS_SECRET_ACCESS_KEY: 'aws-secret-PLANTED-wJalrXUtnFEMIK7MDENG',
  AWS_SESSION_TOKEN: 'aws-session-PLANTED-FwoGZXIvYXdzEJr',
};
const LAYER = {
  password: 's3-db-password-PLANTED-1',
  apiKey: 's3-api-key-PLANTED-2',
  token: 's3-token-PLANTED-3',
  other: 's3-other-PLANTED-4',
};
const SECRETS = [...Object.values(AWS), ...Object.values(LAYER)];
const body = (extra = '') =>
  `{ db: { password: '${LAYER.password}' }, apiKey: '${LAYER.apiKey}', tokens: ['${LAYER.token}']${extra} }`;

const OBJECTS: Record<string, string | Buffer> = {
  'good.json5': body(),
  'corrupt.json5': `${body()} trailing '${LAYER.other}'`,
  'corrupt-early.json5': `{ db: { password: ${LAYER.password} } }`,
  'not-utf8.json5': Buffer.concat([
    Buffer.from(body().slice(0, -1)),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('}'),
  ]),
  'huge.json5': `{ blob: '${LAYER.other.repeat(80_000)}' }`,
  'wrong-types.json5': `{ db: { port: '${LAYER.other}', password: '${LAYER.password}' }, apiKey: 42 }`,
  'unsafe.json5': body(`, constructor: { secret: '${LAYER.other}' }`),
  'override-missing.json5': body(", replica: { $override: 'set the replica' }"),
};

const schema = z.object({
  db: z.object({ port: z.number(), password: z.string().meta({ secret: true }) }),
  apiKey: z.string(),
});
const base = () =>
  fromObject({ db: { port: 5432, password: 'x' }, apiKey: 'x', tokens: [] as string[] }, { name: 'base' });

const cases: [string, string, () => { sources: Source[]; schema?: z.ZodType }][] = [
  ['a corrupt body', 'PARSE_ERROR', () => ({ sources: [fromS3(url('corrupt.json5'))] })],
  [
    'a bare secret where a value belongs',
    'PARSE_ERROR',
    () => ({ sources: [fromS3(url('corrupt-early.json5'))] }),
  ],
  ['a body that is not UTF-8', 'PARSE_ERROR', () => ({ sources: [fromS3(url('not-utf8.json5'))] })],
  ['a body above maxBytes', 'PARSE_ERROR', () => ({ sources: [fromS3(url('huge.json5'))] })],
  [
    'a body that fails the schema',
    'VALIDATION_ERROR',
    () => ({ schema, sources: [base(), fromS3(url('wrong-types.json5'))] }),
  ],
  ['a forbidden key beside secrets', 'UNSAFE_KEY', () => ({ sources: [fromS3(url('unsafe.json5'))] })],
  [
    'an $override left unset beside secrets',
    'OVERRIDE_MISSING',
    () => ({ sources: [fromS3(url('override-missing.json5'))] }),
  ],
  [
    'a missing required object',
    'SOURCE_UNAVAILABLE',
    () => ({ sources: [fromS3(url('good.json5')), fromS3(url('missing.json5'), { optional: false })] }),
  ],
];

// Seeding is quick, but not within vitest's 10 s hook limit on a busy machine.
beforeAll(() => seedObjects(BUCKET, OBJECTS), 120_000);
beforeEach(() => {
  stubS3Env();
  for (const [name, value] of Object.entries(AWS)) vi.stubEnv(name, value);
});
afterEach(() => {
  resetConfigCache();
  resetSharedClients();
});

describe('no secret in S3 errors (s3rver)', () => {
  it.each(cases)('%s (%s)', async (_what, code, make) => {
    const logger = captureWarnings();
    const outcome = await loadConfig({ ...make(), logger }).catch((err: unknown) => err);
    expect(outcome).toMatchObject({ code });
    expectNoSecrets(surfaces(outcome, logger.warnings), SECRETS);
  });

  it('a wrong access key: the required layer fails, the optional one warns, neither shows a credential', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAWRONGKEY0000');
    const logger = captureWarnings();
    const required = await loadConfig({ sources: [fromS3(url('good.json5'), { optional: false })] }).catch(
      (err: unknown) => err,
    );
    expect(required).toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    await loadConfig({ sources: [base(), fromS3(url('good.json5'))], logger });
    expect(logger.codes()).toEqual(['SOURCE_DROPPED']);
    expectNoSecrets(surfaces(required, logger.warnings), SECRETS);
  });

  it('keeps the SDK error as the cause (its class, code and status) without the raw HTTP exchange', async () => {
    const err = await loadConfig({ sources: [fromS3(url('missing.json5'), { optional: false })] }).catch(
      (e: unknown) => e as Error,
    );
    expect(err.cause).toBeInstanceOf(NoSuchKey);
    expect(err.cause).toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    expect(Object.hasOwn(err.cause as object, '$response')).toBe(false);
  });

  it('an override of a secret by an S3 layer warns with path and sources only', async () => {
    const logger = captureWarnings();
    await loadConfig({ sources: [base(), fromS3(url('good.json5'))], logger });
    expect(logger.warnings.map((w) => w.message)).toEqual(
      ['db.password', 'apiKey', 'tokens'].map((p) => `${p} from base was overridden by ${url('good.json5')}`),
    );
    expectNoSecrets(surfaces(undefined, logger.warnings), SECRETS);
  });
});

describe('no secret when an S3 download breaks (raw HTTP server)', () => {
  let server: Server;
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  const partial = body().slice(0, 60);
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() =>
    vi.stubEnv('AWS_ENDPOINT_URL_S3', `http://127.0.0.1:${(server.address() as { port: number }).port}`),
  );

  it.each([
    ['reset mid-body', (res: ServerResponse) => res.socket?.resetAndDestroy()],
    ['truncated', (res: ServerResponse) => res.socket?.end()],
    ['stalled until timeoutMs', () => {}],
  ])('%s after secret bytes: SOURCE_UNAVAILABLE without them', async (_what, breakOff) => {
    handler = (_req, res) => {
      res.writeHead(200, { etag: '"p"', 'content-length': 1000 });
      res.write(partial, () => setTimeout(() => breakOff(res), 20));
    };
    const outcome = await loadConfig({
      sources: [fromS3('s3://any-bucket/prod.json5', { optional: false, timeoutMs: 300 })],
    }).catch((err: unknown) => err);
    expect(outcome).toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    expectNoSecrets(surfaces(outcome), SECRETS);
  });

  it('a reload that fails (stale layer kept, then a corrupt body) warns without values', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const logger = captureWarnings();
      const load = () => loadConfig({ sources: [fromS3('s3://any-bucket/prod.json5')], logger, maxAge: 10 });
      handler = (_req, res) => res.writeHead(200, { etag: '"v1"' }).end(body());
      await load();
      handler = (_req, res) => res.writeHead(500).end(`<Error><Code>InternalError</Code></Error>`);
      vi.setSystemTime(Date.now() + 11);
      await load();
      handler = (_req, res) => res.writeHead(200, { etag: '"v2"' }).end(`${body()} '${LAYER.other}'`);
      vi.setSystemTime(Date.now() + 11);
      await load();
      expect(logger.codes()).toEqual(['SOURCE_STALE', 'RELOAD_FAILED']);
      expectNoSecrets(surfaces(undefined, logger.warnings), SECRETS);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('no secret from the CLI with S3 layers (s3rver)', () => {
  it.each([
    [['print', '--s3', url('good.json5')], 0],
    [['print', '--s3', url('good.json5'), '--explain'], 0],
    [['print', '--s3', url('good.json5'), '--format', 'env', '--prefix', 'APP_'], 0],
    [['get', 'db', '--s3', url('good.json5')], 0],
    [['print', '--s3', url('corrupt.json5')], 1],
    [['validate', '--s3', url('not-utf8.json5')], 1],
    [['print', '--s3', url('huge.json5')], 1],
    [['print', '--s3', url('unsafe.json5')], 1],
    [['print', '--s3', url('good.json5'), '--required-s3', url('missing.json5')], 1],
    [['diff', '--s3', url('good.json5'), '--', '--s3', url('override-missing.json5')], 1],
  ])('%j exits %i with no secret', async (argv, code) => {
    const result = await cli(argv as string[], { env: { ...AWS } });
    expect(result.code).toBe(code);
    expectNoSecrets(`${result.stdout}\n${result.stderr}`, SECRETS);
  });
});
