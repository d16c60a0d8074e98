/**
 * fromAppConfig against the local AppConfig of startLocalAws: through the Lambda extension when it
 * answers, through the AppConfigData API with the real SDK client otherwise. Cold, warm, unchanged
 * (same config object, counted at the endpoint), changed, token expiry, failures.
 */

import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { explainConfig, fromAppConfig, fromObject, loadConfig, resetConfigCache } from '../../src/index.js';
import { captureWarnings, type LocalAws, startLocalAws } from '../../src/testing.js';
import { configError, unusedPort } from '../helpers.js';

const TARGET = 'orders/prod/settings';
const MAX_AGE = 60_000;
let server: LocalAws;
let client: AppConfigDataClient;
let closedPort: number;
const logger = captureWarnings();

const schema = z.object({
  features: z.object({ checkout: z.boolean(), limit: z.number() }),
  name: z.string(),
});
const base = () =>
  fromObject({ name: 'orders', features: { checkout: { $default: false }, limit: { $default: 1 } } });
const deploy = (version: string, features: object, contentType = 'application/json', to = server) =>
  to.put({
    appconfig: { [TARGET]: { content: JSON.stringify({ features }), contentType, versionLabel: version } },
  });
const OPERATIONS = {
  start: 'StartConfigurationSession',
  latest: 'GetLatestConfiguration',
  agent: 'Extension',
};
const calls = (operation: keyof typeof OPERATIONS, on = server) =>
  on.requests.filter((c) => c.operation === OPERATIONS[operation]).length;
/** An AppConfigData client for `aws`, one attempt per call. */
const clientOf = (aws: LocalAws) =>
  new AppConfigDataClient({
    endpoint: aws.endpoint,
    region: 'eu-west-1',
    credentials: {
      accessKeyId: aws.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY ?? '',
      sessionToken: aws.env.AWS_SESSION_TOKEN ?? '',
    },
    maxAttempts: 1,
  });

beforeAll(async () => {
  server = await startLocalAws();
  closedPort = await unusedPort();
});
afterAll(() => server.close());
beforeEach(() => {
  // A client per test: the SDK learns a clock offset from the server's Date header, and the tests
  // move the clock.
  client = clientOf(server);
  server.clearFaults();
  server.requests.length = 0;
  logger.clear();
  // A new profile: its versions count from 1 again.
  server.remove('appconfig', TARGET);
  deploy('1', { checkout: true, limit: 10 });
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  client.destroy();
  vi.useRealTimers();
  resetConfigCache();
});
const later = () => vi.setSystemTime(Date.now() + MAX_AGE * 1.1);

/** The two ways to the API: the caller's SDK client, or signed requests from env credentials (Lambda). */
const paths = [
  ['the AWS SDK client given', (aws: LocalAws) => ({ client: aws === server ? client : clientOf(aws) })],
  [
    'signed requests without the SDK',
    (aws: LocalAws) => {
      for (const [name, value] of Object.entries(aws.env)) vi.stubEnv(name, value);
      vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', String(closedPort));
      return { region: 'eu-west-1' };
    },
  ],
] as const;

