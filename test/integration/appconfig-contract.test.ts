/**
 * The AppConfig test endpoint (test/setup/appconfig-server.ts) is faithful to the protocol: the
 * real @aws-sdk/client-appconfigdata reads back what it serves, sees an unchanged configuration as
 * empty, and gets AppConfig's errors by their names. strataconf's tests rely on it only because
 * this file passes.
 */
import {
  AppConfigDataClient,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppConfigTestServer,
  startAppConfigServer,
  TEST_CREDENTIALS,
} from '../setup/appconfig-server.js';

let server: AppConfigTestServer;
let client: AppConfigDataClient;

beforeAll(async () => {
  server = await startAppConfigServer();
  client = new AppConfigDataClient({
    endpoint: server.endpoint,
    region: 'eu-west-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  server.deploy('orders/prod/settings', {
    content: '{"a":1}',
    contentType: 'application/json',
    version: '1',
  });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

const start = () =>
  client.send(
    new StartConfigurationSessionCommand({
      ApplicationIdentifier: 'orders',
      EnvironmentIdentifier: 'prod',
      ConfigurationProfileIdentifier: 'settings',
    }),
  );

describe('the AppConfigData test endpoint, read by the real SDK client', () => {
  it('starts a session and serves the configuration with its headers', async () => {
    server.pollInterval = 45;
    const { InitialConfigurationToken } = await start();
    expect(InitialConfigurationToken).toMatch(/^[0-9a-f]{64}$/);
    const out = await client.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: InitialConfigurationToken }),
    );
    expect(Buffer.from(out.Configuration ?? []).toString()).toBe('{"a":1}');
    expect(out.ContentType).toBe('application/json');
    expect(out.VersionLabel).toBe('1');
    expect(out.NextPollIntervalInSeconds).toBe(45);
    expect(out.NextPollConfigurationToken).toMatch(/^[0-9a-f]{64}$/);
    server.pollInterval = 0;
  });

  it('answers an empty configuration when the session already has the latest, and the new one after a deployment', async () => {
    const { InitialConfigurationToken } = await start();
    const first = await client.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: InitialConfigurationToken }),
    );
    const second = await client.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: first.NextPollConfigurationToken }),
    );
    expect(second.Configuration?.length ?? 0).toBe(0);
    server.deploy('orders/prod/settings', {
      content: '{"a":2}',
      contentType: 'application/json',
      version: '2',
    });
    const third = await client.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: second.NextPollConfigurationToken }),
    );
    expect(Buffer.from(third.Configuration ?? []).toString()).toBe('{"a":2}');
    expect(third.VersionLabel).toBe('2');
  });

  it('rejects a used token with BadRequestException (HTTP 400)', async () => {
    const { InitialConfigurationToken } = await start();
    await client.send(new GetLatestConfigurationCommand({ ConfigurationToken: InitialConfigurationToken }));
    const err = await client
      .send(new GetLatestConfigurationCommand({ ConfigurationToken: InitialConfigurationToken }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'BadRequestException', $metadata: { httpStatusCode: 400 } });
  });

  it('answers a missing profile with ResourceNotFoundException (HTTP 404)', async () => {
    const err = await client
      .send(
        new StartConfigurationSessionCommand({
          ApplicationIdentifier: 'orders',
          EnvironmentIdentifier: 'prod',
          ConfigurationProfileIdentifier: 'nope',
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it.each([
    [429, 'ThrottlingException'],
    [500, 'InternalServerException'],
    [403, 'AccessDeniedException'],
  ])('delivers an injected HTTP %i as %s', async (status, name) => {
    server.fail({ status, name, on: 'start' });
    const err = await start().catch((e: unknown) => e);
    expect(err).toMatchObject({ name, $metadata: { httpStatusCode: status } });
  });

  it('serves the agent API on its own port, as the Lambda extension does', async () => {
    const res = await fetch(
      `http://127.0.0.1:${server.agentPort}/applications/orders/environments/prod/configurations/settings`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toMatch(/^\{"a":\d\}$/);
  });
});
