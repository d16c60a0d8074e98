import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  type ConfigError,
  fromObject,
  fromSecret,
  fromSsm,
  loadConfig,
  resetConfigCache,
  type Source,
} from '../../src/index.js';
import { captureWarnings, type LocalAws, startLocalAws } from '../../src/testing.js';
import { cli } from '../cli/run-cli.js';
import { expectNoSecrets, surfaces } from './leaks.js';

/**
 * Secrets planted in SSM SecureStrings, Secrets Manager secrets and the AWS credentials, then every
 * error and warning path of fromSsm and fromSecret (light transport, signatures checked): no planted
 * string in any message, details, stack, cause, JSON or util.inspect form, warning, or CLI output.
 */

const AWS = {
  AWS_ACCESS_KEY_ID: 'AKIDHARDENING',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-PLANTED-ssm-wJalrXUtnFEMI',
  AWS_SESSION_TOKEN: 'aws-session-PLANTED-ssm-FwoGZXIvYXdz',
};
const PLANTED = {
  port: 'ssm-port-PLANTED-1',
  level: 'ssm-level-PLANTED-2',
  list: 'ssm-list-PLANTED-3',
  password: 'secret-password-PLANTED-4',
  plain: 'secret-plain-PLANTED-5',
  broken: 'secret-broken-PLANTED-6',
  host: 'ssm-secure-host-PLANTED-7',
};
const SECRETS = [...Object.values(AWS), ...Object.values(PLANTED)];
const credentials = {
  accessKeyId: AWS.AWS_ACCESS_KEY_ID,
  secretAccessKey: AWS.AWS_SECRET_ACCESS_KEY,
  sessionToken: AWS.AWS_SESSION_TOKEN,
};

let aws: LocalAws;
beforeAll(async () => {
  const secure = (value: string) => ({ value, type: 'SecureString' as const });
  aws = await startLocalAws(
    {
      ssm: {
        '/bad-port/db/port': secure(PLANTED.port),
        '/bad-level/logLevel': secure(PLANTED.level),
        '/bad-list/db/replicas': secure(`[${PLANTED.list}`),
        '/good/db/password': secure(PLANTED.password),
        '/good/db/host': 'db.internal',
        '/secure/db/host': secure(PLANTED.host),
      },
      secrets: {
        plain: PLANTED.plain,
        broken: `{"password": "${PLANTED.broken}"`,
        rds: { password: PLANTED.password, port: PLANTED.port },
      },
    },
    { credentials },
  );
});
afterAll(() => aws.close());
beforeEach(() => {
  for (const [name, value] of Object.entries(aws.env)) vi.stubEnv(name, value);
});
afterEach(() => {
  aws.clearFaults();
  resetConfigCache();
});

const schema = z.object({
  db: z.object({ port: z.number(), password: z.string(), replicas: z.array(z.string()) }).partial(),
  logLevel: z.enum(['debug', 'info']).optional(),
});

const cases: [string, string, () => { sources: Source[]; schema?: z.ZodType }][] = [
  [
    'a SecureString that is not a number',
    'VALIDATION_ERROR',
    () => ({ schema, sources: [fromSsm('/bad-port/')] }),
  ],
  [
    'a SecureString outside an enum',
    'VALIDATION_ERROR',
    () => ({ schema, sources: [fromSsm('/bad-level/')] }),
  ],
  [
    'a SecureString that is broken JSON5',
    'VALIDATION_ERROR',
    () => ({ schema, sources: [fromSsm('/bad-list/')] }),
  ],
  [
    'a secret of the wrong type',
    'VALIDATION_ERROR',
    () => ({ schema, sources: [fromSecret('rds', { at: 'db' })] }),
  ],
  ['a plain-string secret without at', 'PARSE_ERROR', () => ({ sources: [fromSecret('plain')] })],
  ['a secret that is broken JSON', 'PARSE_ERROR', () => ({ sources: [fromSecret('broken')] })],
  [
    'a missing required secret beside loaded ones',
    'SOURCE_UNAVAILABLE',
    () => ({ sources: [fromSsm('/good/'), fromSecret('rds'), fromSecret('none', { optional: false })] }),
  ],
  [
    'an $override left unset beside secrets',
    'OVERRIDE_MISSING',
    () => ({
      sources: [fromObject({ x: { $override: 'set x' } }), fromSsm('/good/'), fromSecret('rds', { at: 'r' })],
    }),
  ],
];