describe.each(paths)('fromAppConfig through the AppConfigData API (%s)', (_path, options) => {
  const load = (opts: { optional?: boolean; timeoutMs?: number } = {}, path = options(server)) =>
    loadConfig({
      schema,
      logger,
      maxAge: MAX_AGE,
      sources: [base(), fromAppConfig(TARGET, { ...path, ...opts })],
    });

  it('merges the configuration over the bundled layer, with provenance and version', async () => {
    const config = await load();
    expect(config).toEqual({ name: 'orders', features: { checkout: true, limit: 10 } });
    const row = explainConfig(config).find((r) => r.path.join('.') === 'features.limit');
    expect(row).toMatchObject({ source: `appconfig:${TARGET}`, overridden: ['object'] });
    expect(row?.sourceVersion).toBe('version 1');
    expect(logger.warnings).toEqual([]);
  });

  it('keeps the same config object when AppConfig answers "unchanged" on a reload', async () => {
    const first = await load();
    later();
    expect(await load()).toBe(first);
    expect(logger.warnings).toEqual([]);
    expect([calls('start'), calls('latest')]).toEqual([1, 2]);
  });

  it('picks up a new deployment on the next reload after maxAge', async () => {
    const first = await load();
    deploy('2', { checkout: false, limit: 20 });
    expect(await load()).toBe(first);
    later();
    const second = await load();
    expect(second.features).toEqual({ checkout: false, limit: 20 });
    expect(calls('start')).toBe(1);
  });

  it('does not poll sooner than Next-Poll-Interval-In-Seconds, whatever maxAge says', async () => {
    await using slow = await startLocalAws({}, { appConfigPollIntervalSeconds: 3600 });
    const path = options(slow);
    deploy('1', { checkout: true, limit: 10 }, 'application/json', slow);
    const first = await load({}, path);
    deploy('2', { checkout: false, limit: 20 }, 'application/json', slow);
    later();
    expect(await load({}, path)).toBe(first);
    expect(calls('latest', slow)).toBe(1);
    vi.setSystemTime(Date.now() + 3_600_000);
    expect((await load({}, path)).features.limit).toBe(20);
  });

  it('starts a new session when the token has expired (after 24 hours), instead of failing', async () => {
    const first = await load();
    deploy('2', { checkout: true, limit: 30 });
    vi.setSystemTime(Date.now() + 25 * 60 * 60_000);
    expect((await load()).features.limit).toBe(30);
    expect(calls('start')).toBe(2);
    expect(first.features.limit).toBe(10);
    expect(logger.warnings).toEqual([]);
  });

  it('drops a missing profile with one warning naming it', async () => {
    server.remove('appconfig', TARGET);
    const config = await load();
    expect(config.features).toEqual({ checkout: false, limit: 1 });
    expect(logger.warnings).toEqual([
      expect.objectContaining({
        code: 'SOURCE_DROPPED',
        message: expect.stringContaining(
          `appconfig:${TARGET}: the application, environment or configuration profile was not found`,
        ),
      }),
    ]);
  });

  it('fails a required layer that is missing with SOURCE_UNAVAILABLE', async () => {
    server.remove('appconfig', TARGET);
    const err = await configError(load({ optional: false }));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.details).toMatchObject({ source: `appconfig:${TARGET}` });
  });

  it('names the IAM actions when access is denied', async () => {
    server.fail('appconfig', { code: 'AccessDeniedException', operation: 'StartConfigurationSession' });
    await load();
    expect(logger.warnings[0]?.message).toContain(
      'appconfig:StartConfigurationSession and appconfig:GetLatestConfiguration',
    );
  });

  it.each([
    [429, 'ThrottlingException', 'throttled by AppConfig'],
    [500, 'InternalServerException', 'AppConfig server error'],
  ])('keeps the last good layer on a reload answered %i %s', async (status, name, reason) => {
    const first = await load({ timeoutMs: 6000 });
    // The retry waits are drawn at random: pinned, a throttle is retried after 1.6 s and 2.8 s, and
    // the next wait (4.6 s) does not fit in what is left of 6 s; a 5xx gets its 3 attempts at once.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    server.fail('appconfig', { code: name, status, operation: 'GetLatestConfiguration', times: 3 });
    later();
    expect(await load({ timeoutMs: 6000 })).toBe(first);
    expect(logger.warnings).toEqual([
      expect.objectContaining({ code: 'SOURCE_STALE', message: expect.stringContaining(reason) }),
    ]);
  });

  it('fails with PARSE_ERROR naming a content type it cannot read, optional or not', async () => {
    server.put({ appconfig: { [TARGET]: { content: '<features/>', contentType: 'application/xml' } } });
    const err = await configError(load());
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toContain('"application/xml"');
  });

  it.each(['application/x-yaml', 'application/yaml', 'text/yaml'])(
    'reads a YAML profile stored as %s, with markers as in JSON5',
    async (contentType) => {
      const content = '# from the console\nfeatures:\n  checkout: true\n  limit:\n    $default: 4\n';
      server.put({ appconfig: { [TARGET]: { content, contentType } } });
      const config = await load();
      expect(config.features).toEqual({ checkout: true, limit: 4 });
      expect(explainConfig(config).find((r) => r.path.join('.') === 'features.checkout')?.source).toBe(
        `appconfig:${TARGET}`,
      );
    },
  );

  it('reads a JSON5 profile the console stored as Text (text/plain)', async () => {
    const content = '{ features: { checkout: true, limit: 3 }, // a comment\n}';
    server.put({ appconfig: { [TARGET]: { content, contentType: 'text/plain' } } });
    expect((await load()).features).toEqual({ checkout: true, limit: 3 });
  });

  it('fails a YAML profile that does not parse with PARSE_ERROR at its line and column', async () => {
    server.put({
      appconfig: {
        [TARGET]: { content: 'features:\n  checkout: !Ref Flag\n', contentType: 'application/x-yaml' },
      },
    });
    const err = await configError(load());
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toMatch(/^appconfig:orders\/prod\/settings: invalid YAML at line 2, column 13 \(/);
  });

  it('reads JSON5 content and feature-flag profiles (served as JSON)', async () => {
    server.put({
      appconfig: {
        [TARGET]: {
          content: '{ features: { checkout: true, limit: 3 }, // a comment\n}',
          contentType: 'application/json5',
        },
      },
    });
    expect((await load()).features.limit).toBe(3);
  });
});

