/**
 * fromAppConfig against the AppConfig test endpoint: through the Lambda extension (agent) when it
 * answers, through the AppConfigData API with the real SDK client otherwise. Cold, warm, unchanged
 * (same config object, counted at the endpoint), changed, token expiry, failures.
 */

import { createServer } from 'node:net';
import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { explainConfig, fromAppConfig, fromObject, loadConfig, resetConfigCache } from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';
import { configError } from '../helpers.js';
import {
  type AppConfigTestServer,
  startAppConfigServer,
  TEST_CREDENTIALS,
} from '../setup/appconfig-server.js';

const TARGET = 'orders/prod/settings';
const MAX_AGE = 60_000;
let server: AppConfigTestServer;
let client: AppConfigDataClient;
let closedPort: number;
const logger = captureWarnings();

/** A port nothing listens on: the agent is absent. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const schema = z.object({
  features: z.object({ checkout: z.boolean(), limit: z.number() }),
  name: z.string(),
});
const base = () =>
  fromObject({ name: 'orders', features: { checkout: { $default: false }, limit: { $default: 1 } } });
const deploy = (version: string, features: object, contentType = 'application/json') =>
  server.deploy(TARGET, { content: JSON.stringify({ features }), contentType, version });
const calls = (operation: string) => server.calls.filter((c) => c.operation === operation).length;

beforeAll(async () => {
  server = await startAppConfigServer();
  closedPort = await freePort();
});
afterAll(() => server.close());
beforeEach(() => {
  // A client per test: the SDK learns a clock offset from the server's Date header, and the tests
  // move the clock.
  client = new AppConfigDataClient({
    endpoint: server.endpoint,
    region: 'eu-west-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  server.reset();
  logger.clear();
  deploy('1', { checkout: true, limit: 10 });
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  client.destroy();
  vi.useRealTimers();
  resetConfigCache();
});
const later = () => vi.setSystemTime(Date.now() + MAX_AGE + 1);

/** The two ways to the API: the caller's SDK client, or signed requests from env credentials (Lambda). */
const paths = [
  ['the AWS SDK client given', () => ({ client })],
  [
    'signed requests without the SDK',
    () => {
      vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', String(closedPort));
      vi.stubEnv('AWS_ENDPOINT_URL_APPCONFIGDATA', server.endpoint);
      vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
      return { region: 'eu-west-1' };
    },
  ],
] as const;

