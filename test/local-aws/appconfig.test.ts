/**
 * The local AppConfig is faithful to the protocol: the real @aws-sdk/client-appconfigdata reads
 * back what it serves, sees an unchanged configuration as empty, and gets AppConfig's errors by
 * their names; the Lambda extension's local API answers on the same port, unsigned.
 */
import {
  AppConfigDataClient,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/testing.js';
import { clientConfig, rejection, wrongSecret } from './clients.js';

let aws: LocalAws;
let client: AppConfigDataClient;
const PROFILE = 'orders/prod/settings';

beforeAll(async () => {
  aws = await startLocalAws({ appconfig: { [PROFILE]: { content: { a: 1 } } } });
  client = new AppConfigDataClient(clientConfig(aws));
});
afterAll(async () => {
  client.destroy();
  await aws.close();
});
beforeEach(() => {
  aws.clearFaults();
  aws.put({ appconfig: { [PROFILE]: { content: { a: 1 } } } });
});

const start = (profile = 'settings', more: { RequiredMinimumPollIntervalInSeconds?: number } = {}) =>
  client.send(
    new StartConfigurationSessionCommand({
      ApplicationIdentifier: 'orders',
      EnvironmentIdentifier: 'prod',
      ConfigurationProfileIdentifier: profile,
      ...more,
    }),
  );
const latest = (token: string | undefined) =>
  client.send(new GetLatestConfigurationCommand({ ConfigurationToken: token }));
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString();

describe('the local AppConfigData, read by @aws-sdk/client-appconfigdata', () => {
  it('starts a session and serves the configuration with its content type, version and next token', async () => {
    const { InitialConfigurationToken } = await start();
    const out = await latest(InitialConfigurationToken);
    expect(text(out.Configuration)).toBe('{"a":1}');
    expect(out).toMatchObject({
      ContentType: 'application/json',
      VersionLabel: '1',
      NextPollIntervalInSeconds: 0,
    });
    expect(out.NextPollConfigurationToken).toEqual(expect.any(String));
  });

  it('answers empty while the session has the latest version, and the new one after a change', async () => {
    const first = await latest((await start()).InitialConfigurationToken);
    const second = await latest(first.NextPollConfigurationToken);
    expect(second.Configuration?.length ?? 0).toBe(0);
    aws.put({
      appconfig: { [PROFILE]: { content: 'a: 2', contentType: 'application/x-yaml', versionLabel: 'v2' } },
    });
    const third = await latest(second.NextPollConfigurationToken);
    expect(text(third.Configuration)).toBe('a: 2');
    expect(third).toMatchObject({ ContentType: 'application/x-yaml', VersionLabel: 'v2' });
  });

  it('answers the poll interval a session asks for', async () => {
    const { InitialConfigurationToken } = await start('settings', {
      RequiredMinimumPollIntervalInSeconds: 45,
    });
    expect((await latest(InitialConfigurationToken)).NextPollIntervalInSeconds).toBe(45);
  });

  it('rejects a used token, and an expired one (after 24 hours), with BadRequestException (HTTP 400)', async () => {
    const { InitialConfigurationToken } = await start();
    const first = await latest(InitialConfigurationToken);
    expect(await rejection(latest(InitialConfigurationToken))).toMatchObject({
      name: 'BadRequestException',
      $metadata: { httpStatusCode: 400 },
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 24 * 60 * 60_000 + 1);
      // A new client: the SDK learns a clock offset from answers, and the clock just moved.
      const later = new AppConfigDataClient(clientConfig(aws));
      const err = await rejection(
        later.send(
          new GetLatestConfigurationCommand({ ConfigurationToken: first.NextPollConfigurationToken }),
        ),
      );
      expect(err).toMatchObject({ name: 'BadRequestException' });
      later.destroy();
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    ['application', ['billing', 'prod', 'settings'], 'Application billing not found'],
    ['environment', ['orders', 'dev', 'settings'], 'Environment dev not found'],
    ['profile', ['orders', 'prod', 'nope'], 'Configuration profile nope not found'],
  ])(
    'answers a missing %s with ResourceNotFoundException (HTTP 404)',
    async (_what, [app, env, profile], message) => {
      const session = new StartConfigurationSessionCommand({
        ApplicationIdentifier: app,
        EnvironmentIdentifier: env,
        ConfigurationProfileIdentifier: profile,
      });
      expect(await rejection(client.send(session))).toMatchObject({
        name: 'ResourceNotFoundException',
        message,
        $metadata: { httpStatusCode: 404 },
      });
    },
  );

  it.each([
    [429, 'ThrottlingException'],
    [500, 'InternalServerException'],
    [403, 'AccessDeniedException'],
  ])('answers an injected fault with the HTTP %i AppConfig gives %s', async (status, code) => {
    aws.fail('appconfig', { code, operation: 'StartConfigurationSession' });
    expect(await rejection(start())).toMatchObject({ name: code, $metadata: { httpStatusCode: status } });
  });

  it('refuses a wrong secret with InvalidSignatureException (HTTP 403)', async () => {
    const wrong = new AppConfigDataClient(wrongSecret(aws));
    const err = await rejection(
      wrong.send(
        new StartConfigurationSessionCommand({
          ApplicationIdentifier: 'orders',
          EnvironmentIdentifier: 'prod',
          ConfigurationProfileIdentifier: 'settings',
        }),
      ),
    );
    expect(err).toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
    wrong.destroy();
  });
});

describe('the local AppConfig extension API', () => {
  const url = (profile: string) =>
    `http://127.0.0.1:${aws.env.AWS_APPCONFIG_EXTENSION_HTTP_PORT}/applications/orders/environments/prod/configurations/${profile}`;

  it('serves the configuration unsigned, with its content type and version', async () => {
    const res = await fetch(url('settings'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('configuration-version')).toMatch(/^\d+$/);
    expect(await res.text()).toBe('{"a":1}');
    expect(aws.requests.at(-1)).toMatchObject({
      service: 'appconfig',
      operation: 'Extension',
      resource: PROFILE,
      status: 200,
    });
  });

  it('answers 404 for a missing profile, and an injected fault with its status', async () => {
    expect((await fetch(url('nope'))).status).toBe(404);
    aws.fail('appconfig', { code: 'BadGateway', operation: 'Extension' });
    const res = await fetch(url('settings'));
    expect(res.status).toBe(502);
    expect(await res.text()).toMatch(/^BadGateway: /);
  });

  it('is not served when the options say so: env names a port nothing listens on', async () => {
    const without = await startLocalAws({}, { appConfigExtension: false });
    try {
      const port = without.env.AWS_APPCONFIG_EXTENSION_HTTP_PORT;
      expect(port).not.toBe(new URL(without.endpoint).port);
      expect(await rejection(fetch(`http://127.0.0.1:${port}/`))).toMatchObject({
        cause: { code: 'ECONNREFUSED' },
      });
    } finally {
      await without.close();
    }
  });
});