describe('fromAppConfig through the AppConfig Lambda extension', () => {
  const load = () =>
    loadConfig({
      schema,
      logger,
      maxAge: MAX_AGE,
      sources: [base(), fromAppConfig(TARGET, { region: 'eu-west-1' })],
    });

  it('reads the extension on localhost when it answers, with no AppConfigData call', async () => {
    vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', server.env.AWS_APPCONFIG_EXTENSION_HTTP_PORT);
    const config = await load();
    expect(config.features.limit).toBe(10);
    expect(server.requests.map((c) => c.operation)).toEqual(['Extension']);
    expect(explainConfig(config).find((r) => r.path[1] === 'limit')?.sourceVersion).toBe('version 1');
  });

  it('keeps the same config object when the extension serves the same bytes, and a new one when they change', async () => {
    vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', server.env.AWS_APPCONFIG_EXTENSION_HTTP_PORT);
    const first = await load();
    later();
    expect(await load()).toBe(first);
    deploy('2', { checkout: true, limit: 11 });
    later();
    expect((await load()).features.limit).toBe(11);
    expect(calls('agent')).toBe(3);
  });

  it('keeps the last good layer when the extension answers 5xx on a reload', async () => {
    vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', server.env.AWS_APPCONFIG_EXTENSION_HTTP_PORT);
    const first = await load();
    server.fail('appconfig', { code: 'BadGateway', operation: 'Extension' });
    later();
    expect(await load()).toBe(first);
    expect(logger.warnings.map((w) => w.code)).toEqual(['SOURCE_STALE']);
  });

  it('falls back to the API at once when nothing listens on the extension port', async () => {
    for (const [name, value] of Object.entries(server.env)) vi.stubEnv(name, value);
    vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', String(closedPort));
    const config = await load();
    expect(config.features.limit).toBe(10);
    // Signed for appconfig in the region given, each signature recomputed by the server.
    expect(server.requests.map((c) => [c.operation, c.region])).toEqual([
      ['StartConfigurationSession', 'eu-west-1'],
      ['GetLatestConfiguration', 'eu-west-1'],
    ]);
  });
});