describe.each(paths)('fromAppConfig through the AppConfigData API (%s)', (_path, options) => {
  const load = (opts: { optional?: boolean } = {}) =>
    loadConfig({
      schema,
      logger,
      maxAge: MAX_AGE,
      sources: [base(), fromAppConfig(TARGET, { ...options(), ...opts })],
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
    server.pollInterval = 3600;
    const first = await load();
    deploy('2', { checkout: false, limit: 20 });
    later();
    expect(await load()).toBe(first);
    expect(calls('latest')).toBe(1);
    vi.setSystemTime(Date.now() + 3_600_000);
    expect((await load()).features.limit).toBe(20);
  });

  it('starts a new session when the token has expired, instead of failing', async () => {
    const first = await load();
    server.expireTokens();
    deploy('2', { checkout: true, limit: 30 });
    later();
    expect((await load()).features.limit).toBe(30);
    expect(calls('start')).toBe(2);
    expect(first.features.limit).toBe(10);
    expect(logger.warnings).toEqual([]);
  });

  it('drops a missing profile with one warning naming it', async () => {
    server.remove(TARGET);
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
    server.remove(TARGET);
    const err = await configError(load({ optional: false }));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.details).toMatchObject({ source: `appconfig:${TARGET}` });
  });

  it('names the IAM actions when access is denied', async () => {
    server.fail({ status: 403, name: 'AccessDeniedException', on: 'start' });
    await load();
    expect(logger.warnings[0]?.message).toContain(
      'appconfig:StartConfigurationSession and appconfig:GetLatestConfiguration',
    );
  });

  it.each([
    [429, 'ThrottlingException', 'throttled by AppConfig'],
    [500, 'InternalServerException', 'AppConfig server error'],
  ])('keeps the last good layer on a reload answered %i %s', async (status, name, reason) => {
    const first = await load();
    // As many times as the light transport tries (it retries these with jitter; the SDK client here does not).
    server.fail({ status, name, on: 'latest', times: 3 });
    later();
    expect(await load()).toBe(first);
    expect(logger.warnings).toEqual([
      expect.objectContaining({ code: 'SOURCE_STALE', message: expect.stringContaining(reason) }),
    ]);
  });

  it('fails with PARSE_ERROR naming a content type it cannot read, optional or not', async () => {
    server.deploy(TARGET, { content: '<features/>', contentType: 'application/xml', version: '1' });
    const err = await configError(load());
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toContain('"application/xml"');
  });

  it.each(['application/x-yaml', 'application/yaml', 'text/yaml'])(
    'reads a YAML profile stored as %s, with markers as in JSON5',
    async (contentType) => {
      const content = '# from the console\nfeatures:\n  checkout: true\n  limit:\n    $default: 4\n';
      server.deploy(TARGET, { content, contentType, version: '1' });
      const config = await load();
      expect(config.features).toEqual({ checkout: true, limit: 4 });
      expect(explainConfig(config).find((r) => r.path.join('.') === 'features.checkout')?.source).toBe(
        `appconfig:${TARGET}`,
      );
    },
  );

  it('reads a JSON5 profile the console stored as Text (text/plain)', async () => {
    const content = '{ features: { checkout: true, limit: 3 }, // a comment\n}';
    server.deploy(TARGET, { content, contentType: 'text/plain', version: '1' });
    expect((await load()).features).toEqual({ checkout: true, limit: 3 });
  });

  it('fails a YAML profile that does not parse with PARSE_ERROR at its line and column', async () => {
    server.deploy(TARGET, {
      content: 'features:\n  checkout: !Ref Flag\n',
      contentType: 'application/x-yaml',
      version: '1',
    });
    const err = await configError(load());
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toMatch(/^appconfig:orders\/prod\/settings: invalid YAML at line 2, column 13 \(/);
  });

  it('reads JSON5 content and feature-flag profiles (served as JSON)', async () => {
    server.deploy(TARGET, {
      content: '{ features: { checkout: true, limit: 3 }, // a comment\n}',
      contentType: 'application/json5',
      version: '1',
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
    vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', String(server.agentPort));
    const config = await load();
    expect(config.features.limit).toBe(10);
    expect(server.calls.map((c) => c.operation)).toEqual(['agent']);
    expect(explainConfig(config).find((r) => r.path[1] === 'limit')?.sourceVersion).toBe('version 1');
  });

  it('keeps the same config object when the extension serves the same bytes, and a new one when they change', async () => {
    vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', String(server.agentPort));
    const first = await load();
    later();
    expect(await load()).toBe(first);
    deploy('2', { checkout: true, limit: 11 });
    later();
    expect((await load()).features.limit).toBe(11);
    expect(calls('agent')).toBe(3);
  });

  it('keeps the last good layer when the extension answers 5xx on a reload', async () => {
    vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', String(server.agentPort));
    const first = await load();
    server.fail({ status: 502, name: 'BadGateway', on: 'agent' });
    later();
    expect(await load()).toBe(first);
    expect(logger.warnings.map((w) => w.code)).toEqual(['SOURCE_STALE']);
  });

  it('falls back to the API at once when nothing listens on the extension port', async () => {
    vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', String(closedPort));
    vi.stubEnv('AWS_ENDPOINT_URL_APPCONFIGDATA', server.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
    const started = performance.now();
    const config = await load();
    expect(config.features.limit).toBe(10);
    // Signed for appconfig in the region given, each signature recomputed by the server.
    expect(server.calls.map((c) => [c.operation, c.scope])).toEqual([
      ['start', 'eu-west-1/appconfig'],
      ['latest', 'eu-west-1/appconfig'],
    ]);
    // A refused connection on loopback is answered at once; the bound is loose for a loaded CI machine.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