describe('no secret in SSM and Secrets Manager errors', () => {
  it.each(cases)('%s (%s)', async (_what, code, make) => {
    const logger = captureWarnings();
    const outcome = await loadConfig({ ...make(), logger }).catch((err: unknown) => err);
    expect(outcome).toMatchObject({ code });
    expectNoSecrets(surfaces(outcome, logger.warnings), SECRETS);
  });

  it('rejected credentials: the required layers fail, the optional ones warn, none shows a credential', async () => {
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', `${AWS.AWS_SECRET_ACCESS_KEY}-wrong`);
    const logger = captureWarnings();
    const required = await loadConfig({ sources: [fromSsm('/good/', { optional: false })] }).catch(
      (e: unknown) => e,
    );
    expect(required).toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    await loadConfig({ sources: [fromObject({ a: 1 }), fromSsm('/good/'), fromSecret('rds')], logger });
    expect(logger.codes()).toEqual(['SOURCE_DROPPED', 'SOURCE_DROPPED']);
    // The message, details and warnings; the cause chain of a signature error (which quotes the
    // session token, as AWS's answer does) is pinned apart in signature-errors.test.ts.
    const { message, details } = required as ConfigError;
    const shown = `${message}\n${JSON.stringify(details)}\n${surfaces(undefined, logger.warnings)}`;
    expectNoSecrets(shown, [...SECRETS, `${AWS.AWS_SECRET_ACCESS_KEY}-wrong`]);
  });

  it('an override of a secret by a store warns with path and sources only', async () => {
    const logger = captureWarnings();
    await loadConfig({
      sources: [fromObject({ db: { password: 'x' } }, { name: 'base' }), fromSsm('/good/')],
      logger,
    });
    expect(logger.warnings.map((w) => w.message)).toEqual([
      'db.password from base was overridden by ssm:/good/',
    ]);
    expectNoSecrets(surfaces(undefined, logger.warnings), SECRETS);
  });

  it('a reload that fails keeps the layers and warns without values', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const logger = captureWarnings();
      const load = () =>
        loadConfig({ sources: [fromSsm('/good/'), fromSecret('rds', { at: 'r' })], logger, maxAge: 10 });
      await load();
      // Up to 6 requests each: 3 attempts, each sent again once when its kept-alive socket was reset.
      aws.fail('ssm', { code: 'ECONNRESET', times: 6 });
      aws.fail('secrets', { code: 'InternalServiceError' });
      aws.fail('secrets', { code: 'ECONNRESET', times: 5 });
      vi.setSystemTime(Date.now() + 11);
      await load();
      expect(logger.codes()).toEqual(['SOURCE_STALE', 'SOURCE_STALE']);
      expectNoSecrets(surfaces(undefined, logger.warnings), SECRETS);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('no secret from the CLI with SSM and Secrets Manager layers', () => {
  // `port` in the secret and `/secure/db/host` are secret only by their source's mark (markSecret).
  it.each([
    [['print', '--source', 'ssm:/good/', '--source', 'secret:rds']],
    [['print', '--source', 'secret:rds', '--explain']],
    [['print', '--source', 'ssm:/secure/', '--format', 'json5']],
    [['get', 'db.host', '--source', 'ssm:/secure/']],
  ])('%j redacts every value its source marks secret, whatever its key', async (argv) => {
    const result = await cli(argv);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('[redacted]');
    expectNoSecrets(`${result.stdout}\n${result.stderr}`, SECRETS);
  });

  it.each([
    [['print', '--source', 'ssm:/good/'], 0],
    [['print', '--source', 'ssm:/good/', '--explain'], 0],
    [['get', 'db', '--source', 'ssm:/good/'], 0],
    [['print', '--source', 'secret:plain'], 1],
    [['print', '--source', 'secret!:broken'], 1],
    [['validate', '--source', 'ssm!:/none/', '--source', 'secret:rds'], 1],
  ])('%j exits %i with no secret', async (argv, code) => {
    const result = await cli(argv as string[]);
    expect(result.code).toBe(code);
    expectNoSecrets(`${result.stdout}\n${result.stderr}`, SECRETS);
  });
});
